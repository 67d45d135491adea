"""The conditioning lesson's data, training and views, as the session's controls set them."""

from __future__ import annotations

import math

from linreg_core.data import batches_per_epoch
from linreg_core.plan import TrainSpec
from linreg_viz import settings
from linreg_viz.view_spec import ViewSpec
from ui import state
from ui.runs import spec_seconds

SIDES = ("raw", "std")  # the features as drawn, then standardised


def train_spec(lr: float, n: int, steps: int | None = None) -> TrainSpec:
    """The one training both sides get: `steps` updates (else the control's) of full batch (or
    of the batch_size control's minibatches), with the optimizer and its options, the engine,
    dtype and seed (so the same start) of the session's controls."""
    v = state.values()
    batch_size = n if v["full_batch"] else min(int(v["batch_size"]), n)
    per_epoch = batches_per_epoch(n, batch_size, drop_last=False)
    updates = steps or int(v["steps"])
    return TrainSpec(
        lr=lr,
        batch_size=batch_size,
        epochs=math.ceil(updates / per_epoch),
        optimizer=str(v["optimizer"]),
        seed=int(v["seed"]),
        options=tuple(settings.optimizer_options(v).items()),
        engine=str(v["engine"]),
        dtype=str(v["dtype"]),
        updates=updates,
    )


def page_seconds(n: int, steps: int | None = None) -> float:
    """CPU seconds both sides' runs cost on n examples, by the price table (lr costs nothing)."""
    return len(SIDES) * spec_seconds(n, train_spec(1.0, n, steps))


# What a run elsewhere uses and this lesson does not: it trains on two features from the book's
# start, with the loss the theory is for, lr as a multiple of the limit, and draws w1 against w2.
NOT_USED = (
    "d",
    "lr",
    "epochs",
    "init",
    "w0_1",
    "w0_2",
    "b0",
    "loss",
    "weight_decay",
    "drop_last",
    "divide_by",
    "landscape",
    "axis_a",
    "axis_b",
    "arrows",
    "runs",
)
# The controls of the lesson's run: a link's run refused goes back to their defaults, n too, for
# the work a run reads grows with it.
RUN_FIELDS = (
    "lr_ratio",
    "full_batch",
    "batch_size",
    "steps",
    "optimizer",
    "n",
    "engine",
    "dtype",
    *settings.OPTION_FIELDS,
)
# The controls `data_key` reads.
DATA_FIELDS = ("w1", "w2", "b", "noise", "n", "seed", "scale", "rho")


def data_key() -> tuple:
    """The arguments of `runs.conditioned` for the current controls."""
    v = state.values()
    w = (float(v["w1"]), float(v["w2"]))
    scale, rho = float(v["scale"]), float(v["rho"])
    return w, float(v["b"]), float(v["noise"]), int(v["n"]), int(v["seed"]), scale, rho


def view_spec(side: str) -> ViewSpec:
    """Contour and loss only, each side's charts under keys of their own, equal axis scales; no
    update equation: it is the visualiser's lesson, and here it would push the contours down."""
    v = state.values()
    return ViewSpec(
        lang=str(v["lang"]),
        landscape="contour",
        axes=("w1", "w2"),
        speed=str(v["speed"]),
        projection=bool(v["projection"]),
        arrows=False,
        chart_key=f"cond_{side}_{{}}",
        with_data=False,
        equal_axes=True,
        group="conditioning",
        equation=False,
    )
