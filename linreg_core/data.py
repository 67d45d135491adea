"""The data: `synthetic_data` draws it, `data_iter` reads it in shuffled minibatches (D2L §3.2)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from linreg_core import checks
from linreg_core.limits import MAX_EXAMPLES, MAX_FEATURES

SCALE_RANGE = (0.01, 100.0)  # synthetic_data: x2's standard deviation
CORRELATION_RANGE = (-0.99, 0.99)  # synthetic_data: corr(x1, x2); +-1 would leave G singular


def synthetic_data(
    w, b, n, noise=0.01, seed=0, *, scale=1.0, correlation=0.0
) -> tuple[np.ndarray, np.ndarray]:
    """y = X w + b + noise, X ~ N(0, 1) of shape (n, len(w)), noise ~ N(0, noise^2); float64.

    With two features, `correlation` rho and `scale` s shape the second one: x2 = s (rho x1 +
    sqrt(1 - rho^2) z), z the drawn column, so that corr(x1, x2) = rho and std(x2) = s: long, thin
    or tilted contours. The defaults (1, 0) leave X as drawn.
    """
    w = checks.finite_array("w", w, 1).astype(np.float64)
    if not 1 <= len(w) <= MAX_FEATURES:
        checks.fail("w", w, f"1 to {MAX_FEATURES} weights, not {len(w)}")
    b = checks.finite_number("b", b)
    n = checks.integer_in("n", n, 1, MAX_EXAMPLES)
    noise = checks.finite_number("noise", noise, minimum=0)
    scale = checks.number_in("scale", scale, *SCALE_RANGE)
    correlation = checks.number_in("correlation", correlation, *CORRELATION_RANGE)
    if len(w) != 2:
        for name, value, default in (("scale", scale, 1.0), ("correlation", correlation, 0.0)):
            if value != default:
                checks.fail(
                    name, value, f"{default} with {len(w)} feature(s): it shapes 2 features"
                )
    rng = np.random.default_rng(checks.integer_in("seed", seed, 0))
    X = rng.normal(0.0, 1.0, (n, len(w)))
    if len(w) == 2:  # exact at the defaults: 0 * x1 + 1 * z = z, and 1 * z = z
        X[:, 1] = scale * (correlation * X[:, 0] + np.sqrt(1.0 - correlation**2) * X[:, 1])
    y = X @ w + b + rng.normal(0.0, noise, n)
    return X, y


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each feature centred and scaled to unit variance: (X - mean) / std, and the means and stds."""
    means, stds = X.mean(axis=0), X.std(axis=0)
    if np.any(stds == 0):
        checks.fail("X", X, "features that are not constant: a constant column has no variance")
    return (X - means) / stds, means, stds


def batches_per_epoch(n: int, batch_size: int, drop_last: bool) -> int:
    """The book keeps the last, shorter batch (n = 1000, batch 10: 100); drop_last cuts it."""
    return n // batch_size if drop_last else -(-n // batch_size)


def num_updates(n: int, batch_size: int, epochs: int, drop_last: bool = False) -> int:
    """How many parameter updates a run makes: epochs x batches per epoch."""
    return epochs * batches_per_epoch(n, batch_size, drop_last)


def batch_bounds(n: int, batch_size: int, drop_last: bool) -> list[tuple[int, int]]:
    """(start, stop) of each batch within one epoch's order."""
    return [
        (start, min(start + batch_size, n))
        for start in range(0, batches_per_epoch(n, batch_size, drop_last) * batch_size, batch_size)
    ]


def data_iter(batch_size, features, labels, rng: np.random.Generator) -> Iterator:
    """The book's reader: one pass in a fresh random order, in batches of batch_size."""
    order = rng.permutation(len(features))
    for start, stop in batch_bounds(len(features), batch_size, drop_last=False):
        yield features[order[start:stop]], labels[order[start:stop]]


@dataclass(frozen=True)
class Minibatches:
    """K consecutive minibatches of one epoch, padded to one width, with what updates need of them.

    Row k holds batch k's examples. A batch shorter than the widest is padded with the epoch's
    last example at weight 0; elsewhere `weights` is 1 / the batch's length, so that a weighted sum
    over a row is the batch mean, and `grad_weights` is 1 / what SGD divides the batch's summed
    gradient by (its length, or batch_size as `d2l.sgd` does). Arrays have the run's dtype.
    """

    epoch: int
    Xa: np.ndarray  # (K, width, d + 1): [features, 1] of each example
    y: np.ndarray  # (K, width)
    weights: np.ndarray  # (K, width)
    grad_weights: np.ndarray  # (K, width); the very array `weights` unless a short batch differs
    sizes: np.ndarray  # (K,) examples in each batch
    rows: np.ndarray  # (K, width) their indices in the data set
    scale: float  # 2 for the MSE convention, else 1

    def __len__(self) -> int:
        return len(self.sizes)

    @cached_property
    def hessians(self) -> np.ndarray:
        """(K, d+1, d+1): H_k, so that the gradient update k uses at theta is H_k theta - c_k."""
        weighted = self.Xa * (self.scale * self.grad_weights)[..., None]
        return np.matmul(weighted.transpose(0, 2, 1), self.Xa)

    @cached_property
    def offsets(self) -> np.ndarray:
        """(K, d+1): c_k."""
        return np.einsum("kbi,kb->ki", self.Xa, self.scale * self.grad_weights * self.y)

    def losses(self, thetas: np.ndarray) -> np.ndarray:
        """(K,): batch k's mean loss at thetas[k]."""
        residual = np.einsum("kbi,ki->kb", self.Xa, thetas) - self.y
        return 0.5 * self.scale * np.einsum("kb,kb->k", self.weights, residual**2)
