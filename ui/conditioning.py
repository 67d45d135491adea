"""The conditioning lesson: the same gradient descent on raw and on standardised features."""

from __future__ import annotations

import math

import streamlit as st

from linreg_core.data import batches_per_epoch
from linreg_core.dataset import Data
from linreg_core.plan import TrainSpec
from linreg_viz import settings
from linreg_viz.i18n import Translator
from linreg_viz.player import SPEEDS
from linreg_viz.view_spec import ViewSpec
from ui import common
from ui.html_table import show_table
from ui.player import player
from ui.runs import LOSS_TOLERANCE, Shown, conditioned, spec_seconds
from ui.visualiser import PLOT_CONFIG

SIDES = ("raw", "std")  # the features as drawn, then standardised
SCALE_STOPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)
RATIO_STOPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.9, 0.99, 1.01, 1.1, 1.5, 2, 5, 10, 20, 50, 100)
# The table's rows, each a translation key: the spectrum, the lr and rates, the steps.
ROW_KEYS = (
    "cond_lambda_min",
    "cond_lambda_max",
    "cond_kappa",
    "cond_limit",
    "cond_lr",
    "cond_rate",
    "cond_best_rate",
    "cond_measured",
    "cond_theory",
    "cond_theory_best",
)


def stops(name: str, fixed: tuple[float, ...]) -> list[float]:
    """A select slider's stops: the fixed ones and the current value, which a link may set."""
    return sorted({*map(float, fixed), float(common.values()[name])})


def controls(tr: Translator) -> None:
    """The lesson's controls: x2's scale and correlation, lr, batch, updates, optimizer, speed."""
    st.subheader(tr("cond_group"))
    number = {"format_func": lambda x: f"{x:g}"}
    common.control(
        st.select_slider, "scale", tr("field_scale"), options=stops("scale", SCALE_STOPS), **number
    )
    common.control(st.slider, "rho", tr("field_rho"))
    common.control(
        st.select_slider,
        "lr_ratio",
        tr("field_lr_ratio"),
        options=stops("lr_ratio", RATIO_STOPS),
        help=tr("lr_ratio_help"),
        **number,
    )
    common.control(st.toggle, "full_batch", tr("field_full_batch"), help=tr("full_batch_help"))
    common.control(st.slider, "steps", tr("field_steps"))
    common.control(
        st.selectbox, "optimizer", tr("field_optimizer"), format_func=lambda k: tr(f"optimizer_{k}")
    )
    common.choice_control("speed", tr("field_speed"), help=tr("speed_help", **SPEEDS))
    st.caption(tr("cond_data_note"))


def train_spec(lr: float, n: int, steps: int | None = None) -> TrainSpec:
    """The one training both sides get: `steps` updates (else the control's) of full batch (or
    of the batch_size control's minibatches), with the optimizer and its options, the engine,
    dtype and seed (so the same start) of the session's controls."""
    v = common.values()
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
LAST_GOOD = "conditioning_shown"  # (lr, sides) last shown: what stays when a change is refused
# The controls `data_key` reads.
DATA_FIELDS = ("w1", "w2", "b", "noise", "n", "seed", "scale", "rho")


def data_key() -> tuple:
    """The arguments of `runs.conditioned` for the current controls."""
    v = common.values()
    w = (float(v["w1"]), float(v["w2"]))
    scale, rho = float(v["scale"]), float(v["rho"])
    return w, float(v["b"]), float(v["noise"]), int(v["n"]), int(v["seed"]), scale, rho


def view_spec(side: str) -> ViewSpec:
    """Contour and loss only, each side's charts under keys of their own, equal axis scales; no
    update equation: it is the visualiser's lesson, and here it would push the contours down."""
    v = common.values()
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


def steps_text(tr: Translator, count: int | None, never: str, **fields) -> str:
    """A count of steps, or the words for none."""
    return f"{count:,}" if count is not None else tr(never, **fields)


