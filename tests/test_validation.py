"""Bad input gets a ValueError naming the parameter; good input never raises."""

import inspect
import math
import re

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linreg_core import (
    ENGINES,
    OPTIMIZERS,
    closed_form,
    loss_quadratic,
    loss_surface,
    run,
    stability_limit,
    synthetic_data,
    train,
)
from linreg_core.optimizers import in_interval
from tests import book

X, Y = book.data(40, seed=1)

finite = st.floats(-10, 10, allow_nan=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    d=st.integers(1, 3),
    n=st.integers(1, 30),
    noise=st.floats(0, 5),
    lr=st.floats(1e-4, 100),
    batch_fraction=st.floats(0, 1),
    epochs=st.integers(1, 3),
    optimizer=st.sampled_from(sorted(OPTIMIZERS)),
    engine=st.sampled_from(ENGINES),
    loss=st.sampled_from(["half_mse", "mse"]),
    drop_last=st.booleans(),
    divide_by=st.sampled_from(["batch_length", "batch_size"]),
    weight_decay=st.floats(0, 1),
    dtype=st.sampled_from([None, "float32", "float64"]),
    seed=st.integers(0, 2**32),
    b=finite,
)
def test_valid_arguments_never_raise(
    d,
    n,
    noise,
    lr,
    batch_fraction,
    epochs,
    optimizer,
    engine,
    loss,
    drop_last,
    divide_by,
    weight_decay,
    dtype,
    seed,
    b,
):
    X, y = synthetic_data(np.linspace(-2, 2, d), b, n, noise=noise, seed=seed)
    batch_size = max(1, math.ceil(batch_fraction * n))
    arguments = dict(
        lr=lr,
        batch_size=batch_size,
        epochs=epochs,
        optimizer=optimizer,
        engine=engine,
        loss=loss,
        drop_last=drop_last,
        divide_by=divide_by,
        weight_decay=weight_decay,
        dtype=dtype,
        seed=seed,
    )
    trajectory = run(X, y, **arguments)
    assert 1 <= trajectory.num_steps <= epochs * math.ceil(n / batch_size)
    assert len(list(train(X, y, **arguments))) == trajectory.num_steps
    closed_form(X, y, weight_decay=weight_decay, loss=loss)
    stability_limit(X, loss=loss, weight_decay=weight_decay)


# A table grouped by argument, so that a missing case shows; fmt: skip keeps its rows.
BAD_RUNS = [
    ("lr", 0), ("lr", -0.1), ("lr", math.nan), ("lr", math.inf), ("lr", "0.03"),
    ("batch_size", 0), ("batch_size", 41), ("batch_size", 2.5), ("batch_size", True),
    ("epochs", 0), ("epochs", -3), ("epochs", 1.5),
    ("optimizer", "adamw"), ("engine", "jax"), ("loss", "l1"),
    ("drop_last", "yes"), ("weight_decay", -1.0), ("seed", -1),
    ("divide_by", "batch"), ("divide_by", None), ("dtype", "float16"), ("dtype", np.float32),
    ("w0", [1.0]), ("w0", [math.nan, 0.0]), ("b0", math.inf),
    ("orders", [[0, 1, 2]] * 3), ("orders", [np.arange(40)]), ("orders", [np.arange(40.0)] * 3),
    ("orders", 1.5), ("orders", True), ("orders", [[0, [1]]] * 3),
    ("momentum", 1.5), ("betas", (0.9, 1.0)), ("eps", -1.0), ("nesterov_typo", 1),
]  # fmt: skip


@pytest.mark.parametrize(("name", "value"), BAD_RUNS)
def test_each_bad_training_argument_is_named(name, value):
    optimizer = "adam" if name in ("betas", "eps") else "momentum" if name == "momentum" else "sgd"
    arguments = {"optimizer": optimizer, name: value}
    if name == "optimizer":
        arguments = {name: value}
    shown = name.split("_typo")[0]
    with pytest.raises(ValueError, match=shown) as error:
        train(X, Y, **arguments)
    assert "must be" in str(error.value)
    with pytest.raises(ValueError, match=shown):
        run(X, Y, **arguments)


