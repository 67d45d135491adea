"""Weight decay as the book's §3.7 has it: lambda/2 ||w||^2 penalises w, never b, in the quadratic
and in every update of both engines; checked against computations independent of the engine's."""

import numpy as np
import pytest
import torch

from linreg_core import (
    OPTIMIZERS,
    closed_form,
    loss_quadratic,
    loss_surface,
    run,
    stability_limit,
    synthetic_data,
    train,
)
from tests.test_engine import torch_optim_loop

LAMBDA = 0.3


@pytest.fixture(scope="module")
def data():
    return synthetic_data([2.0, -3.4, 1.1], 4.2, 120, noise=0.5, seed=3, scale=1.0)


def solve_longdouble(A, b):
    """A x = b by Gaussian elimination with partial pivoting, in extended precision."""
    A = np.array(A, dtype=np.longdouble)
    x = np.array(b, dtype=np.longdouble)
    n = len(x)
    for i in range(n):
        p = i + int(np.argmax(np.abs(A[i:, i])))
        A[[i, p]], x[[i, p]] = A[[p, i]], x[[p, i]]
        for j in range(i + 1, n):
            factor = A[j, i] / A[i, i]
            A[j, i:] -= factor * A[i, i:]
            x[j] -= factor * x[i]
    for i in reversed(range(n)):
        x[i] = (x[i] - A[i, i + 1 :] @ x[i + 1 :]) / A[i, i]
    return x


def ridge_normal_equations(X, y, lam, scale):
    """[w, b] minimising scale/(2n) ||X w + b - y||^2 + lam/2 ||w||^2, from the normal
    equations (scale G + lam P) theta = scale c, formed and solved in extended precision."""
    Xa = np.c_[X, np.ones(len(X))].astype(np.longdouble)
    penalty = np.diag([lam] * X.shape[1] + [0.0]).astype(np.longdouble)
    A = scale * Xa.T @ Xa / len(X) + penalty
    return solve_longdouble(A, scale * Xa.T @ np.asarray(y, dtype=np.longdouble) / len(X))


def objective(X, y, theta, lam, scale):
    """scale/(2n) ||X w + b - y||^2 + lam/2 ||w||^2 at each row of theta, in extended precision."""
    X, y, theta = (np.asarray(a, dtype=np.longdouble) for a in (X, y, np.atleast_2d(theta)))
    residual = theta[:, :-1] @ X.T + theta[:, -1:] - y
    return (
        scale * np.mean(residual**2, axis=1) / 2 + lam * np.sum(theta[:, :-1] ** 2, axis=1) / 2
    ).astype(np.float64)


@pytest.mark.parametrize(("loss", "scale"), [("half_mse", 1.0), ("mse", 2.0)])
def test_the_penalised_quadratic_against_the_normal_equations(data, loss, scale):
    X, y = data
    quad = loss_quadratic(X, y, loss, weight_decay=LAMBDA)
    expected = ridge_normal_equations(X, y, LAMBDA, scale)
    np.testing.assert_allclose(quad.theta_star, expected.astype(np.float64), rtol=1e-12)
    w, b = closed_form(X, y, weight_decay=LAMBDA, loss=loss)
    np.testing.assert_allclose(np.append(w, b), quad.theta_star, rtol=1e-13)
    unpenalised = closed_form(X, y)[0]
    assert np.linalg.norm(w) < np.linalg.norm(unpenalised)  # shrunk towards 0
    # b is not penalised: it is the mean residual of the ridge weights
    assert b == pytest.approx(float(np.mean(y - X @ w)), rel=1e-12)
    assert quad.loss_star == pytest.approx(objective(X, y, expected, LAMBDA, scale)[0], rel=1e-12)
    rng = np.random.default_rng(1)
    thetas = quad.theta_star + rng.normal(0, 2, (50, 4))
    np.testing.assert_allclose(
        quad.loss(thetas), objective(X, y, thetas, LAMBDA, scale), rtol=1e-11
    )
    # the Hessian, and the limit from it, in extended precision
    Xa = np.c_[X, np.ones(len(X))].astype(np.longdouble)
    hessian = scale * Xa.T @ Xa / len(X) + np.diag([LAMBDA] * 3 + [0.0])
    lam_max = np.linalg.eigvalsh(hessian.astype(np.float64))[-1]
    assert quad.stability_limit() == pytest.approx(2 / lam_max, rel=1e-12)
    assert stability_limit(X, loss, weight_decay=LAMBDA) == pytest.approx(2 / lam_max, rel=1e-12)
    assert quad.stability_limit() < loss_quadratic(X, y, loss).stability_limit()


