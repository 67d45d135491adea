"""The book's variants: what SGD divides a short last batch by, and float32 (the book's dtype)
kept end to end in both engines and every optimizer."""

import numpy as np
import pytest
import torch

import linreg_core
from linreg_core import OPTIMIZERS, run, train
from tests import book
from tests.test_engine import book_loop, torch_optim_loop

FIELDS = ("w0", "ws", "bs", "grad_ws", "grad_bs", "batch_losses", "losses")


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("engine", ["numpy", "torch"])
def test_divide_by_makes_no_difference_when_every_batch_is_full(optimizer, engine):
    X, y = book.data(1000)  # the book's n = 1000, batch 10
    one = run(X, y, optimizer=optimizer, engine=engine, epochs=2)
    other = run(X, y, optimizer=optimizer, engine=engine, epochs=2, divide_by="batch_size")
    for field in FIELDS:
        np.testing.assert_array_equal(getattr(one, field), getattr(other, field))


@pytest.mark.parametrize("engine", ["numpy", "torch"])
def test_divide_by_batch_size_is_d2l_sgd_on_a_short_last_batch(engine):
    X, y = book.data(1005)  # 100 batches of 10, then one of 5
    rng = np.random.default_rng(7)
    orders = [rng.permutation(1005) for _ in range(3)]
    w0 = rng.normal(0, 0.01, 2)
    expected = book_loop(X, y, orders, w0, 0.0)  # d2l.sgd: param -= lr * grad / batch_size
    arguments = {"orders": orders, "w0": w0, "b0": 0.0, "engine": engine}
    steps = list(train(X, y, divide_by="batch_size", **arguments))
    assert len(steps) == len(expected) == 303
    for step, (w, b) in zip(steps, expected, strict=True):
        np.testing.assert_allclose(step.w, w, rtol=1e-6, atol=1e-9)
        assert step.b == pytest.approx(b, rel=1e-6, abs=1e-9)
    mean = list(train(X, y, **arguments))  # the default: the batch's own length
    for k in (99, 100, 101):  # the first epoch's last full batch, its short batch, the next
        same = k < 100
        assert np.array_equal(mean[k].w, steps[k].w) == same
        if k == 100:  # the same summed gradient, divided by 5 or by 10
            np.testing.assert_allclose(mean[k].grad_w, 2 * steps[k].grad_w, rtol=1e-12)
            assert mean[k].batch_loss == steps[k].batch_loss  # the batch's mean loss, either way


def test_divide_by_is_checked_by_name():
    X, y = book.data(20)
    with pytest.raises(ValueError, match=r"^divide_by='batch'.*'batch_length', 'batch_size'"):
        run(X, y, divide_by="batch")


def lr_for(optimizer):
    return 0.3 if optimizer == "adagrad" else 0.03


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("engine", ["numpy", "torch"])
def test_float32_is_kept_in_every_array_of_the_run(book_data, optimizer, engine):
    X, y = book_data
    arguments = {
        "optimizer": optimizer,
        "engine": engine,
        "lr": lr_for(optimizer),
        "batch_size": 7,
        "weight_decay": 0.01,
        "dtype": "float32",
    }
    trajectory = run(X, y, **arguments)
    for field in FIELDS:
        assert getattr(trajectory, field).dtype == np.float32, field
    step = next(train(X, y, **arguments))
    assert step.w.dtype == step.grad_w.dtype == np.float32
    assert trajectory.losses[-1] < trajectory.loss0 / 10


@pytest.fixture
def update_dtypes(monkeypatch):
    """Every dtype that the NumPy engine's update takes in and gives back."""
    seen = set()
    make = linreg_core.training.numpy_update

    def recording(*arguments):
        update = make(*arguments)

        def recorded(theta, grad):
            theta_after = update(theta, grad)
            seen.update({theta.dtype, grad.dtype, theta_after.dtype})
            return theta_after

        return recorded

    monkeypatch.setattr(linreg_core.training, "numpy_update", recording)
    return seen


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_the_numpy_update_and_its_state_stay_float32(book_data, update_dtypes, optimizer):
    X, y = book_data
    run(X, y, optimizer=optimizer, epochs=1, weight_decay=0.01, dtype="float32")
    assert update_dtypes == {np.dtype(np.float32)}  # a float64 state would make theta float64


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_float32_runs_match_a_float32_torch_optim_loop(book_data, optimizer):
    X, y = (a.astype(np.float32) for a in book_data)
    rng = np.random.default_rng(3)
    orders = [rng.permutation(1000) for _ in range(2)]
    theta0 = np.array([0.01, -0.02, 0.0], dtype=np.float32)
    spec = OPTIMIZERS[optimizer]
    options = dict(spec.torch_fixed) | spec.defaults
    lr = lr_for(optimizer)
    expected = torch_optim_loop(
        X,
        y,
        orders,
        theta0,
        10,
        "half_mse",
        getattr(torch.optim, spec.torch_name),
        lr=lr,
        weight_decay=0.01,
        **options,
    )
    arguments = {
        "lr": lr,
        "epochs": 2,
        "optimizer": optimizer,
        "weight_decay": 0.01,
        "orders": orders,
        "w0": theta0[:-1],
        "b0": 0.0,
    }
    theirs = run(X, y, engine="torch", **arguments)
    mine = run(X, y, **arguments)
    # the torch engine is that loop, operation for operation
    np.testing.assert_array_equal(np.c_[theirs.ws, theirs.bs], expected)
    np.testing.assert_allclose(np.c_[mine.ws, mine.bs], expected, rtol=1e-4, atol=1e-5)
    as_float64 = run(X.astype(np.float64), y.astype(np.float64), **arguments)
    assert np.abs(np.c_[as_float64.ws, as_float64.bs] - expected).max() > 0


def test_dtype_none_keeps_x_and_a_name_casts(book_data):
    X, y = book_data
    X32, y32 = X.astype(np.float32), y.astype(np.float32)
    assert run(X32, y32, epochs=1).ws.dtype == np.float32
    assert run(X, y, epochs=1).ws.dtype == np.float64
    assert run(X32, y32, epochs=1, dtype="float64").ws.dtype == np.float64
    cast, given = run(X, y, dtype="float32"), run(X32, y32)
    for field in FIELDS:
        np.testing.assert_array_equal(getattr(cast, field), getattr(given, field))
    for bad in ("float16", np.float32, "int32"):
        with pytest.raises(ValueError, match=r"^dtype=.*'float32', 'float64' or None"):
            run(X, y, dtype=bad)
