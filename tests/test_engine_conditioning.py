"""Conditioning: scaled or correlated features, the Hessian's spectrum, and how fast full-batch
gradient descent gets to the minimum, measured against the theory of REFERENCE.md."""

import numpy as np
import pytest

from linreg_core import loss_quadratic, run, stability_limit, synthetic_data
from linreg_core.data import standardise
from tests import book

TRUE_W, TRUE_B = list(book.TRUE_W), book.TRUE_B


@pytest.mark.parametrize(
    ("w", "n", "noise", "seed"),
    [([2.0], 7, 0.5, 3), (TRUE_W, 1000, 0.01, 0), ([1.0, 2.0, 3.0], 50, 1.0, 9)],
)
def test_default_data_is_todays_data_bit_for_bit(w, n, noise, seed):
    X, y = synthetic_data(w, TRUE_B, n, noise=noise, seed=seed)
    rng = np.random.default_rng(seed)  # the formula before scale and correlation existed
    X_before = rng.normal(0.0, 1.0, (n, len(w)))
    y_before = X_before @ np.array(w) + TRUE_B + rng.normal(0.0, noise, n)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    again = synthetic_data(w, TRUE_B, n, noise=noise, seed=seed, scale=1, correlation=0)
    np.testing.assert_array_equal(again[0], X)


@pytest.mark.parametrize(("scale", "correlation"), [(10.0, 0.0), (1.0, 0.9), (0.1, -0.6)])
def test_scale_and_correlation_shape_the_second_feature(scale, correlation):
    n = 20_000
    X0, y0 = book.data(n, seed=4)
    X, y = book.data(n, seed=4, scale=scale, correlation=correlation)
    np.testing.assert_array_equal(X[:, 0], X0[:, 0])  # x1 as drawn
    assert np.std(X[:, 1]) == pytest.approx(scale, rel=0.03)
    assert np.corrcoef(X.T)[0, 1] == pytest.approx(correlation, abs=0.03)
    noise = y - (X @ np.array(TRUE_W) + TRUE_B)  # the same noise draws, on the new features
    np.testing.assert_allclose(noise, y0 - (X0 @ np.array(TRUE_W) + TRUE_B), atol=1e-11)


def gram(X):
    """Xa^T Xa / n in extended precision, rounded to float64."""
    Xa = np.c_[X, np.ones(len(X))].astype(np.longdouble)
    return (Xa.T @ Xa / len(X)).astype(np.float64)


def test_the_spectrum_a_lesson_shows():
    X, y = book.data(500, seed=2, scale=5.0, correlation=0.7)
    for loss, factor in (("half_mse", 1.0), ("mse", 2.0)):
        quad = loss_quadratic(X, y, loss)
        expected = factor * np.linalg.eigvalsh(gram(X))
        np.testing.assert_allclose(quad.eigenvalues(), expected, rtol=1e-12)
        lam_min, lam_max = expected[0], expected[-1]
        assert quad.condition_number() == pytest.approx(lam_max / lam_min, rel=1e-12)
        assert quad.stability_limit() == pytest.approx(2 / lam_max, rel=1e-12)
        assert stability_limit(X, loss=loss) == pytest.approx(2 / lam_max, rel=1e-12)
        assert quad.optimal_lr() == pytest.approx(2 / (lam_min + lam_max), rel=1e-12)
        kappa = lam_max / lam_min
        assert quad.convergence_rate() == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-12)