def test_unknown_optimizer_and_engine_list_the_known_ones():
    with pytest.raises(ValueError, match="'adam'.*'sgd'|'sgd'.*'adam'"):
        run(X, Y, optimizer="lbfgs")
    with pytest.raises(ValueError, match="'numpy', 'torch'"):
        run(X, Y, engine="cuda")


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(["X", "y"]),
    bad=st.sampled_from(["nan", "inf", "text", "short", "empty", "3d"]),
)
def test_bad_data_is_named(name, bad):
    data = {"X": X.copy(), "y": Y.copy()}
    if bad in ("nan", "inf"):
        data[name] = data[name].astype(float)
        data[name].flat[3] = float(bad)
    elif bad == "text":
        data[name] = data[name].astype(str)
    elif bad == "short":
        data[name] = data[name][:-1]
        name = "y"  # the labels are checked against the features' length
    elif bad == "empty":
        data = {"X": np.zeros((0, 2)), "y": np.zeros(0)}
        name = "X"
    else:
        data[name] = data[name][..., None, None]
    for call in (
        lambda: run(data["X"], data["y"]),
        lambda: closed_form(data["X"], data["y"]),
        lambda: loss_surface(data["X"], data["y"], [0, 1], [0, 1]),
    ):
        with pytest.raises(ValueError, match=rf"\b{name}="):
            call()


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        ({"w": [math.nan]}, "w"),
        ({"w": []}, "w"),
        ({"w": np.ones(11)}, "w"),
        ({"b": math.inf}, "b"),
        ({"n": 0}, "n"),
        ({"n": 10**8}, "n"),
        ({"n": 3.0}, "n"),
        ({"noise": -0.1}, "noise"),
        ({"noise": math.nan}, "noise"),
        ({"seed": -5}, "seed"),
        ({"scale": 0.009}, "scale"),
        ({"scale": 101}, "scale"),
        ({"scale": math.nan}, "scale"),
        ({"scale": "2"}, "scale"),
        ({"scale": True}, "scale"),
        ({"correlation": 1.0}, "correlation"),
        ({"correlation": -0.995}, "correlation"),
        ({"correlation": math.inf}, "correlation"),
        ({"w": [1.0, 2.0, 3.0], "scale": 2.0}, "scale"),
        ({"w": [1.0], "correlation": 0.5}, "correlation"),
    ],
)
def test_bad_synthetic_data_arguments_are_named(arguments, name):
    full = {"w": list(book.TRUE_W), "b": book.TRUE_B, "n": 100} | arguments
    with pytest.raises(ValueError, match=rf"^{name}=.* must be"):
        synthetic_data(**full)


def test_the_ends_of_scale_and_correlation_are_allowed():
    for scale, correlation in ((0.01, -0.99), (100, 0.99), (1, 0)):
        X, _ = synthetic_data([1.0, 1.0], 0.0, 10, scale=scale, correlation=correlation)
        assert np.all(np.isfinite(X))
    synthetic_data([1.0, 2.0, 3.0], 0.0, 10, scale=1.0, correlation=0.0)  # the defaults, any d


def test_bad_surface_arguments_are_named():
    with pytest.raises(ValueError, match=r"axes\[0\]='w3'"):
        loss_surface(X, Y, [0, 1], [0, 1], axes=("w3", "b"))
    with pytest.raises(ValueError, match="axes="):
        loss_surface(X, Y, [0, 1], [0, 1], axes=("b", "b"))
    with pytest.raises(ValueError, match="grid_a="):
        loss_surface(X, Y, [0, math.nan], [0, 1])
    with pytest.raises(ValueError, match="at="):
        loss_surface(X, Y, [0, 1], [0, 1], at=[1.0, 2.0])


def test_orders_must_be_integers_not_masks():
    X2, y2 = book.data(2, d=1)
    masks = [np.array([False, True])] * 3  # sorts to [0, 1] but would index as a mask
    with pytest.raises(ValueError, match=r"^orders=\[array\(\[False,  True\]\).*integer"):
        run(X2, y2, orders=masks, batch_size=1)
    with pytest.raises(ValueError, match=r"^orders=1\.5 is not allowed"):
        run(X, Y, orders=1.5)


def test_a_tensor_in_a_graph_is_named_with_the_fix():
    for name, data in (
        ("X", (torch.tensor(X, requires_grad=True), Y)),
        ("y", (X, torch.tensor(Y, requires_grad=True))),
    ):
        with pytest.raises(ValueError, match=rf"(?s)^{name}=tensor.*{name}\.detach\(\)"):
            run(*data)
    detached = run(torch.tensor(X, requires_grad=True).detach(), Y)
    np.testing.assert_array_equal(detached.ws, run(X, Y).ws)


@pytest.mark.parametrize(
    "features", [np.zeros((0, 2)), np.zeros((5, 0)), np.ones((5, 11)), np.ones(5), [[math.nan]]]
)
def test_stability_limit_refuses_what_training_refuses(features):
    with pytest.raises(ValueError, match=r"^X="):
        stability_limit(features)
    with pytest.raises(ValueError, match=r"^X="):
        run(features, np.zeros(len(features)))


def option_cases():
    """(optimizer, option, value outside its range, value at the edge inside) from the table."""
    for optimizer, spec in OPTIMIZERS.items():
        for option in spec.options:
            if isinstance(option.default, bool):
                yield optimizer, option.name, 1, not option.default
                continue
            low, high = (float(end) for end in option.interval[1:-1].split(","))
            closed_low, closed_high = option.interval[0] == "[", option.interval[-1] == "]"
            below = np.nextafter(low, -math.inf) if closed_low else low
            above = (
                math.inf
                if high == math.inf
                else high
                if not closed_high
                else np.nextafter(high, math.inf)
            )
            inside = [low if closed_low else np.nextafter(low, math.inf)]
            if high < math.inf:
                inside.append(high if closed_high else np.nextafter(high, -math.inf))
            for bad, good in ((below, inside[0]), (above, inside[-1])):
                if isinstance(option.default, tuple):
                    bad, good = (option.default[0], bad), (good, option.default[1])
                yield optimizer, option.name, bad, good


