"""The engine's numbers at any units of the data: least squares, the loss, the stability limit.

Each result is checked against an independent computation: the normal equations of columns
scaled to unit norm (a different solver and a different scaling from the engine's), and losses
summed directly in extended precision (np.longdouble).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linreg_core import (
    closed_form,
    loss_quadratic,
    loss_surface,
    run,
    stability_limit,
    train,
)
from tests import book


def normal_equations(X, y):
    """[w, b] from the normal equations of unit-norm columns, scaled back."""
    Xa = np.c_[X, np.ones(len(X))]
    norms = np.linalg.norm(Xa, axis=0)
    A = Xa / norms
    return np.linalg.solve(A.T @ A, A.T @ y) / norms, norms


def direct_loss(X, y, theta):
    """1/(2n) ||X w + b - y||^2, summed in extended precision."""
    X, y, theta = (np.asarray(a, dtype=np.longdouble) for a in (X, y, theta))
    residual = X @ theta[:-1] + theta[-1] - y
    return float(np.mean(residual**2) / 2)


def timestamp_data(n=365, true_b=-160.92):
    """A year of daily readings against millisecond timestamps: x ~ 1.7e12, b far from 0."""
    rng = np.random.default_rng(11)
    t = 1.7e12 + 8.64e7 * np.arange(n)
    y = 1e-10 * t + true_b + rng.normal(0, 0.01, n)
    return t[:, None], y


def test_millisecond_timestamps_keep_the_intercept():
    X, y = timestamp_data()
    expected, _ = normal_equations(X, y)
    w, b = closed_form(X, y)
    assert b == pytest.approx(expected[-1], rel=1e-7)
    assert b == pytest.approx(-160.92, abs=0.5)  # the intercept the data were made with
    quad = loss_quadratic(X, y)
    np.testing.assert_allclose(quad.theta_star, expected, rtol=1e-7)
    assert quad.loss_star == pytest.approx(direct_loss(X, y, expected), rel=1e-9)
    grid = quad.theta_star[0] * np.array([0.999, 1.0, 1.001])
    surface = quad.surface(grid, [b - 1, b, b + 1], axes=("w1", "b"))
    assert surface[2, 0] == pytest.approx(direct_loss(X, y, [grid[0], b + 1]), rel=1e-9)


def test_training_on_timestamps_reports_the_true_loss():
    X, y = timestamp_data()
    trajectory = run(X, y, lr=0.5 * stability_limit(X), batch_size=len(y), epochs=3, b0=-150.0)
    for k in range(trajectory.num_steps):
        theta = np.append(trajectory.ws[k], trajectory.bs[k])
        assert trajectory.losses[k] == pytest.approx(direct_loss(X, y, theta), rel=1e-9)
    lines = trajectory.epoch_lines()
    assert lines[-1] == f"epoch 3, loss {direct_loss(X, y, theta):f}"


@settings(max_examples=150, deadline=None)
@given(
    exponents=st.lists(st.integers(-150, 150), min_size=1, max_size=3),
    label_exponent=st.integers(-100, 100),
    offset=st.floats(0, 30),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_column_scale_gives_the_same_fit(exponents, label_exponent, offset, seed):
    rng = np.random.default_rng(seed)
    d = len(exponents)
    n = int(rng.integers(d + 3, 60))
    Z = rng.normal(size=(n, d)) + offset  # an offset makes a column nearly the ones column
    Z /= np.abs(Z).max(axis=0)  # so that each column's largest |value| is its scale exactly
    y = (Z @ rng.normal(size=d) + rng.normal() + rng.normal(0, 0.1, n)) * 10.0**label_exponent
    X = Z * 10.0 ** np.array(exponents)
    expected, norms = normal_equations(X, y)
    size = np.linalg.norm(expected * norms)  # compared at the scale of the fitted values

    w, b = closed_form(X, y)
    np.testing.assert_allclose(np.append(w, b) * norms, expected * norms, atol=1e-8 * size)
    quad = loss_quadratic(X, y)
    np.testing.assert_allclose(quad.theta_star * norms, expected * norms, atol=1e-8 * size)
    assert quad.loss_star == pytest.approx(direct_loss(X, y, expected), rel=1e-7)
    away = expected + rng.normal(size=d + 1) / norms * np.sqrt(n) * 10.0**label_exponent
    assert quad.loss(away) == pytest.approx(direct_loss(X, y, away), rel=1e-9)

    Xa = np.c_[X, np.ones(n)]
    top = np.abs(Xa).max()  # one global scale: singular values scale with it exactly
    largest = np.linalg.svd(Xa / top, compute_uv=False)[0] * top
    assert stability_limit(X) == pytest.approx(2 / (largest**2 / n), rel=1e-9)
    assert quad.stability_limit() == pytest.approx(stability_limit(X), rel=1e-12)


def test_features_too_large_for_float64_squares_are_refused_by_name():
    X, y = book.data(100)
    huge = X * 1e200
    w, b = closed_form(huge, y)  # least squares needs no squares: an exact answer
    w_plain, b_plain = closed_form(X, y)
    np.testing.assert_allclose(w * 1e200, w_plain, rtol=1e-12)
    assert b == pytest.approx(b_plain, rel=1e-12)
    for call in (
        lambda: loss_quadratic(huge, y),
        lambda: stability_limit(huge),
        lambda: run(huge, y),
        lambda: train(huge, y),
        lambda: loss_surface(huge, y, [0, 1], [0, 1]),
        lambda: run(X * 1e-200, y),
    ):
        with pytest.raises(ValueError, match=r"^X=.*\[1e-150, 1e\+150\]"):
            call()
    with pytest.raises(ValueError, match=r"^y=.*\[1e-150, 1e\+150\]"):
        run(X, y * 1e200)


def test_a_feature_that_is_zero_everywhere_is_allowed():
    X, y = book.data(50)
    X[:, 1] = 0.0
    w, b = closed_form(X, y)
    w_one, b_one = closed_form(X[:, :1], y)
    assert w[1] == 0.0  # of all the best fits, the one with the smallest weights
    assert w[0] == pytest.approx(w_one[0], rel=1e-12) and b == pytest.approx(b_one, rel=1e-12)
    assert stability_limit(X) == pytest.approx(stability_limit(X[:, :1]), rel=1e-12)
