"""A data set checked once (`describe`), with what every run and view needs of it from one pass.

Every check of the data lives here: features (n, d) and labels (n,) finite, at most
MAX_EXAMPLES rows, columns whose squares float64 holds. A run (`plan.make_plan`) and the views
take a `Data` whole and check nothing of it again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg_core import checks
from linreg_core.limits import MAX_EXAMPLES
from linreg_core.quadratic import LossQuadratic, check_data, check_scale, fit_quadratic


@dataclass(frozen=True)
class Data:
    """A data set and what every view needs of it, from one pass."""

    X: np.ndarray
    y: np.ndarray
    quad: LossQuadratic  # the book's loss (half MSE, no penalty)
    limit: float
    closed: tuple[np.ndarray, float]
    true_w: np.ndarray | None  # None for uploaded data: nobody knows the truth
    true_b: float | None
    columns: tuple[tuple[str, ...], str, bool] | None = None  # a file's: features, label, scaled

    def objective(self, loss: str = "half_mse", weight_decay: float = 0.0) -> LossQuadratic:
        """The function a run minimises: the data's loss in the chosen variant, plus the penalty
        weight_decay/2 ||w||^2 (the book's, on w only); `quad` itself for the book's, else one
        pass over the data. `loss` and `weight_decay` as a checked `TrainSpec` holds them."""
        if loss == "half_mse" and not weight_decay:
            return self.quad
        return fit_quadratic(self.X, self.y, loss, weight_decay)

    def astype(self, dtype: str | None) -> Data:
        """The data as a run in `dtype` holds them (None: X's), the labels in the features'
        dtype; itself when they are so already. A value the cast makes infinite is refused."""
        dtype = self.X.dtype if dtype is None else np.dtype(dtype)
        if self.X.dtype == dtype and self.y.dtype == dtype:
            return self
        X = checks.finite_array("X", self.X.astype(dtype), 2)
        y = checks.finite_array("y", self.y.astype(dtype), 1)
        return _described(X, y, self.true_w, self.true_b, self.columns)


def describe(X: object, y: object, true_w=None, true_b=None, columns=None) -> Data:
    """The data checked, once: ValueError naming X or y; then one pass over them for the loss
    quadratic, the stability limit and the least-squares fit. `true_w` and `true_b`: the plane
    the data were drawn from, if known; `columns`: a file's feature names, label name and
    whether the features are standardised."""
    X, y = check_data(X, y)
    if len(y) > MAX_EXAMPLES:
        checks.fail("X", X, f"at most {MAX_EXAMPLES} rows, not {len(y)}")
    check_scale("X", X)
    check_scale("y", y)
    return _described(X, y, true_w, true_b, columns)


def _described(X: np.ndarray, y: np.ndarray, true_w, true_b, columns) -> Data:
    """The `Data` of checked arrays."""
    quad = fit_quadratic(X, y)
    closed = (quad.theta_star[:-1], float(quad.theta_star[-1]))  # the least-squares fit
    return Data(X, y, quad, quad.stability_limit(), closed, true_w, true_b, columns)
