"""The training and the look of a run, as the session's controls set them."""

from __future__ import annotations

from linreg_core.plan import TrainSpec
from linreg_viz import settings
from linreg_viz.view_spec import ViewSpec
from ui.state import values


def train_spec(d: int, n: int) -> TrainSpec:
    """The training controls, for a run on (n, d) data."""
    v = values()
    custom = v["init"] == "custom"
    return TrainSpec(
        lr=float(v["lr"]),
        batch_size=min(int(v["batch_size"]), n),
        epochs=int(v["epochs"]),
        optimizer=str(v["optimizer"]),
        seed=int(v["seed"]),
        w0=tuple(float(v[f"w0_{i}"]) for i in range(1, d + 1)) if custom else None,
        b0=float(v["b0"]) if custom else None,
        options=tuple(settings.optimizer_options(v).items()),
        engine=str(v["engine"]),
        loss=str(v["loss"]),
        drop_last=bool(v["drop_last"]),
        divide_by=str(v["divide_by"]),
        weight_decay=float(v["weight_decay"]),
        dtype=str(v["dtype"]),
    )


# The controls of a run on given data (`train_spec`): what a page opened on a link whose run is
# refused sets to their defaults (`state.fall_back`).
TRAINING_FIELDS = (
    "lr",
    "batch_size",
    "epochs",
    "optimizer",
    "init",
    "w0_1",
    "w0_2",
    "b0",
    "weight_decay",
    "loss",
    "drop_last",
    "divide_by",
    "engine",
    "dtype",
    *settings.OPTION_FIELDS,
)


def view_spec(d: int) -> ViewSpec:
    """The look of the views on d features: language, landscape, axes, speed, projection."""
    v = values()
    axes = (str(v["axis_a"]), str(v["axis_b"])) if d == 2 else ("w1", "b")
    if axes[0] == axes[1]:  # the page warns; the defaults, as for a link with equal axes
        axes = (str(settings.FIELDS["axis_a"].default), str(settings.FIELDS["axis_b"].default))
    return ViewSpec(
        lang=str(v["lang"]),
        landscape=str(v["landscape"]),
        axes=axes,
        speed=str(v["speed"]),
        projection=bool(v["projection"]),
        arrows=bool(v["arrows"]),
    )
