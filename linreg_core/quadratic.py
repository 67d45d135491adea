"""The full-data loss as a quadratic in theta = [w, b]: one pass over the data, then O(d^2) a point.

With Xa = [X, 1], the half-MSE loss is L(theta) = L* + 1/2 (theta - theta*)^T G (theta - theta*),
G = Xa^T Xa / n, theta* the least-squares optimum and L* the loss there. Writing it around the
optimum (rather than as 1/2 theta^T G theta - theta^T c + s/2) keeps tiny losses accurate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg_core import checks
from linreg_core.data import MAX_FEATURES

LOSSES = ("half_mse", "mse")
# A data column whose largest |value| lies outside [MIN_SCALE, MAX_SCALE] (and is not 0) has
# squares, and so a loss curvature G, that float64 cannot hold.
MIN_SCALE, MAX_SCALE = 1e-150, 1e150


def loss_scale(loss: str) -> float:
    """'mse' has no 1/2, so every loss and gradient doubles."""
    return 2.0 if loss == "mse" else 1.0


def check_features(X: object) -> np.ndarray:
    """Validate features (n, d) once, at the boundary."""
    X = checks.finite_array("X", X, 2)
    if X.shape[0] < 1:
        checks.fail("X", X, "an array with at least 1 row (n >= 1)")
    if not 1 <= X.shape[1] <= MAX_FEATURES:
        checks.fail("X", X, f"an array with 1 to {MAX_FEATURES} feature columns, not {X.shape[1]}")
    return X


def check_data(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Validate features (n, d) and labels (n,) once, at the boundary."""
    X = check_features(X)
    y = checks.finite_array("y", y, 1)
    if y.shape[0] != X.shape[0]:
        checks.fail("y", y, f"of the same length as X ({X.shape[0]}), not {y.shape[0]}")
    return X, y


def check_scale(name: str, A: np.ndarray) -> None:
    """Refuse columns whose squares float64 cannot hold: the loss would overflow or vanish."""
    largest = np.max(np.abs(A.reshape(len(A), -1)), axis=0).tolist()
    for j, value in enumerate(largest):
        if value > MAX_SCALE or 0 < value < MIN_SCALE:
            checks.fail(
                name,
                A,
                f"data whose columns' largest |values| are 0 or in [{MIN_SCALE:g}, "
                f"{MAX_SCALE:g}], not {value:.3g} (column {j + 1}), so that their squares fit "
                "in float64; rescale or standardise them",
            )


def augment(X: np.ndarray) -> np.ndarray:
    """[X, 1]: the bias as one more weight on a column of ones."""
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])


