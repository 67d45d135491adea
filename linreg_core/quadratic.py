"""The full-data loss as a quadratic in theta = [w, b]: one pass over the data, then O(d^2) a point.

With Xa = [X, 1], the half-MSE loss is L(theta) = L* + 1/2 (theta - theta*)^T G (theta - theta*),
G = Xa^T Xa / n, theta* the least-squares optimum and L* the loss there. Writing it around the
optimum (rather than as 1/2 theta^T G theta - theta^T c + s/2) keeps tiny losses accurate.

With weight decay lambda (D2L §3.7) the objective gains lambda/2 ||w||^2, on the weights only,
never on b: its Hessian gains lambda P (P the identity on w, 0 on b), its optimum is the ridge fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from linreg_core import checks
from linreg_core.limits import MAX_FEATURES

LOSSES = ("half_mse", "mse")
# A data column whose largest |value| lies outside [MIN_SCALE, MAX_SCALE] (and is not 0) has
# squares, and so a loss curvature G, that float64 cannot hold.
MIN_SCALE, MAX_SCALE = 1e-150, 1e150
MAX_GD_STEPS = 2**53  # LossQuadratic.gd_steps: counts beyond this are "never"


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


def _fit(
    X: np.ndarray, y: np.ndarray, ridge: float = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """theta = [w, b] minimising ||X w + b - y||^2 + ridge ||w||^2, with [X, 1]'s unit columns and
    their scales.

    lstsq drops singular values below eps times the largest, so a column of size 1e13 beside the
    ones column would make it drop b. Solving for columns (and labels) of size about 1, then
    scaling back, keeps every parameter whatever the data's units.
    """
    Xs, scales = _unit_columns(augment(X).astype(np.float64, copy=False))
    ys, y_scale = _unit_columns(y[:, None])
    if ridge:
        scaled = _ridge(Xs, ys[:, 0], np.sqrt(ridge) / scales[:-1])
    else:
        scaled, *_ = np.linalg.lstsq(Xs, ys[:, 0], rcond=None)
    with np.errstate(over="ignore"):
        theta = scaled * y_scale / scales
    if not np.all(np.isfinite(theta)):
        checks.fail("X", X, "features whose least-squares weights fit in float64; rescale them")
    return theta, Xs, scales


def _ridge(Xs: np.ndarray, ys: np.ndarray, root: np.ndarray) -> np.ndarray:
    """[w, b] minimising ||Xs [w, b] - ys||^2 + ||root * w||^2; Xs's last column is a constant.

    At the optimum the constant column's term is mean(ys - features w), so w solves the centred
    problem [Xc; diag(root)] w = [yc; 0] as least squares: the penalty's rows keep every singular
    value at least min(root) > 0.
    """
    features, constant = Xs[:, :-1], Xs[0, -1]
    mean = features.mean(axis=0)
    A = np.vstack([features - mean, np.diag(root)])
    w, *_ = np.linalg.lstsq(A, np.append(ys - ys.mean(), np.zeros(len(root))), rcond=None)
    return np.append(w, (ys.mean() - mean @ w) / constant)


def _gram(Xs: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """G = Xa^T Xa / n from Xa's unit columns: formed at size about 1, then scaled back."""
    return (Xs.T @ Xs / len(Xs)) * scales[:, None] * scales[None, :]


def _penalised(G: np.ndarray, loss: str, weight_decay: float) -> np.ndarray:
    """The quadratic part of the objective over the loss's scale: G + (weight_decay / scale) P."""
    if not weight_decay:
        return G
    return G + np.diag(np.append(np.full(len(G) - 1, weight_decay / loss_scale(loss)), 0.0))


def _ridge_strength(n: int, loss: str, weight_decay: float) -> float:
    """The objective scale/(2n) ||r||^2 + wd/2 ||w||^2 is scale/(2n) (||r||^2 + this ||w||^2)."""
    return n * weight_decay / loss_scale(loss)


def closed_form(
    X: object, y: object, weight_decay: float = 0.0, loss: str = "half_mse"
) -> tuple[np.ndarray, float]:
    """Least-squares (w, b) by a stable solver, never by inverting X^T X.

    weight_decay > 0: the ridge fit, minimising the loss plus weight_decay/2 ||w||^2 (b is not
    penalised), whose minimiser depends on the loss's convention (mse weighs the data twice).
    """
    X, y = check_data(X, y)
    weight_decay = checks.finite_number("weight_decay", weight_decay, minimum=0)
    checks.one_of("loss", loss, LOSSES)
    ridge = _ridge_strength(len(y), loss, weight_decay)
    theta, _, _ = _fit(X, y.astype(np.float64, copy=False), ridge)
    return theta[:-1], float(theta[-1])


