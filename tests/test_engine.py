"""The engine against the book: its run, its loop, its conventions and the maths of REFERENCE.md."""

import itertools
import threading

import numpy as np
import pytest
import torch

import linreg_core
from linreg_core import (
    OPTIMIZERS,
    closed_form,
    data_iter,
    loss_surface,
    parameter_names,
    run,
    stability_limit,
    synthetic_data,
    train,
)
from linreg_core.cost import update_seconds
from linreg_core.plan import keyword_plan
from linreg_core.training import run_plan
from tests import book

TRUE_W, TRUE_B = np.array(book.TRUE_W), book.TRUE_B


def test_default_run_finds_the_true_parameters(book_data):
    X, y = book_data
    trajectory = run(X, y)
    assert trajectory.num_steps == 300  # 3 epochs of 100 batches
    assert np.abs(trajectory.ws[-1] - TRUE_W).max() < 1e-3
    assert abs(trajectory.bs[-1] - TRUE_B) < 1e-3
    epochs = trajectory.epoch_losses()
    assert [e for e, _ in epochs] == [1, 2, 3]
    assert epochs[-1][1] < 1e-4
    assert epochs[0][1] > epochs[1][1] > epochs[2][1]
    assert trajectory.epoch_lines()[2] == f"epoch 3, loss {epochs[2][1]:f}"


def test_synthetic_data_follows_the_book(book_data):
    X, y = book_data
    assert X.shape == (1000, 2) and y.shape == (1000,) and X.dtype == np.float64
    residual = y - (X @ TRUE_W + TRUE_B)
    assert 0.008 < residual.std() < 0.012  # noise 0.01
    assert abs(X.mean()) < 0.1 and 0.9 < X.std() < 1.1
    again, _ = book.data()
    other, _ = book.data(seed=1)
    assert np.array_equal(X, again) and not np.array_equal(X, other)


def test_data_iter_keeps_the_last_short_batch():
    X, y = book.data(1005)
    rng = np.random.default_rng(0)
    sizes = [len(xb) for xb, _ in data_iter(10, X, y, rng)]
    assert len(sizes) == 101 and sizes[-1] == 5 and set(sizes[:-1]) == {10}
    assert len(list(train(X, y, epochs=1))) == 101
    assert len(list(train(X, y, epochs=1, drop_last=True))) == 100