def _unit_columns(Xa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Xa with each column divided by a power of two at its largest |value|, and those powers.

    Dividing by a power of two is exact, so scaling back gives the very numbers of unscaled maths.
    """
    scales = np.ldexp(1.0, np.frexp(np.max(np.abs(Xa), axis=0))[1])  # 1 for a zero column
    return Xa / scales, scales


def _fit(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """theta = [w, b] minimising ||X w + b - y||, with [X, 1]'s unit columns and their scales.

    lstsq drops singular values below eps times the largest, so a column of size 1e13 beside the
    ones column would make it drop b. Solving for columns (and labels) of size about 1, then
    scaling back, keeps every parameter whatever the data's units.
    """
    Xs, scales = _unit_columns(augment(X).astype(np.float64, copy=False))
    ys, y_scale = _unit_columns(y[:, None])
    scaled, *_ = np.linalg.lstsq(Xs, ys[:, 0], rcond=None)
    with np.errstate(over="ignore"):
        theta = scaled * y_scale / scales
    if not np.all(np.isfinite(theta)):
        checks.fail("X", X, "features whose least-squares weights fit in float64; rescale them")
    return theta, Xs, scales


def _gram(Xs: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """G = Xa^T Xa / n from Xa's unit columns: formed at size about 1, then scaled back."""
    return (Xs.T @ Xs / len(Xs)) * scales[:, None] * scales[None, :]


def closed_form(X: object, y: object) -> tuple[np.ndarray, float]:
    """Least-squares (w, b) by a stable solver, never by inverting X^T X."""
    X, y = check_data(X, y)
    theta, _, _ = _fit(X, y.astype(np.float64, copy=False))
    return theta[:-1], float(theta[-1])


@dataclass(frozen=True)
class LossQuadratic:
    """The full-data loss of one data set, exact, at O(d^2) per point."""

    G: np.ndarray  # (d+1, d+1) = Xa^T Xa / n, the Hessian of the half-MSE loss
    theta_star: np.ndarray  # (d+1,) least-squares [w, b]
    loss_star: float  # loss at theta_star
    loss_kind: str = "half_mse"

    @property
    def d(self) -> int:
        return len(self.theta_star) - 1

    @property
    def hessian(self) -> np.ndarray:
        return loss_scale(self.loss_kind) * self.G

    def loss(self, theta: np.ndarray) -> np.ndarray:
        """Loss at theta of shape (..., d+1); never below loss_star."""
        delta = np.asarray(theta, dtype=np.float64) - self.theta_star
        if delta.ndim == 1:  # one point, once per update in `train`: plain dots are fastest
            curvature = float(delta @ (self.G @ delta))
        else:
            curvature = np.einsum("...i,ij,...j->...", delta, self.G, delta)
        return self.loss_star + 0.5 * loss_scale(self.loss_kind) * np.maximum(curvature, 0.0)

    def condition_number(self) -> float:
        """lambda_max / lambda_min of the Hessian; inf when the data leave a direction flat."""
        eigenvalues = np.linalg.eigvalsh(self.G)
        if eigenvalues[0] <= eigenvalues[-1] * 1e-12:
            return float("inf")
        return float(eigenvalues[-1] / eigenvalues[0])

    def stability_limit(self) -> float:
        """Largest lr for which full-batch gradient descent converges: 2 / lambda_max(Hessian)."""
        return float(2.0 / np.linalg.eigvalsh(self.hessian)[-1])

    def surface(self, grid_a, grid_b, axes=("w1", "w2"), at=None) -> np.ndarray:
        """Loss over two parameters, the rest at `at`; shape (len(grid_b), len(grid_a))."""
        names = parameter_names(self.d)
        checks.one_of("axes[0]", axes[0], names)
        checks.one_of("axes[1]", axes[1], names)
        if axes[0] == axes[1]:
            checks.fail("axes", axes, "two different parameters")
        ia, ib = names.index(axes[0]), names.index(axes[1])
        base = self.theta_star.copy() if at is None else np.array(at, dtype=np.float64)
        if base.shape != self.theta_star.shape or not np.all(np.isfinite(base)):
            checks.fail("at", at, f"{self.d + 1} finite values [w1..w{self.d}, b]")
        a = checks.finite_array("grid_a", grid_a, 1).astype(np.float64)[None, :]
        b = checks.finite_array("grid_b", grid_b, 1).astype(np.float64)[:, None]
        d0 = base - self.theta_star  # the held parameters' offset from the optimum
        d0[ia] = d0[ib] = 0.0
        g0 = self.G @ d0
        da, db = a - self.theta_star[ia], b - self.theta_star[ib]  # offsets along the two axes
        curvature = (
            d0 @ g0
            + 2 * da * g0[ia]
            + 2 * db * g0[ib]
            + self.G[ia, ia] * da**2
            + 2 * self.G[ia, ib] * da * db
            + self.G[ib, ib] * db**2
        )
        return self.loss_star + 0.5 * loss_scale(self.loss_kind) * np.maximum(curvature, 0.0)

    def level_curves(self, levels, axes=("w1", "w2"), at=None, points: int = 120) -> list:
        """Where the loss over two parameters (the rest at `at`) equals each level: ellipses.

        On this quadratic the slice is L_min + s/2 (u - u*)^T M (u - u*), M the 2 x 2 block of
        G, so each level set is an exact ellipse; levels at or below L_min give an empty curve.
        Returns one (a, b) pair of arrays per level, each closed (last point = first).
        """
        names = parameter_names(self.d)
        ia, ib = names.index(axes[0]), names.index(axes[1])
        base = self.theta_star.copy() if at is None else np.array(at, dtype=np.float64)
        d0 = base - self.theta_star
        d0[ia] = d0[ib] = 0.0
        g = (self.G @ d0)[[ia, ib]]
        M = self.G[np.ix_([ia, ib], [ia, ib])]
        eigenvalues, Q = np.linalg.eigh(M)
        scale = loss_scale(self.loss_kind)
        centre = -np.linalg.solve(M, g) if eigenvalues[0] > 0 else np.zeros(2)
        lowest = self.loss_star + 0.5 * scale * max(float(d0 @ self.G @ d0 + g @ centre), 0.0)
        angle = np.linspace(0, 2 * np.pi, points)
        circle = np.vstack([np.cos(angle), np.sin(angle)])
        curves = []
        for level in np.atleast_1d(np.asarray(levels, dtype=np.float64)):
            if eigenvalues[0] <= 0 or level <= lowest:
                curves.append((np.empty(0), np.empty(0)))
                continue
            radius = np.sqrt(2 * (level - lowest) / scale / eigenvalues)
            u = centre[:, None] + Q @ (radius[:, None] * circle)
            curves.append((self.theta_star[ia] + u[0], self.theta_star[ib] + u[1]))
        return curves


def parameter_names(d: int) -> list[str]:
    """'w1' … 'wd', then 'b'."""
    return [f"w{i + 1}" for i in range(d)] + ["b"]


def loss_quadratic(X: object, y: object, loss: str = "half_mse") -> LossQuadratic:
    """One pass over the data: everything needed for the exact loss anywhere afterwards."""
    X, y = check_data(X, y)
    check_scale("X", X)
    check_scale("y", y)
    checks.one_of("loss", loss, LOSSES)
    y = y.astype(np.float64, copy=False)
    theta, Xs, scales = _fit(X, y)
    residual = Xs @ (theta * scales) - y
    return LossQuadratic(
        G=_gram(Xs, scales),
        theta_star=theta,
        loss_star=float(loss_scale(loss) * 0.5 * np.mean(residual**2)),
        loss_kind=loss,
    )


def stability_limit(X: object, loss: str = "half_mse") -> float:
    """2 / lambda_max of the full-batch Hessian: lr at or above it makes full-batch GD diverge."""
    X = check_features(X)
    check_scale("X", X)
    checks.one_of("loss", loss, LOSSES)
    G = _gram(*_unit_columns(augment(X).astype(np.float64, copy=False)))
    return float(2.0 / np.linalg.eigvalsh(loss_scale(loss) * G)[-1])


def loss_surface(X, y, grid_a, grid_b, axes=("w1", "w2"), at=None, loss="half_mse") -> np.ndarray:
    """Full-data loss on a grid over two of w1…wd, b (others at `at`, default the optimum)."""
    return loss_quadratic(X, y, loss).surface(grid_a, grid_b, axes, at)