@dataclass(frozen=True)
class LossQuadratic:
    """The full-data loss of one data set, exact, at O(d^2) per point.

    With weight_decay > 0 it is the penalised objective, loss + weight_decay/2 ||w||^2 (b is not
    penalised): its surface, level curves, minimum and limits all include the penalty.
    """

    G: np.ndarray  # (d+1, d+1) = Xa^T Xa / n, the Hessian of the half-MSE loss
    theta_star: np.ndarray  # (d+1,) [w, b] at the minimum (least squares; ridge with the penalty)
    loss_star: float  # minimum, penalty included
    loss_kind: str = "half_mse"
    weight_decay: float = 0.0

    @property
    def d(self) -> int:
        return len(self.theta_star) - 1

    @cached_property
    def curvature(self) -> np.ndarray:
        """G + (weight_decay / scale) P, P the identity on w: the objective is
        loss_star + scale/2 (theta - theta_star)^T curvature (theta - theta_star)."""
        return _penalised(self.G, self.loss_kind, self.weight_decay)

    @property
    def hessian(self) -> np.ndarray:
        return loss_scale(self.loss_kind) * self.curvature

    def loss(self, theta: np.ndarray) -> np.ndarray:
        """Loss at theta of shape (..., d+1); never below loss_star."""
        delta = np.asarray(theta, dtype=np.float64) - self.theta_star
        if delta.ndim == 1:  # one point, once per update in `train`: plain dots are fastest
            form = float(delta @ (self.curvature @ delta))
        else:
            form = np.einsum("...i,ij,...j->...", delta, self.curvature, delta)
        return self.loss_star + 0.5 * loss_scale(self.loss_kind) * np.maximum(form, 0.0)

    def eigenvalues(self) -> np.ndarray:
        """The Hessian's eigenvalues, ascending: lambda_min first, lambda_max last."""
        return np.linalg.eigvalsh(self.hessian)

    def condition_number(self) -> float:
        """lambda_max / lambda_min of the Hessian; inf when the data leave a direction flat."""
        eigenvalues = np.linalg.eigvalsh(self.curvature)
        if eigenvalues[0] <= eigenvalues[-1] * 1e-12:
            return float("inf")
        return float(eigenvalues[-1] / eigenvalues[0])

    def stability_limit(self) -> float:
        """Largest lr for which full-batch gradient descent converges: 2 / lambda_max(Hessian)."""
        return float(2.0 / self.eigenvalues()[-1])

    def optimal_lr(self) -> float:
        """The lr at which full-batch gradient descent converges fastest: 2 / (lambda_min + lambda_max)."""
        eigenvalues = self.eigenvalues()
        return float(2.0 / (eigenvalues[0] + eigenvalues[-1]))

    def convergence_rate(self, lr: float | None = None) -> float:
        """What each full-batch GD step multiplies the distance to the minimum by, at worst:
        max |1 - lr lambda|; at the optimal lr (the default) (kappa - 1) / (kappa + 1)."""
        lr = self.optimal_lr() if lr is None else checks.finite_number("lr", lr, positive=True)
        return float(np.max(np.abs(1.0 - lr * self.eigenvalues())))

    def gd_steps(self, lr: float, theta0=None, tol: float = 1e-3) -> int | None:
        """Full-batch gradient descent updates from theta0 (default 0) until the loss is within
        tol of loss_star; None if it never gets there (lr at or above the stability limit)."""
        lr = checks.finite_number("lr", lr, positive=True)
        tol = checks.finite_number("tol", tol, positive=True)
        start = np.zeros(self.d + 1) if theta0 is None else np.asarray(theta0, dtype=np.float64)
        if start.shape != self.theta_star.shape or not np.all(np.isfinite(start)):
            checks.fail("theta0", theta0, f"{self.d + 1} finite values [w1..w{self.d}, b]")
        # In the Hessian's eigenbasis each coordinate of theta - theta_star shrinks by 1 - lr lambda
        # a step, so the excess loss after k steps is sum lambda/2 (1 - lr lambda)^(2k) a^2.
        eigenvalues, Q = np.linalg.eigh(self.hessian)
        eigenvalues = np.maximum(eigenvalues, 0.0)
        energy = 0.5 * eigenvalues * (Q.T @ (start - self.theta_star)) ** 2
        factor = (1.0 - lr * eigenvalues) ** 2

        def excess(k: int) -> float:
            return float(energy @ factor**k)

        if excess(0) <= tol:
            return 0
        if np.any((factor >= 1.0) & (energy > 0)):
            return None
        low, high = 0, 1  # excess(low) > tol >= excess(high), found by doubling then bisection
        while excess(high) > tol:
            low, high = high, 2 * high
            if high > MAX_GD_STEPS:
                return None
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if excess(middle) > tol else (low, middle)
        return high

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
        C = self.curvature
        g0 = C @ d0
        da, db = a - self.theta_star[ia], b - self.theta_star[ib]  # offsets along the two axes
        form = (
            d0 @ g0
            + 2 * da * g0[ia]
            + 2 * db * g0[ib]
            + C[ia, ia] * da**2
            + 2 * C[ia, ib] * da * db
            + C[ib, ib] * db**2
        )
        return self.loss_star + 0.5 * loss_scale(self.loss_kind) * np.maximum(form, 0.0)

    def level_curves(self, levels, axes=("w1", "w2"), at=None, points: int = 120) -> list:
        """Where the loss over two parameters (the rest at `at`) equals each level: ellipses.

        On this quadratic the slice is L_min + s/2 (u - u*)^T M (u - u*), M the 2 x 2 block of
        `curvature`, so each level set is an exact ellipse; levels at or below L_min give an empty curve.
        Returns one (a, b) pair of arrays per level, each closed (last point = first).
        """
        names = parameter_names(self.d)
        ia, ib = names.index(axes[0]), names.index(axes[1])
        base = self.theta_star.copy() if at is None else np.array(at, dtype=np.float64)
        d0 = base - self.theta_star
        d0[ia] = d0[ib] = 0.0
        C = self.curvature
        g = (C @ d0)[[ia, ib]]
        M = C[np.ix_([ia, ib], [ia, ib])]
        eigenvalues, Q = np.linalg.eigh(M)
        scale = loss_scale(self.loss_kind)
        centre = -np.linalg.solve(M, g) if eigenvalues[0] > 0 else np.zeros(2)
        lowest = self.loss_star + 0.5 * scale * max(float(d0 @ C @ d0 + g @ centre), 0.0)
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