def standardised(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


def full_batch_gd(X, y, lr, epochs):
    """Full-batch gradient descent from w = 0, b = 0: every [w, b] from the start on."""
    trajectory = run(X, y, lr=lr, batch_size=len(y), epochs=epochs, w0=np.zeros(2), b0=0.0)
    return np.c_[trajectory.path_w, trajectory.path_b], trajectory


# A badly scaled x2, then correlated features: standardising fixes the first, not the second
# (standardised, kappa = (1 + rho) / (1 - rho) = 39 for rho = 0.95).
@pytest.mark.parametrize(
    ("scale", "correlation", "kappas"), [(10.0, 0.0, (80, 1.0)), (1.0, 0.95, (30, 39.0))]
)
def test_full_batch_gd_converges_at_the_theoretical_rate(scale, correlation, kappas):
    X, y = book.data(1000, seed=5, scale=scale, correlation=correlation)
    measured = {}
    for name, features in (("raw", X), ("standardised", standardised(X))):
        quad = loss_quadratic(features, y)
        kappa = quad.condition_number()
        rate = quad.convergence_rate()
        assert rate == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-12)
        steps = quad.gd_steps(quad.optimal_lr())
        path, trajectory = full_batch_gd(features, y, quad.optimal_lr(), epochs=steps + 50)
        # the steps gd_steps counts are the steps the run takes to get within 1e-3
        within = np.flatnonzero(trajectory.losses - quad.loss_star <= 1e-3)
        assert within[0] + 1 == steps
        # (I - lr H) is symmetric: no step shrinks the distance by less than the rate ...
        distance = np.linalg.norm(path - quad.theta_star, axis=1)
        awake = distance > 1e-6 * distance[0]  # far above rounding
        ratios = distance[1:][awake[1:]] / distance[:-1][awake[1:]]
        assert np.all(ratios <= rate * (1 + 1e-6))
        # ... and over many steps the slowest directions shrink at exactly that rate
        if kappa > 3:
            k0, k1 = 20, int(np.flatnonzero(awake)[-1])
            measured_rate = (distance[k1] / distance[k0]) ** (1 / (k1 - k0))
            assert measured_rate == pytest.approx(rate, rel=1e-3)
        measured[name] = kappa, steps
    (raw_kappa, raw_steps), (std_kappa, std_steps) = measured["raw"], measured["standardised"]
    assert raw_kappa > kappas[0] and std_kappa == pytest.approx(kappas[1], rel=0.1)
    if correlation == 0:
        assert raw_steps > 20 * std_steps  # round contours: a few steps
    else:
        assert std_steps > 0.5 * raw_steps  # standardising leaves the correlation


def test_gd_steps_is_none_at_or_above_the_stability_limit():
    X, y = book.data(200, seed=1, scale=3.0)
    quad = loss_quadratic(X, y)
    assert quad.gd_steps(quad.stability_limit() * 1.01) is None
    assert quad.gd_steps(quad.stability_limit()) is None  # the largest direction never shrinks
    assert quad.gd_steps(0.5, theta0=quad.theta_star) == 0
    slow, fast = quad.gd_steps(0.1 * quad.optimal_lr()), quad.gd_steps(quad.optimal_lr())
    assert slow > 5 * fast


def test_standardise_centres_and_scales_each_feature():
    X, _ = book.data(300, seed=6, scale=20.0, correlation=0.3)
    Xs, means, stds = standardise(X)
    np.testing.assert_allclose(Xs.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Xs.std(axis=0), 1, rtol=1e-12)
    np.testing.assert_allclose(Xs * stds + means, X, rtol=1e-12)
    with pytest.raises(ValueError, match="X="):
        standardise(np.c_[X[:, 0], np.ones(300)])


def test_first_within_counts_the_updates_to_the_tolerance():
    X, y = book.data(200, seed=1, scale=3.0)
    quad = loss_quadratic(X, y)
    _, trajectory = full_batch_gd(X, y, quad.optimal_lr(), epochs=200)
    assert trajectory.first_within(quad.loss_star, 1e-3) == quad.gd_steps(quad.optimal_lr())
    assert trajectory.first_within(quad.loss_star, 1e9) == 0  # already there at the start
    _, short = full_batch_gd(X, y, quad.optimal_lr(), epochs=5)
    assert short.first_within(quad.loss_star, 1e-3) is None  # not there yet
