"""A run's plan: its arguments checked once, its starting point and its batch order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from linreg_core import checks
from linreg_core.data import Minibatches, batches_per_epoch, num_updates
from linreg_core.limits import CHUNK_ELEMENTS, MAX_EXAMPLES, MAX_UPDATES
from linreg_core.optimizers import resolve_options
from linreg_core.quadratic import (
    LOSSES,
    LossQuadratic,
    augment,
    check_data,
    loss_quadratic,
    loss_scale,
)

ENGINES = ("numpy", "torch")
DIVIDE_BY = ("batch_length", "batch_size")  # what SGD divides a batch's summed gradient by
DTYPES = ("float32", "float64")
DIVERGENCE_FACTOR = 1e8  # a loss this many times the starting loss counts as diverged
_LOSS_FLOOR = 1e-12  # so that a run starting at a zero loss still has a divergence threshold


@dataclass(frozen=True)
class Plan:
    """A run's arguments, checked once."""

    X: np.ndarray
    y: np.ndarray
    lr: float
    batch_size: int
    epochs: int
    optimizer: str
    options: dict
    engine: str
    loss: str
    drop_last: bool
    divide_by: str
    weight_decay: float
    seed: int
    w0: np.ndarray | None
    b0: float
    orders: list[np.ndarray] | None
    quad: LossQuadratic  # the data loss, no penalty: what each Step's loss reports

    @property
    def steps_per_epoch(self) -> int:
        return batches_per_epoch(len(self.y), self.batch_size, self.drop_last)

    @cached_property
    def decay(self) -> np.ndarray:
        """weight_decay on each weight, 0 on the bias: the book's penalty is on w only (§3.7)."""
        return np.append(np.full(self.X.shape[1], self.weight_decay), 0.0).astype(self.X.dtype)

    @cached_property
    def augmented(self) -> np.ndarray:
        """[X, 1], made once per run."""
        return augment(self.X)

    def start(self) -> tuple[np.random.Generator, np.ndarray]:
        """A fresh generator from the seed, and theta0 = [w0, b0] (w0 drawn as the book does)."""
        # Training's own stream of the seed: with one seed for data and run (as the app uses),
        # the start must not be a copy of the first features synthetic_data drew.
        rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(1,)))
        w0 = rng.normal(0.0, 0.01, self.X.shape[1]) if self.w0 is None else self.w0
        return rng, np.append(w0, self.b0).astype(self.X.dtype)

    def epoch_orders(self, rng: np.random.Generator) -> Iterator[np.ndarray]:
        """Each epoch's order of the examples: the given `orders`, else a fresh permutation."""
        for epoch in range(self.epochs):
            yield self.orders[epoch] if self.orders is not None else rng.permutation(len(self.y))

    def minibatches(
        self, rng: np.random.Generator, first: int, most: int | None = None
    ) -> Iterator[Minibatches]:
        """Every batch of the run, in chunks of consecutive batches within an epoch.

        The first chunk has `first` batches and each next one twice as many, up to CHUNK_ELEMENTS
        examples (and `most` batches, if given) a chunk: a reader who stops early has cost at most
        about twice what it read, and a long run costs few trips through Python.
        """
        n, count = len(self.y), self.steps_per_epoch
        largest = max(1, min(CHUNK_ELEMENTS // self.batch_size, most or count))
        size = min(first, largest)
        offsets = np.arange(self.batch_size)
        for epoch, order in enumerate(self.epoch_orders(rng), start=1):
            start = 0
            while start < count:
                stop = min(start + size, count)
                positions = np.arange(start, stop)[:, None] * self.batch_size + offsets
                inside = positions < n
                sizes = inside.sum(axis=1)
                rows = order[np.minimum(positions, n - 1)]
                weights = (inside / sizes[:, None]).astype(self.X.dtype, copy=False)
                grad_weights = weights
                if self.divide_by == "batch_size" and sizes[-1] < self.batch_size:
                    grad_weights = (inside / self.batch_size).astype(self.X.dtype, copy=False)
                yield Minibatches(
                    epoch=epoch,
                    Xa=self.augmented[rows],
                    y=self.y[rows],
                    weights=weights,
                    grad_weights=grad_weights,
                    sizes=sizes,
                    rows=rows,
                    scale=loss_scale(self.loss),
                )
                start = stop
                size = min(2 * size, largest)


def make_plan(
    X,
    y,
    *,
    lr=0.03,
    batch_size=10,
    epochs=3,
    optimizer="sgd",
    engine="numpy",
    loss="half_mse",
    drop_last=False,
    divide_by="batch_length",
    weight_decay=0.0,
    dtype=None,
    seed=0,
    w0=None,
    b0=None,
    orders=None,
    **optimizer_options,
) -> Plan:
    """Check every argument of a run, raising ValueError that names the parameter."""
    X, y = check_data(X, y)
    n, d = X.shape
    if n > MAX_EXAMPLES:
        checks.fail("X", X, f"at most {MAX_EXAMPLES} rows, not {n}")
    if dtype is not None:
        if not isinstance(dtype, str) or dtype not in DTYPES:
            checks.fail("dtype", dtype, "'float32', 'float64' or None (keep X's float dtype)")
        X = X.astype(dtype, copy=False)
    if X.dtype != y.dtype:
        y = y.astype(X.dtype)
    lr = checks.finite_number("lr", lr, positive=True)
    batch_size = checks.integer_in("batch_size", batch_size, 1, n)
    epochs = checks.integer_in("epochs", epochs, 1)
    checks.one_of("engine", engine, ENGINES)
    checks.one_of("loss", loss, LOSSES)
    if not isinstance(drop_last, bool):
        checks.fail("drop_last", drop_last, "True or False")
    checks.one_of("divide_by", divide_by, DIVIDE_BY)
    weight_decay = checks.finite_number("weight_decay", weight_decay, minimum=0)
    seed = checks.integer_in("seed", seed, 0)
    options = resolve_options(optimizer, optimizer_options, str(X.dtype))
    updates = num_updates(n, batch_size, epochs, drop_last)
    if updates > MAX_UPDATES:
        checks.fail(
            "epochs",
            epochs,
            f"small enough for at most {MAX_UPDATES:,} updates; {epochs} epochs of "
            f"{updates // epochs:,} batches (n={n:,}, batch_size={batch_size}) are {updates:,}",
        )
    if w0 is not None:
        w0 = checks.finite_array("w0", w0, 1).astype(X.dtype)
        if w0.shape != (d,):
            checks.fail("w0", w0, f"{d} finite weights, one per feature")
    b0 = 0.0 if b0 is None else checks.finite_number("b0", b0)
    if orders is not None:
        orders = _check_orders(orders, n, epochs)
    return Plan(
        X=X,
        y=y,
        lr=lr,
        batch_size=batch_size,
        epochs=epochs,
        optimizer=optimizer,
        options=options,
        engine=engine,
        loss=loss,
        drop_last=drop_last,
        divide_by=divide_by,
        weight_decay=weight_decay,
        seed=seed,
        w0=w0,
        b0=b0,
        orders=orders,
        quad=loss_quadratic(X, y, loss),
    )


def batch_rows(plan: Plan, updates: np.ndarray) -> list[np.ndarray]:
    """The examples (row indices) each of `updates` used, as the run drew them: each epoch's
    order replayed from the seed, cut into batch_size pieces. One permutation per epoch, drawn
    only up to the last epoch asked for; nothing of the run is computed."""
    updates = np.asarray(updates, dtype=np.int64)
    rows: list[np.ndarray] = [np.empty(0, dtype=np.int64)] * len(updates)
    if not len(updates):
        return rows
    n, per_epoch = len(plan.y), plan.steps_per_epoch
    epochs = updates // per_epoch
    rng, _ = plan.start()
    for epoch, order in enumerate(plan.epoch_orders(rng)):
        for k in np.flatnonzero(epochs == epoch):
            within = int(updates[k] % per_epoch) * plan.batch_size
            rows[k] = order[within : min(within + plan.batch_size, n)]
        if epoch >= epochs.max():
            break
    return rows


def _check_orders(orders: object, n: int, epochs: int) -> list[np.ndarray]:
    """`epochs` integer permutations of range(n)."""
    allowed = f"a list of {epochs} integer permutations of range({n}), one per epoch"
    if not isinstance(orders, list | tuple) or len(orders) != epochs:
        checks.fail("orders", orders, allowed)
    try:
        arrays = [np.asarray(order) for order in orders]
    except ValueError:  # ragged lists
        checks.fail("orders", orders, allowed)
    for order in arrays:
        # a float or bool array would index X differently, or not at all
        if order.dtype.kind not in "iu" or not np.array_equal(np.sort(order), np.arange(n)):
            checks.fail("orders", orders, allowed)
    return arrays


def is_diverged(theta: np.ndarray, loss, threshold: float) -> np.ndarray:
    """True where the parameters or loss stopped being finite, or the loss passed the threshold."""
    finite = np.all(np.isfinite(theta), axis=-1) & np.isfinite(loss)
    return ~finite | (loss > threshold)


def divergence_threshold(loss0: float) -> float:
    """The loss above which a run counts as diverged."""
    return DIVERGENCE_FACTOR * max(loss0, _LOSS_FLOOR)