@pytest.mark.parametrize(("optimizer", "name", "bad", "good"), list(option_cases()))
def test_each_option_is_checked_against_its_row_of_the_table(optimizer, name, bad, good):
    option = next(o for o in OPTIMIZERS[optimizer].options if o.name == name)
    with pytest.raises(ValueError, match=rf"^{name}=.* must be {re.escape(option.allowed)}$"):
        run(X, Y, optimizer=optimizer, **{name: bad})
    if (optimizer, name, good) != ("rmsprop", "alpha", 0.0):  # refused when centered, below
        run(X, Y, optimizer=optimizer, epochs=1, **{name: good})


def test_option_table_follows_torch_optim():
    for optimizer, spec in OPTIMIZERS.items():
        parameters = inspect.signature(getattr(torch.optim, spec.torch_name)).parameters
        for option in spec.options:
            torch_default = parameters[option.name].default
            if optimizer in ("momentum", "nesterov") and option.name == "momentum":
                assert option.default == 0.9  # torch's 0 would make them plain SGD
            else:
                assert option.default == torch_default, (optimizer, option.name)
        for name, value in spec.torch_fixed:
            assert name in parameters and value != parameters[name].default


def test_centered_rmsprop_needs_a_positive_alpha():
    with pytest.raises(ValueError, match=r"^alpha=0\.0 .* \(0, 1\) when centered=True"):
        run(X, Y, optimizer="rmsprop", centered=True, alpha=0.0)
    sign_descent = run(X, Y, optimizer="rmsprop", alpha=0.0, lr=0.01)  # uncentred: |step| = lr
    assert sign_descent.diverged_at is None
    np.testing.assert_allclose(np.abs(np.diff(sign_descent.path_w, axis=0)), 0.01, rtol=1e-4)


def test_bad_weight_decay_and_gd_arguments_are_named():
    for call in (
        lambda: closed_form(X, Y, weight_decay=-0.1),
        lambda: stability_limit(X, weight_decay=math.nan),
        lambda: loss_surface(X, Y, [0, 1], [0, 1], weight_decay="0.1"),
    ):
        with pytest.raises(ValueError, match=r"^weight_decay=.* must be a finite number >= 0"):
            call()
    with pytest.raises(ValueError, match=r"^loss='l2'"):
        closed_form(X, Y, weight_decay=0.1, loss="l2")
    quad = loss_quadratic(X, Y)
    with pytest.raises(ValueError, match=r"^lr=0 "):
        quad.gd_steps(0)
    with pytest.raises(ValueError, match=r"^tol=-1 "):
        quad.gd_steps(0.1, tol=-1)
    with pytest.raises(ValueError, match=r"^theta0=\[1.0\] .* 3 finite values"):
        quad.gd_steps(0.1, theta0=[1.0])
    with pytest.raises(ValueError, match=r"^lr=nan "):
        quad.convergence_rate(math.nan)


# Numbers at the edges of what float32 and float64 hold: past float32's largest, under its
# smallest, next to 1 (float32 rounds 0.999999999 up), and subnormal in float64.
DTYPE_EDGES = (0.0, 5e-324, 1e-200, 1e-50, 1e-44, 0.5, 0.999999999, 3e38, 1e39, 1e300)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("engine", ENGINES)
def test_an_option_the_dtype_cannot_hold_is_refused_by_name_and_any_other_runs(engine, dtype):
    for optimizer, spec in OPTIMIZERS.items():
        for option in (o for o in spec.options if not isinstance(o.default, bool)):
            for edge in DTYPE_EDGES:
                value = (option.default[0], edge) if isinstance(option.default, tuple) else edge
                arguments = {"optimizer": optimizer, option.name: value}
                try:
                    run(X, Y, engine=engine, dtype=dtype, epochs=1, **arguments)
                except ValueError as error:
                    assert str(error).startswith(f"{option.name}="), (arguments, error)
                    if in_interval(edge, option.interval):  # refused for the dtype alone
                        assert dtype == "float32" and "float32 holds" in str(error), arguments


def test_an_adagrad_accumulator_past_float32s_largest_is_refused_for_float32_only():
    arguments = {"optimizer": "adagrad", "initial_accumulator_value": 1e39, "epochs": 1}
    for engine in ENGINES:
        with pytest.raises(ValueError, match=r"^initial_accumulator_value=1e\+39 .* float32"):
            run(X, Y, engine=engine, dtype="float32", **arguments)
        assert run(X, Y, engine=engine, dtype="float64", **arguments).diverged_at is None
