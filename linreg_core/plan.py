"""A run's plan: its training spec (`TrainSpec`), checked once; on its data (`dataset.Data`),
its starting point and its batch order."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cached_property

import numpy as np

from linreg_core import checks
from linreg_core.data import Minibatches, batches_per_epoch, num_updates
from linreg_core.dataset import Data, describe
from linreg_core.limits import CHUNK_ELEMENTS, MAX_UPDATES
from linreg_core.optimizers import OPTIMIZERS, resolve_options
from linreg_core.quadratic import LOSSES, LossQuadratic, augment, loss_scale

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


@dataclass(frozen=True)
class TrainSpec:
    """A run's training settings, each checked once, here, on its own: ValueError naming the
    field, its value and what is allowed. Frozen and hashable, a cache key. The defaults are the
    book's run (dtype aside: float64, the app's; None keeps the data's, as `train` does).

    What needs the data is checked by `make_plan`: batch_size within n, w0 of d weights, the
    updates within MAX_UPDATES, and the optimizer's options, which depend on the run's dtype.
    """

    lr: float = 0.03
    batch_size: int = 10
    epochs: int = 3
    optimizer: str = "sgd"
    seed: int = 0
    w0: tuple[float, ...] | None = None  # None: the book's start, drawn from the seed
    b0: float | None = None  # None: 0
    options: tuple[tuple[str, object], ...] = ()  # the optimizer's options; () its defaults
    engine: str = "numpy"
    loss: str = "half_mse"
    drop_last: bool = False
    divide_by: str = "batch_length"  # what SGD divides a batch's summed gradient by
    weight_decay: float = 0.0
    dtype: str | None = "float64"
    updates: int | None = None  # stop after this many updates; None: after every epoch's

    def __post_init__(self):
        def keep(name: str, value: object) -> None:  # the checked value, as its type says
            object.__setattr__(self, name, value)

        if self.dtype is not None and (not isinstance(self.dtype, str) or self.dtype not in DTYPES):
            checks.fail("dtype", self.dtype, "'float32', 'float64' or None (keep X's float dtype)")
        keep("lr", checks.finite_number("lr", self.lr, positive=True))
        keep("batch_size", checks.integer_in("batch_size", self.batch_size, 1))
        keep("epochs", checks.integer_in("epochs", self.epochs, 1))
        checks.one_of("optimizer", self.optimizer, OPTIMIZERS)
        checks.one_of("engine", self.engine, ENGINES)
        checks.one_of("loss", self.loss, LOSSES)
        if not isinstance(self.drop_last, bool):
            checks.fail("drop_last", self.drop_last, "True or False")
        checks.one_of("divide_by", self.divide_by, DIVIDE_BY)
        keep("weight_decay", checks.finite_number("weight_decay", self.weight_decay, minimum=0))
        keep("seed", checks.integer_in("seed", self.seed, 0))
        keep("options", _options(self.options))
        if self.w0 is not None:
            keep("w0", tuple(checks.finite_array("w0", self.w0, 1).tolist()))
        if self.b0 is not None:
            keep("b0", checks.finite_number("b0", self.b0))
        if self.updates is not None:
            keep("updates", checks.integer_in("updates", self.updates, 1))

    @classmethod
    def from_keywords(cls, **keywords) -> TrainSpec:
        """The spec of `train`'s keywords: every keyword `train` names, with its defaults (dtype
        None: the data's), and the optimizer's options (any other keyword)."""
        named = {name: keywords.pop(name) for name in _KEYWORDS if name in keywords}
        return cls(**{"dtype": None, **named}, options=tuple(keywords.items()))


# `train`'s own keywords, in the order its signature lists them: the fields of TrainSpec but
# options (the other keywords) and updates.
_KEYWORDS = (
    "lr",
    "batch_size",
    "epochs",
    "optimizer",
    "engine",
    "loss",
    "drop_last",
    "divide_by",
    "weight_decay",
    "dtype",
    "seed",
    "w0",
    "b0",
)


def _options(options: object) -> tuple[tuple[str, object], ...]:
    """Options as (name, value) pairs, a list (Adam's betas) as a tuple: hashable. Their values
    are checked by `make_plan`, in the run's dtype."""
    try:
        pairs = dict(options).items()
    except (TypeError, ValueError):
        checks.fail("options", options, "(name, value) pairs or a dict of the optimizer's options")
    return tuple(
        (name, tuple(value) if isinstance(value, list) else value) for name, value in pairs
    )


def make_plan(data: Data, spec: TrainSpec, orders=None) -> Plan:
    """The run of `spec` on `data`, both checked already: only what needs the two together is
    checked here (see `TrainSpec`), raising ValueError that names the parameter. `orders`, if
    given: each epoch's order of the examples, instead of the seed's permutations."""
    data = data.astype(spec.dtype)
    X, y = data.X, data.y
    n, d = X.shape
    batch_size = checks.integer_in("batch_size", spec.batch_size, 1, n)
    options = resolve_options(spec.optimizer, dict(spec.options), str(X.dtype))
    updates = num_updates(n, batch_size, spec.epochs, spec.drop_last)
    if updates > MAX_UPDATES:
        epochs = spec.epochs
        checks.fail(
            "epochs",
            epochs,
            f"small enough for at most {MAX_UPDATES:,} updates; {epochs} epochs of "
            f"{updates // epochs:,} batches (n={n:,}, batch_size={batch_size}) are {updates:,}",
        )
    w0 = None
    if spec.w0 is not None:
        w0 = np.array(spec.w0, dtype=X.dtype)
        if w0.shape != (d,):
            checks.fail("w0", w0, f"{d} finite weights, one per feature")
    if orders is not None:
        orders = _check_orders(orders, n, spec.epochs)
    return Plan(
        X=X,
        y=y,
        lr=spec.lr,
        batch_size=batch_size,
        epochs=spec.epochs,
        optimizer=spec.optimizer,
        options=options,
        engine=spec.engine,
        loss=spec.loss,
        drop_last=spec.drop_last,
        divide_by=spec.divide_by,
        weight_decay=spec.weight_decay,
        seed=spec.seed,
        w0=w0,
        b0=0.0 if spec.b0 is None else spec.b0,
        orders=orders,
        quad=data.objective(spec.loss),
    )


def keyword_plan(X, y, orders=None, **keywords) -> Plan:
    """`make_plan` of raw arrays and `train`'s keywords: the data described (and checked),
    then the keywords made a `TrainSpec` (and checked)."""
    data = describe(X, y)
    return make_plan(data, TrainSpec.from_keywords(**keywords), orders)


def _keywords_signature() -> inspect.Signature:
    """X, y and `train`'s keywords with their defaults, as help() shows `train` and `run`."""
    defaults = {field.name: field.default for field in fields(TrainSpec)} | {"dtype": None}
    keyword, data = inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Signature(
        [
            inspect.Parameter("X", data),
            inspect.Parameter("y", data),
            *(inspect.Parameter(name, keyword, default=defaults[name]) for name in _KEYWORDS),
            inspect.Parameter("orders", keyword, default=None),
            inspect.Parameter("optimizer_options", inspect.Parameter.VAR_KEYWORD),
        ]
    )


keyword_plan.__signature__ = _keywords_signature()


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