def test_the_penalised_surface_and_level_curves(data):
    X, y = data
    quad = loss_quadratic(X, y, "mse", weight_decay=LAMBDA)
    at = np.array([0.5, -1.0, 0.2, 3.0])
    grid_a, grid_b = np.linspace(-3, 3, 6), np.linspace(0, 6, 5)
    surface = loss_surface(
        X, y, grid_a, grid_b, axes=("w2", "b"), at=at, loss="mse", weight_decay=LAMBDA
    )
    thetas = np.tile(at, (5, 6, 1))
    thetas[..., 1], thetas[..., 3] = grid_a[None, :], grid_b[:, None]
    direct = objective(X, y, thetas.reshape(-1, 4), LAMBDA, 2.0).reshape(5, 6)
    np.testing.assert_allclose(surface, direct, rtol=1e-11)
    levels = [quad.loss_star + 1.0, quad.loss_star + 10.0]
    for axes in (("w1", "w2"), ("w3", "b")):
        for level, (a, b) in zip(levels, quad.level_curves(levels, axes=axes), strict=True):
            points = np.tile(quad.theta_star, (len(a), 1))
            names = ["w1", "w2", "w3", "b"]
            points[:, names.index(axes[0])], points[:, names.index(axes[1])] = a, b
            np.testing.assert_allclose(objective(X, y, points, LAMBDA, 2.0), level, rtol=1e-9)


def test_zero_weight_decay_is_the_unpenalised_quadratic(data):
    X, y = data
    plain, zero = loss_quadratic(X, y), loss_quadratic(X, y, weight_decay=0.0)
    np.testing.assert_array_equal(plain.theta_star, zero.theta_star)
    assert plain.loss_star == zero.loss_star and plain.curvature is plain.G


@pytest.mark.parametrize("lam", [1e-8, 1e4])
def test_tiny_and_huge_weight_decay(data, lam):
    X, y = data
    w, b = closed_form(X, y, weight_decay=lam)
    expected = ridge_normal_equations(X, y, lam, 1.0).astype(np.float64)
    np.testing.assert_allclose(np.append(w, b), expected, rtol=1e-10, atol=1e-14)
    if lam > 1:
        assert b == pytest.approx(np.mean(y - X @ w), rel=1e-12)  # b stays free as w -> 0


@pytest.mark.parametrize("engine", ["numpy", "numpy float32", "torch"])
@pytest.mark.parametrize("loss", ["half_mse", "mse"])
def test_full_batch_descent_with_weight_decay_finds_the_ridge_minimum(data, engine, loss):
    X, y = data
    quad = loss_quadratic(X, y, loss, weight_decay=LAMBDA)
    arguments = {"batch_size": len(y), "epochs": 400, "loss": loss, "weight_decay": LAMBDA}
    if engine == "numpy float32":  # update by update rather than the affine path
        arguments["dtype"], engine = "float32", "numpy"
    trajectory = run(X, y, lr=0.9 * quad.stability_limit(), engine=engine, **arguments)
    atol = 1e-5 if arguments.get("dtype") == "float32" else 1e-9
    np.testing.assert_allclose(trajectory.ws[-1], quad.theta_star[:-1], atol=atol)
    assert trajectory.bs[-1] == pytest.approx(quad.theta_star[-1], abs=atol)
    # what the run reports is the data loss, without the penalty (as the book prints it)
    data_loss = loss_quadratic(X, y, loss).loss(np.append(trajectory.ws[-1], trajectory.bs[-1]))
    assert trajectory.losses[-1] == pytest.approx(data_loss, rel=1e-6)
    penalty = LAMBDA / 2 * np.sum(quad.theta_star[:-1] ** 2)
    assert quad.loss_star == pytest.approx(data_loss + penalty, rel=1e-6)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("engine", ["numpy", "torch"])
def test_every_optimizer_decays_w_and_not_b(data, optimizer, engine):
    X, y = data
    rng = np.random.default_rng(2)
    orders = [rng.permutation(len(y)) for _ in range(2)]
    theta0 = np.array([0.5, -0.5, 0.2, 1.0])
    spec = OPTIMIZERS[optimizer]
    options = dict(spec.torch_fixed) | spec.defaults
    expected = torch_optim_loop(
        X,
        y,
        orders,
        theta0,
        8,
        "half_mse",
        getattr(torch.optim, spec.torch_name),
        lr=0.01,
        weight_decay=LAMBDA,
        **options,
    )
    trajectory = run(
        X,
        y,
        lr=0.01,
        batch_size=8,
        epochs=2,
        optimizer=optimizer,
        engine=engine,
        weight_decay=LAMBDA,
        orders=orders,
        w0=theta0[:-1],
        b0=theta0[-1],
    )
    np.testing.assert_allclose(trajectory.ws, expected[:, :-1], rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(trajectory.bs, expected[:, -1], rtol=1e-7, atol=1e-10)


def test_one_sgd_step_decays_w_only(data):
    X, y = data
    w0, b0, lr = np.array([0.5, -0.5, 0.2]), 1.0, 0.1
    for engine in ("numpy", "torch"):
        step = next(train(X, y, lr=lr, weight_decay=LAMBDA, w0=w0, b0=b0, engine=engine))
        np.testing.assert_allclose(step.w, w0 - lr * (step.grad_w + LAMBDA * w0), rtol=1e-12)
        assert step.b == pytest.approx(b0 - lr * step.grad_b, rel=1e-12)