def numbers(tr: Translator, lr: float, sides: dict[str, tuple[Data, Shown]]) -> dict[str, list]:
    """λmin, λmax, κ, 2/λmax, the lr, the rates, and the updates to within LOSS_TOLERANCE of the
    minimum loss: measured on the run, and the theory for full-batch gradient descent."""
    rows = {key: [] for key in ROW_KEYS}
    for data, shown in sides.values():
        quad, out = data.quad, shown.outcome
        eigenvalues = quad.eigenvalues()
        if out.diverged_at is not None:
            measured = tr("cond_diverged_at", step=out.diverged_at)
        else:
            measured = steps_text(tr, out.within_tol, "cond_not_within", steps=out.updates)
        values = (
            eigenvalues[0],
            eigenvalues[-1],
            quad.condition_number(),
            quad.stability_limit(),
            lr,
            quad.convergence_rate(lr),
            quad.convergence_rate(),
            measured,
            steps_text(tr, quad.gd_steps(lr, out.theta0, LOSS_TOLERANCE), "cond_never"),
            steps_text(
                tr, quad.gd_steps(quad.optimal_lr(), out.theta0, LOSS_TOLERANCE), "cond_never"
            ),
        )
        for key, value in zip(rows, values, strict=True):
            rows[key].append(value if isinstance(value, str) else f"{value:.4g}")
    table = {tr("cond_quantity"): [tr(key, tol=LOSS_TOLERANCE) for key in rows]}
    table |= {tr(f"cond_{side}"): [row[i] for row in rows.values()] for i, side in enumerate(sides)}
    return table


def show_side(tr: Translator, side: str, shown: Shown) -> None:
    """One side: its title, a diverged run's message, its player, its contour and loss charts."""
    st.subheader(tr(f"cond_{side}"))
    st.caption(tr(f"cond_{side}_note"))
    if shown.outcome.diverged_at is not None:
        st.error(tr("diverged_at", step=shown.outcome.diverged_at), icon="💥")
    player(shown.player, key=f"cond_{side}_player")
    key = view_spec(side).chart_key
    for name, figure in shown.figures.items():
        st.plotly_chart(figure, theme=None, key=key.format(name), config=PLOT_CONFIG)


def main() -> None:
    tr = common.t()
    v = common.values()
    with st.sidebar:
        controls(tr)
    made = common.checked_data(lambda: conditioned(*data_key()), DATA_FIELDS)
    *args, scale, rho = data_key()
    data = dict(zip(SIDES, made, strict=True))
    lr = float(v["lr_ratio"]) * data["raw"].limit
    spec = train_spec(lr, len(data["raw"].y))
    st.title(tr("cond_title"))
    common.not_used(NOT_USED)
    projection = bool(v["projection"])
    # On a projector the two sides come first, the words and the table after them.
    intro = st.expander(tr("cond_about"), expanded=False) if projection else st.container()
    intro.markdown(tr("cond_intro"))
    n = len(data["raw"].y)
    sides = {}
    try:
        common.within_budget(
            "steps",
            int(v["steps"]),
            lambda steps: len(SIDES) * spec_seconds(n, train_spec(lr, n, steps)),
            common.run_work(n, spec, len(SIDES)),
        )
        for side, side_data in data.items():
            key = ("conditioning", side, *args, scale, rho)
            shown = common.checked_run(key, spec, side_data, view_spec(side))
            sides[side] = (side_data, shown)
    except ValueError as error:
        if LAST_GOOD not in st.session_state:  # a link's run, nothing on screen yet
            common.fall_back(RUN_FIELDS, str(error))
        st.error(tr("run_refused", reason=str(error)), icon="🚫")
        if LAST_GOOD not in st.session_state:
            return
        lr, sides = st.session_state[LAST_GOOD]
    else:
        st.session_state[LAST_GOOD] = (lr, sides)
    if not (v["full_batch"] and spec.optimizer == "sgd"):
        st.info(tr("cond_theory_for_gd"), icon="ℹ️")
    table = st.container()
    st.caption(tr("cond_together"))
    for column, (side, (_, shown)) in zip(st.columns(2, gap="medium"), sides.items(), strict=True):
        with column:
            show_side(tr, side, shown)
    with st.container() if projection else table:
        show_table(numbers(tr, lr, sides))
    st.markdown(tr("cond_explanation"))
