"""The sidebar's groups of controls: training, the optimizer's options, the book's variants, the
view, and the conditioning lesson's own."""

from __future__ import annotations

import math

import streamlit as st

from linreg_core import OPTIMIZERS
from linreg_core.cost import RATES
from linreg_core.optimizers import resolve_options
from linreg_viz import settings
from linreg_viz.i18n import Translator
from linreg_viz.player import SPEEDS
from linreg_viz.written_options import written
from ui import state

LR_SCALE_START = 1e-4  # the lr scale's first stop, unless the stability limit is near or under it


def lr_options(limit: float, current: float) -> list[float]:
    """The lr slider's stops: 1, 2, 3, 5 x powers of 10 from 1e-4, or from two decades under the
    stability limit where that is lower (raw features: a tiny limit), up to past 1.5 x the limit;
    the limit's neighbours, the default and the current lr; only what a link can carry."""
    field = settings.FIELDS["lr"]
    start = max(field.low, min(LR_SCALE_START, limit / 100))
    decades = range(math.floor(math.log10(start)), math.ceil(math.log10(field.high)) + 1)
    grid = [float(f"{m}e{e}") for e in decades for m in (1, 2, 3, 5)]  # 3e-05, as a link writes it
    top = max(1.5 * limit, 2 * field.default)
    near = [float(f"{f * limit:.4g}") for f in (0.5, 0.9, 0.99, 1.01, 1.1, 1.5)]
    options = {v for v in grid if v <= top} | set(near) | {field.default, current}
    return sorted(v for v in options if field.low <= v <= field.high)


def training_controls(tr, limit: float, n: int, d: int) -> None:
    """The Training group: lr beside its stability limit, batch size, epochs, optimizer, start."""
    v = state.values()
    st.subheader(tr("group_training"))
    state.control(
        st.select_slider,
        "lr",
        tr("field_lr"),
        options=lr_options(limit, float(v["lr"])),
        format_func=lambda x: f"{x:g}",
        help=tr("lr_help"),
    )
    st.caption(tr("stability_limit", limit=limit))
    if int(v["batch_size"]) > n:
        state.set_control("batch_size", n)
    state.control(st.number_input, "batch_size", tr("field_batch_size"), max_value=n)
    st.caption(tr("quick_picks"))
    for column, (label, size) in zip(
        st.columns(3), (("1", 1), ("10", min(10, n)), ("n", n)), strict=True
    ):
        column.button(
            label,
            key=f"pick_{label}",
            on_click=state.set_control,
            args=("batch_size", size),
            width="stretch",
        )
    state.control(st.slider, "epochs", tr("field_epochs"))
    optimizer = state.control(
        st.selectbox, "optimizer", tr("field_optimizer"), format_func=lambda k: tr(f"optimizer_{k}")
    )
    options = [f"{optimizer}_{name}" for name in written(str(optimizer))]
    if advanced := state.folded_group("advanced", tr("group_advanced"), options):
        with advanced:
            option_controls(tr, str(optimizer))
    if variants := state.folded_group("variants", tr("group_variants"), VARIANTS):
        with variants:
            variant_controls(tr, n, int(v["batch_size"]))
    init = state.control(
        st.radio, "init", tr("field_init"), format_func=lambda k: tr(f"init_{k}"), horizontal=True
    )
    if init == "custom":
        for i in range(1, d + 1):
            state.control(st.number_input, f"w0_{i}", tr("field_w0", i=i))
        state.control(st.number_input, "b0", tr("field_b0"))


# The controls of the variants group: the book's variants and lessons, each in a link only when
# changed (`settings.Field.optional`).
VARIANTS = ("loss", "drop_last", "divide_by", "weight_decay", "engine", "dtype")