def book_loop(X, y, orders, w0, b0, lr=book.LR, batch_size=book.BATCH_SIZE):
    """A plain transcription of D2L §3.2's training loop, in float64 torch."""
    features, labels = torch.from_numpy(X), torch.from_numpy(y).reshape(-1, 1)
    w = torch.tensor(w0.reshape(-1, 1), requires_grad=True)
    b = torch.tensor([b0], dtype=torch.float64, requires_grad=True)

    def linreg(X, w, b):
        return torch.matmul(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    path = []
    for order in orders:
        for i in range(0, len(order), batch_size):
            batch = torch.tensor(order[i : i + batch_size])
            loss = squared_loss(linreg(features[batch], w, b), labels[batch])
            loss.sum().backward()
            sgd([w, b], lr, batch_size)
            path.append((w.detach().numpy().ravel().copy(), b.item()))
    return path


@pytest.mark.parametrize("engine", ["numpy", "torch"])
def test_engines_replay_the_books_loop_step_by_step(book_data, engine):
    X, y = book_data
    rng = np.random.default_rng(7)
    orders = [rng.permutation(1000) for _ in range(3)]
    w0, b0 = rng.normal(0, 0.01, 2), 0.0
    expected = book_loop(X, y, orders, w0, b0)
    steps = list(train(X, y, orders=orders, w0=w0, b0=b0, engine=engine))
    assert len(steps) == len(expected) == 300
    for step, (w, b) in zip(steps, expected, strict=True):
        np.testing.assert_allclose(step.w, w, rtol=1e-6, atol=1e-9)
        assert step.b == pytest.approx(b, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_numpy_and_torch_engines_agree(book_data, optimizer):
    X, y = book_data
    lr = 0.3 if optimizer == "adagrad" else 0.03
    mine = run(X, y, optimizer=optimizer, lr=lr)
    book = run(X, y, optimizer=optimizer, lr=lr, engine="torch")
    np.testing.assert_allclose(mine.ws, book.ws, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(mine.bs, book.bs, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(mine.grad_ws, book.grad_ws, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(mine.losses, book.losses, rtol=1e-5)
    np.testing.assert_allclose(mine.batch_losses, book.batch_losses, rtol=1e-5, atol=1e-12)
    assert mine.losses[-1] < mine.loss0 / 10  # each optimizer actually trains


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"optimizer": "momentum", "momentum": 0.5, "lr": 0.01},
        {"optimizer": "nesterov", "weight_decay": 0.01},
        {"loss": "mse", "batch_size": 7, "epochs": 2},
        {"batch_size": 7, "drop_last": True, "weight_decay": 0.1},
        {"optimizer": "sgd", "momentum": 0.9, "batch_size": 1000, "epochs": 20, "lr": 0.3},
    ],
)
def test_run_holds_exactly_what_train_yields(book_data, arguments):
    X, y = book_data
    trajectory = run(X, y, **arguments)
    steps = list(train(X, y, **arguments))
    assert trajectory.num_steps == len(steps)
    np.testing.assert_allclose(trajectory.ws, [s.w for s in steps], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(trajectory.bs, [s.b for s in steps], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(trajectory.grad_ws, [s.grad_w for s in steps], rtol=1e-8, atol=1e-11)
    np.testing.assert_allclose(trajectory.grad_bs, [s.grad_b for s in steps], rtol=1e-8, atol=1e-11)
    np.testing.assert_allclose(trajectory.losses, [s.loss for s in steps], rtol=1e-9)
    np.testing.assert_allclose(
        trajectory.batch_losses, [s.batch_loss for s in steps], rtol=1e-8, atol=1e-14
    )
    assert list(trajectory.epochs) == [s.epoch for s in steps]
    assert [s.index for s in steps] == list(range(len(steps)))


def torch_optim_loop(
    X, y, orders, theta0, batch_size, loss, optimizer, weight_decay=0.0, **arguments
):
    """A plain torch.optim loop on the batch-mean loss: every [w, b] after each update.

    weight_decay on w only, as the book's concise §3.7: a parameter group for w, one for b.
    """
    features, labels = torch.from_numpy(X), torch.from_numpy(y)
    w = torch.tensor(theta0[:-1], requires_grad=True)
    b = torch.tensor(theta0[-1], requires_grad=True)
    step = optimizer([{"params": [w], "weight_decay": weight_decay}, {"params": [b]}], **arguments)
    half = 0.5 if loss == "half_mse" else 1.0
    path = []
    for order in orders:
        for i in range(0, len(order), batch_size):
            batch = torch.from_numpy(order[i : i + batch_size])
            batch_loss = (half * (features[batch] @ w + b - labels[batch]) ** 2).mean()
            step.zero_grad()
            batch_loss.backward()
            step.step()
            path.append(np.append(w.detach().numpy(), b.item()))
    return np.array(path)


# (optimizer, its options here, the torch.optim class and its arguments for the same update)
NON_DEFAULT = [
    ("sgd", {"momentum": 0.5, "dampening": 0.3}, torch.optim.SGD, {}),
    ("momentum", {"momentum": 0.7, "dampening": 0.1}, torch.optim.SGD, {}),
    ("nesterov", {"momentum": 0.6}, torch.optim.SGD, {"nesterov": True}),
    (
        "adagrad",
        {"lr_decay": 0.01, "initial_accumulator_value": 0.1, "eps": 1e-6},
        torch.optim.Adagrad,
        {},
    ),
    (
        "rmsprop",
        {"alpha": 0.9, "eps": 1e-6, "momentum": 0.5, "centered": True},
        torch.optim.RMSprop,
        {},
    ),
    ("adam", {"betas": (0.8, 0.99), "eps": 1e-6, "amsgrad": True}, torch.optim.Adam, {}),
]


@pytest.mark.parametrize("loss", ["half_mse", "mse"])
@pytest.mark.parametrize(("optimizer", "options", "torch_class", "fixed"), NON_DEFAULT)
def test_numpy_engine_matches_torch_optim_with_non_default_options(
    book_data, loss, optimizer, options, torch_class, fixed
):
    X, y = book_data
    rng = np.random.default_rng(8)
    orders = [rng.permutation(1000) for _ in range(2)]
    theta0 = np.append(rng.normal(0, 0.01, 2), 0.5)
    lr, batch_size, weight_decay = 0.02, 7, 0.01  # 143 batches, the last of 6
    expected = torch_optim_loop(
        X,
        y,
        orders,
        theta0,
        batch_size,
        loss,
        torch_class,
        lr=lr,
        weight_decay=weight_decay,
        **options,
        **fixed,
    )
    arguments = dict(
        lr=lr,
        batch_size=batch_size,
        epochs=2,
        optimizer=optimizer,
        loss=loss,
        weight_decay=weight_decay,
        orders=orders,
        w0=theta0[:-1],
        b0=theta0[-1],
        **options,
    )
    for path in (run(X, y, **arguments), list(train(X, y, **arguments))):
        if isinstance(path, list):
            ws, bs = np.array([s.w for s in path]), np.array([s.b for s in path])
        else:
            ws, bs = path.ws, path.bs
        assert len(bs) == len(expected) == 286
        np.testing.assert_allclose(ws, expected[:, :-1], rtol=1e-7, atol=1e-10)
        np.testing.assert_allclose(bs, expected[:, -1], rtol=1e-7, atol=1e-10)
    assert np.abs(np.diff(expected, axis=0)).max() > 1e-3  # the parameters did move


@pytest.fixture
def updates_computed(monkeypatch):
    """A list that records how many updates each chunk the engine computes holds."""
    counts = []
    for name in ("affine_updates", "numpy_updates", "torch_updates"):
        factory = getattr(linreg_core.training, name)

        def counted(plan, theta0, factory=factory):
            advance = factory(plan, theta0)

            def advance_and_count(batches):
                counts.append(len(batches))
                return advance(batches)

            return advance_and_count

        monkeypatch.setattr(linreg_core.training, name, counted)
    return counts


@pytest.mark.parametrize("arguments", [{}, {"optimizer": "adam"}, {"engine": "torch"}])
def test_train_computes_only_what_is_read(updates_computed, arguments):
    X, y = book.data(100_000)
    steps = train(X, y, batch_size=1, epochs=20, **arguments)  # 2,000,000 updates
    assert updates_computed == []  # nothing before the first read
    read = 0
    for wanted in (1, 17, 40, 300, 1000):
        for step in itertools.islice(steps, wanted - read):
            assert step.index == read
            read += 1
        # chunks double from linreg_core.training.FIRST_CHUNK: at most about twice what was read
        assert read <= sum(updates_computed) < 2 * read + linreg_core.training.FIRST_CHUNK
    steps.close()
    assert sum(updates_computed) < 2 * read + linreg_core.training.FIRST_CHUNK


class ReaderGoneError(Exception):
    pass


def test_a_whole_run_stops_at_the_chunk_where_its_caller_gives_up(updates_computed):
    X, y = book.data(100_000)
    plan = keyword_plan(X, y, batch_size=1, epochs=20)  # 2,000,000 updates, 100,000 a chunk
    done = []

    def after_chunk():
        done.append(sum(updates_computed))
        if len(done) == 3:
            raise ReaderGoneError

    with pytest.raises(ReaderGoneError):
        run_plan(plan, after_chunk)
    assert done == [100_000, 200_000, 300_000] and sum(updates_computed) == 300_000
    full = run_plan(keyword_plan(X, y, batch_size=100, epochs=2), after_chunk=lambda: None)
    np.testing.assert_array_equal(full.ws, run(X, y, batch_size=100, epochs=2).ws)


@pytest.mark.parametrize(
    "arguments", [{"engine": "torch"}, {"optimizer": "adam"}, {"dtype": "float32"}]
)
def test_a_run_updated_one_at_a_time_stops_soon_after_its_caller_gives_up(
    updates_computed, arguments
):
    """Each chunk is checked by its price: a closed page costs at most two chunks' worth."""
    X, y = book.data(5_000)
    plan = keyword_plan(X, y, batch_size=1, epochs=2, **arguments)  # 10,000 updates, 5,000 an epoch
    checks = []

    def after_chunk():
        checks.append(1)
        if len(checks) == 2:
            raise ReaderGoneError

    with pytest.raises(ReaderGoneError):
        run_plan(plan, after_chunk)
    price = update_seconds(plan.engine, plan.X.dtype.name, plan.optimizer, 1, plan.options)
    assert len(updates_computed) == 2
    assert sum(updates_computed) * price <= 2 * linreg_core.training.CHUNK_SECONDS


def test_step_loss_is_the_full_data_mean_loss(book_data):
    X, y = book_data
    for step in list(train(X, y, epochs=1))[::25]:
        direct = np.mean((X @ step.w + step.b - y) ** 2 / 2)
        assert step.loss == pytest.approx(direct, rel=1e-9)


@pytest.mark.parametrize("loss", ["half_mse", "mse"])
@pytest.mark.parametrize("engine", ["numpy", "torch"])
def test_full_batch_gd_is_stable_just_below_the_limit_only(loss, engine):
    X, y = synthetic_data([1.5, -0.7], 0.3, 200, noise=0.1, seed=3)
    X = X * np.array([1.0, 3.0])  # unequal scales: a clear largest eigenvalue
    limit = stability_limit(X, loss=loss)
    stable = run(X, y, lr=0.95 * limit, batch_size=200, epochs=400, loss=loss, engine=engine)
    assert stable.diverged_at is None
    w_star, b_star = closed_form(X, y)
    np.testing.assert_allclose(stable.ws[-1], w_star, atol=1e-6)
    unstable = {
        "lr": 1.05 * limit,
        "batch_size": 200,
        "epochs": 2000,
        "loss": loss,
        "engine": engine,
    }
    steps = list(train(X, y, **unstable))
    assert steps[-1].diverged and not any(s.diverged for s in steps[:-1])
    assert len(steps) < 2000  # the generator stopped there
    assert run(X, y, **unstable).diverged_at == len(steps) - 1


def test_mse_halves_the_stability_limit(book_data):
    X, _ = book_data
    assert stability_limit(X, loss="mse") == pytest.approx(stability_limit(X) / 2)
    assert 1.5 < stability_limit(X) < 2.5  # G is close to the identity for the book's data


# Full-batch descent on a quadratic converges for lr * lambda_max below 2 (SGD), 2 (1 + mu) (heavy
# ball, torch's momentum) and 2 (1 + mu) / (1 + 2 mu) (torch's Nesterov form): the roots of each
# method's characteristic polynomial stay inside the unit circle exactly there.
LIMIT_FACTOR = {
    "sgd": lambda mu: 1.0,
    "momentum": lambda mu: 1 + mu,
    "nesterov": lambda mu: (1 + mu) / (1 + 2 * mu),
}


@pytest.mark.parametrize("optimizer", sorted(LIMIT_FACTOR))
@pytest.mark.parametrize("engine", ["numpy", "numpy float32", "torch"])
def test_momentum_methods_converge_just_below_their_limit_and_diverge_mid_run_above(
    optimizer, engine
):
    X, y = synthetic_data([1.5, -0.7], 0.3, 200, noise=0.1, seed=3)
    X = X * np.array([1.0, 3.0])  # unequal scales: a clear largest eigenvalue
    mu = 0.0 if optimizer == "sgd" else 0.6
    limit = stability_limit(X) * LIMIT_FACTOR[optimizer](mu)
    if engine == "numpy float32":  # the update-by-update NumPy path rather than the affine one
        X, y, engine = X.astype(np.float32), y.astype(np.float32), "numpy"
    options = {"momentum": mu} if mu else {}
    arguments = {"batch_size": 200, "epochs": 1000, "optimizer": optimizer, "engine": engine}

    below = run(X, y, lr=0.97 * limit, **arguments, **options)
    assert below.diverged_at is None
    w_star, b_star = closed_form(X, y)
    np.testing.assert_allclose(below.ws[-1], w_star, atol=1e-5)
    assert below.bs[-1] == pytest.approx(b_star, abs=1e-5)

    steps = list(train(X, y, lr=1.03 * limit, **arguments, **options))
    assert 20 < len(steps) < 1000  # neither at the first updates nor never
    assert steps[-1].diverged and not any(s.diverged for s in steps[:-1])
    above = run(X, y, lr=1.03 * limit, **arguments, **options)
    assert above.diverged_at == len(steps) - 1
    assert np.all(above.losses[:-1] <= 1e8 * above.loss0)  # the rule: 1e8 x the starting loss
    assert not np.isfinite(above.losses[-1]) or above.losses[-1] > 1e8 * above.loss0
    assert len(above.epoch_losses()) == above.diverged_at  # one batch an epoch


def adam_bound(t, beta1=0.9, beta2=0.999):
    """Largest |m_hat| / sqrt(v_hat) after t updates, whatever the gradients."""
    r = beta1 / np.sqrt(beta2)
    ratio = (1 - beta1) * (1 - r**t) / ((1 - r) * np.sqrt(1 - beta2))
    return ratio * np.sqrt(1 - beta2**t) / (1 - beta1**t)


@pytest.mark.parametrize(
    ("optimizer", "bound"),
    [
        ("adagrad", lambda t: 1.0),  # |g_t| <= sqrt(g_1^2 + ... + g_t^2)
        ("rmsprop", lambda t: 10.0),  # square_avg >= (1 - alpha) g_t^2, alpha = 0.99
        ("adam", adam_bound),
    ],
)
def test_adaptive_steps_are_bounded_by_lr_so_a_huge_lr_does_not_diverge(
    book_data, optimizer, bound
):
    X, y = book_data
    lr = 100 * stability_limit(X)
    trajectory = run(X, y, lr=lr, optimizer=optimizer)
    moves = np.abs(np.diff(np.c_[trajectory.path_w, trajectory.path_b], axis=0))
    t = np.arange(1, trajectory.num_steps + 1)[:, None]
    assert np.all(moves <= lr * bound(t) * (1 + 1e-9))
    assert moves[0] == pytest.approx(lr * bound(1), rel=1e-6)  # the first step is the largest
    assert trajectory.diverged_at is None
    sgd = run(X, y, lr=lr)
    assert sgd.diverged_at is not None and sgd.diverged_at < 10


def test_loss_surface_matches_the_direct_formula():
    X, y = synthetic_data([0.5, -1.0, 2.0], 1.0, 50, noise=0.3, seed=4)
    grid_a, grid_b = np.linspace(-3, 3, 7), np.linspace(-2, 4, 5)
    at = np.array([0.1, 0.2, 0.3, 0.4])
    surface = loss_surface(X, y, grid_a, grid_b, axes=("w3", "b"), at=at)
    assert surface.shape == (5, 7)
    for j, vb in enumerate(grid_b):
        for i, va in enumerate(grid_a):
            w = np.array([0.1, 0.2, va])
            assert surface[j, i] == pytest.approx(np.mean((X @ w + vb - y) ** 2 / 2), rel=1e-9)
    default = loss_surface(X, y, grid_a, grid_b)  # w1-w2, the rest at the optimum
    w_star, b_star = closed_form(X, y)
    direct = np.mean((X @ np.array([grid_a[2], grid_b[1], w_star[2]]) + b_star - y) ** 2 / 2)
    assert default[1, 2] == pytest.approx(direct, rel=1e-9)


def test_closed_form_matches_lstsq():
    X, y = book.data(300, noise=1.0, seed=5)
    w, b = closed_form(X, y)
    expected, *_ = np.linalg.lstsq(np.c_[X, np.ones(300)], y, rcond=None)
    np.testing.assert_allclose(np.append(w, b), expected, rtol=1e-12)
    residual = y - (X @ w + b)
    np.testing.assert_allclose(np.c_[X, np.ones(300)].T @ residual, 0, atol=1e-9)  # orthogonal


def test_sixteen_threads_get_what_each_gets_alone(book_data):
    X, y = book_data
    engines = ["numpy", "torch"]
    alone = {seed: run(X, y, seed=seed, engine=engines[seed % 2], epochs=1) for seed in range(16)}
    together: dict[int, object] = {}

    def work(seed):
        together[seed] = run(X, y, seed=seed, engine=engines[seed % 2], epochs=1)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for seed in range(16):
        np.testing.assert_array_equal(together[seed].ws, alone[seed].ws)
        np.testing.assert_array_equal(together[seed].losses, alone[seed].losses)
    assert not np.array_equal(alone[0].ws, alone[2].ws)


def test_no_global_random_state_is_touched(book_data):
    X, y = book_data
    numpy_state, torch_state = np.random.get_state()[1].copy(), torch.get_rng_state().clone()
    book.data(100, seed=9)
    run(X, y, engine="torch", epochs=1)
    run(X, y, epochs=1)
    list(data_iter(10, X, y, np.random.default_rng(1)))
    assert np.array_equal(np.random.get_state()[1], numpy_state)
    assert torch.equal(torch.get_rng_state(), torch_state)


def test_too_many_updates_are_refused_with_the_numbers(book_data, monkeypatch):
    X, y = book_data
    with pytest.raises(ValueError, match=r"epochs=.*2,000,000.*1,000 batches.*20,000,000"):
        run(X, y, batch_size=1, epochs=20_000)
    monkeypatch.setattr(linreg_core.plan, "MAX_UPDATES", 150)
    with pytest.raises(ValueError, match="at most 150 updates"):
        list(train(X, y))


def direct_loss(X, y, theta) -> np.ndarray:
    """The mse of each row [w1..wd, b] of theta, straight from the data."""
    return np.mean((theta[:, :-1] @ X.T + theta[:, -1:] - y) ** 2, axis=1)


@pytest.mark.parametrize(
    ("d", "axes"),
    [(2, ("w1", "w2")), (2, ("w1", "b")), (2, ("w2", "b")), (2, ("b", "w1")), (1, ("w1", "b"))],
    ids=["w1-w2", "w1-b", "w2-b", "b-w1", "one-feature"],
)
def test_level_curves_are_exact_level_sets_on_any_two_axes(d, axes):
    X, y = synthetic_data([0.5, -1.0][:d], 1.0, 80, noise=0.3, seed=6)
    if d == 2:
        X = X @ np.array([[1.0, 0.6], [0.0, 0.8]])  # correlated features: tilted ellipses
    quad = linreg_core.loss_quadratic(X, y, loss="mse")
    names = parameter_names(d)
    at = np.array([0.2, -0.3, 0.4])[-(d + 1) :]  # the held parameter, away from the optimum
    through_at = direct_loss(X, y, at[None, :])[0]  # a level the slice reaches: at's own loss
    levels = [quad.loss_star / 2, through_at, 2 * through_at, 4 * through_at]
    curves = quad.level_curves(levels, axes=axes, at=at)
    assert len(curves[0][0]) == 0  # below the least-squares loss: no curve
    for level, (a, b) in zip(levels[1:], curves[1:], strict=True):
        assert len(a) > 3 and (a[0], b[0]) == pytest.approx((a[-1], b[-1]))  # closed
        theta = np.tile(at, (len(a), 1))
        theta[:, names.index(axes[0])], theta[:, names.index(axes[1])] = a, b
        np.testing.assert_allclose(direct_loss(X, y, theta), level, rtol=1e-9)


@pytest.mark.parametrize("engine", ["numpy", "torch"])
def test_a_run_cut_after_some_updates_is_the_whole_runs_beginning(engine):
    X, y = book.data(100)
    # 15 updates an epoch
    plan = keyword_plan(X, y, batch_size=7, epochs=3, engine=engine, optimizer="adam")
    whole = run_plan(plan)
    for updates in (1, 10, 15, 16, 44, 45, 1000):
        cut = run_plan(plan, updates=updates)
        k = min(updates, whole.num_steps)
        assert cut.num_steps == k
        np.testing.assert_array_equal(cut.ws, whole.ws[:k])
        np.testing.assert_array_equal(cut.epochs, whole.epochs[:k])
    diverging = keyword_plan(X, y, batch_size=7, epochs=3, lr=50.0)
    stop = run_plan(diverging).diverged_at
    assert run_plan(diverging, updates=stop).diverged_at is None
    assert run_plan(diverging, updates=stop + 1).diverged_at == stop
    with pytest.raises(ValueError, match="^updates=0 is not allowed"):
        run_plan(plan, updates=0)