def loss_quadratic(
    X: object, y: object, loss: str = "half_mse", weight_decay: float = 0.0
) -> LossQuadratic:
    """One pass over the data: everything needed for the exact loss anywhere afterwards.

    weight_decay > 0: the objective that training with that weight_decay descends, the loss plus
    weight_decay/2 ||w||^2 (b is not penalised), with its ridge minimum.
    """
    X, y = check_data(X, y)
    check_scale("X", X)
    check_scale("y", y)
    checks.one_of("loss", loss, LOSSES)
    weight_decay = checks.finite_number("weight_decay", weight_decay, minimum=0)
    return fit_quadratic(X, y, loss, weight_decay)


def fit_quadratic(
    X: np.ndarray, y: np.ndarray, loss: str = "half_mse", weight_decay: float = 0.0
) -> LossQuadratic:
    """`loss_quadratic` of data and arguments already checked (`check_data`, `check_scale`, a
    loss of LOSSES, weight_decay >= 0): the one pass, no check repeated."""
    y = y.astype(np.float64, copy=False)
    theta, Xs, scales = _fit(X, y, _ridge_strength(len(y), loss, weight_decay))
    residual = Xs @ (theta * scales) - y
    loss_star = loss_scale(loss) * 0.5 * np.mean(residual**2)
    if weight_decay:
        loss_star += 0.5 * weight_decay * float(theta[:-1] @ theta[:-1])
    return LossQuadratic(
        G=_gram(Xs, scales),
        theta_star=theta,
        loss_star=float(loss_star),
        loss_kind=loss,
        weight_decay=weight_decay,
    )


def stability_limit(X: object, loss: str = "half_mse", weight_decay: float = 0.0) -> float:
    """2 / lambda_max of the full-batch Hessian: lr at or above it makes full-batch GD diverge."""
    X = check_features(X)
    check_scale("X", X)
    checks.one_of("loss", loss, LOSSES)
    weight_decay = checks.finite_number("weight_decay", weight_decay, minimum=0)
    G = _gram(*_unit_columns(augment(X).astype(np.float64, copy=False)))
    return float(2.0 / np.linalg.eigvalsh(loss_scale(loss) * _penalised(G, loss, weight_decay))[-1])


def loss_surface(
    X, y, grid_a, grid_b, axes=("w1", "w2"), at=None, loss="half_mse", weight_decay=0.0
) -> np.ndarray:
    """Full-data loss on a grid over two of w1…wd, b (others at `at`, default the optimum)."""
    return loss_quadratic(X, y, loss, weight_decay).surface(grid_a, grid_b, axes, at)