def option_controls(tr, optimizer: str) -> None:
    """The optimizer's own options, torch.optim's defaults; a bad one gets the engine's message."""
    st.caption(tr("advanced_help", torch_name=OPTIMIZERS[optimizer].torch_name))
    for name, w in written(optimizer).items():
        key = f"{optimizer}_{name}"
        if w.is_flag:
            state.control(st.checkbox, key, w.label)
        else:
            help_ = tr("option_default", default=w.default)
            state.control(st.number_input, key, w.label, help=help_)
    try:
        v = state.values()
        resolve_options(optimizer, settings.optimizer_options(v), str(v["dtype"]))
    except ValueError as error:
        st.error(tr("option_refused", reason=str(error)), icon="🚫")


def variant_controls(tr, n: int, batch_size: int) -> None:
    """The book's variants and lessons, each with what it changes: the loss (½ or not), the last
    short batch, weight decay, the engine and the dtype."""
    rest = n % batch_size
    state.control(
        st.radio, "loss", tr("field_loss"), format_func=lambda k: tr(f"loss_{k}"), horizontal=True
    )
    st.caption(tr("loss_explain"))
    state.control(st.toggle, "drop_last", tr("field_drop_last"))
    state.control(
        st.radio, "divide_by", tr("field_divide_by"), format_func=lambda k: tr(f"divide_by_{k}")
    )
    if rest:
        st.caption(tr("last_batch_explain", n=n, batch_size=batch_size, rest=rest))
    else:
        st.caption(tr("last_batch_even", n=n, batch_size=batch_size))
    state.control(st.number_input, "weight_decay", tr("field_weight_decay"))
    st.caption(tr("weight_decay_explain"))
    state.control(
        st.radio,
        "engine",
        tr("field_engine"),
        format_func=lambda k: tr(f"engine_{k}"),
        horizontal=True,
    )
    state.control(st.radio, "dtype", tr("field_dtype"), horizontal=True)
    by_torch, by_numpy = RATES["torch", "float32", "sgd"], RATES["numpy", "float32", "sgd"]
    st.caption(tr("engine_explain", ratio=by_torch.update_us / by_numpy.update_us))


def view_controls(tr, d: int) -> None:
    """How to show the run: which landscape, which two parameters, how fast."""
    st.subheader(tr("group_view"))
    state.choice_control("landscape", tr("field_landscape"))
    if d == 2:
        left, right = st.columns(2)
        with left:
            a = state.control(st.selectbox, "axis_a", tr("field_axis_a"))
        with right:
            b = state.control(st.selectbox, "axis_b", tr("field_axis_b"))
        if a == b:
            st.warning(tr("axes_same"))
    state.choice_control("speed", tr("field_speed"), help=tr("speed_help", **SPEEDS))
    state.control(st.toggle, "arrows", tr("field_arrows"), help=tr("arrows_help"))


# The conditioning lesson's stops: x2's scale, and lr as a multiple of the stability limit.
SCALE_STOPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)
RATIO_STOPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.9, 0.99, 1.01, 1.1, 1.5, 2, 5, 10, 20, 50, 100)


def stops(name: str, fixed: tuple[float, ...]) -> list[float]:
    """A select slider's stops: the fixed ones and the current value, which a link may set."""
    return sorted({*map(float, fixed), float(state.values()[name])})


def conditioning_controls(tr: Translator) -> None:
    """The lesson's controls: x2's scale and correlation, lr, batch, updates, optimizer, speed."""
    st.subheader(tr("cond_group"))
    number = {"format_func": lambda x: f"{x:g}"}
    state.control(
        st.select_slider, "scale", tr("field_scale"), options=stops("scale", SCALE_STOPS), **number
    )
    state.control(st.slider, "rho", tr("field_rho"))
    state.control(
        st.select_slider,
        "lr_ratio",
        tr("field_lr_ratio"),
        options=stops("lr_ratio", RATIO_STOPS),
        help=tr("lr_ratio_help"),
        **number,
    )
    state.control(st.toggle, "full_batch", tr("field_full_batch"), help=tr("full_batch_help"))
    state.control(st.slider, "steps", tr("field_steps"))
    state.control(
        st.selectbox, "optimizer", tr("field_optimizer"), format_func=lambda k: tr(f"optimizer_{k}")
    )
    state.choice_control("speed", tr("field_speed"), help=tr("speed_help", **SPEEDS))
    st.caption(tr("cond_data_note"))
