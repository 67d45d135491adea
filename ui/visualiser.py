"""The visualiser: choose data and training, watch gradient descent find w and b."""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace

import numpy as np
import streamlit as st
from streamlit.runtime.uploaded_file_manager import DeletedFile

from linreg_core import OPTIMIZERS, LossQuadratic, parameter_names, stability_limit
from linreg_core.cost import RATES
from linreg_core.data import standardise as standardise_features
from linreg_core.dataset import Data, describe
from linreg_core.limits import COST_BUDGET_S, CSV_MAX_UPDATES, MAX_UPLOAD_MB
from linreg_core.optimizers import resolve_options
from linreg_core.plan import TrainSpec
from linreg_viz import settings
from linreg_viz.exports import standalone_html
from linreg_viz.figures import is_3d
from linreg_viz.player import SPEEDS
from linreg_viz.reproduce import Synthetic, Upload, reproduce_script
from linreg_viz.uploads import (
    UploadError,
    choose,
    forget_column_choices,
    read_table,
)
from linreg_viz.view_spec import CHART_KEY
from linreg_viz.written_options import written
from ui import common
from ui.html_table import show_lines, show_table
from ui.player import player
from ui.runs import (
    Outcome,
    Shown,
    compare_engines,
    spec_seconds,
    trajectory_file,
    upload_key,
)

UPLOAD_TABLE = "upload_table"  # (digest, table) of the file last read
LAST_GOOD = "last_good_run"  # what stays on screen when a new request is refused
# Plotly's camera button saves a view as PNG in the browser, at twice the screen's size. WebGL
# scenes drawn at one pixel per CSS pixel: half the work of the default 2 on a software renderer.
PLOT_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "plotGlPixelRatio": 1,
}


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


def upload_controls(tr) -> bool:
    """Your own CSV: columns to use, optional standardisation; a bad file keeps the last data.
    True if the page shows a file this session never read: the server lost it (`file_lost`)."""
    file = st.file_uploader(
        tr("field_file", limit_mb=MAX_UPLOAD_MB),
        key="upload_file",
        help=tr("upload_help"),
        max_upload_size=MAX_UPLOAD_MB,
    )
    st.caption(tr("upload_not_in_link"))  # the address bar is where a run is shared
    if file is None:
        return file_lost()
    raw = file.getvalue()
    digest = hashlib.sha256(raw).hexdigest()
    if st.session_state.get(UPLOAD_TABLE, (None,))[0] != digest:  # parse a file once, not per rerun
        try:
            st.session_state[UPLOAD_TABLE] = (digest, read_table(raw))
        except UploadError as error:
            st.error(tr(error.key, **error.fields))
            return False
        forget_column_choices(st.session_state)  # a new file starts at its own columns
    frame = st.session_state[UPLOAD_TABLE][1]
    columns = list(frame.columns)
    features = st.multiselect(
        tr("field_features"), columns, default=columns[:1], max_selections=2, key="upload_features"
    )
    rest = [c for c in columns if c not in features] or columns
    target = st.selectbox(tr("field_target"), rest, index=len(rest) - 1, key="upload_target")
    standardise = st.checkbox(tr("field_standardise"), value=True, key="upload_standardise")
    try:
        dataset = choose(frame, features, target, standardise)
    except UploadError as error:
        st.error(tr(error.key, **error.fields))
        return False
    key = upload_key(digest, dataset, standardise)
    if st.session_state.get(common.UPLOAD, (None,))[0] != key:
        columns = (dataset.features, dataset.target, standardise)
        st.session_state[common.UPLOAD] = (key, describe(dataset.X, dataset.y, columns=columns))
    if not standardise:
        suggest_standardising(tr, st.session_state[common.UPLOAD][1].limit, dataset.X)
    return False


def suggest_standardising(tr, limit: float, X: np.ndarray) -> None:
    """Badly scaled raw features make 2/λ_max tiny (and the contours long and thin): say so,
    with the limit standardising would give, where it is ten times larger or more."""
    standardised = stability_limit(standardise_features(X)[0])
    if limit * 10 <= standardised:
        st.info(tr("upload_standardise_why", lam=2 / limit, limit=limit, standardised=standardised))


def file_lost() -> bool:
    """Whether the file card on the page names a file neither the server nor this session holds.

    A server's restart or a replica's death loses the uploaded files and the sessions; the open
    page keeps its card, and the new session's first run carries it: Streamlit then gives the
    widget's state as a `DeletedFile` (and the script None).
    """
    return (
        isinstance(st.session_state.get("upload_file"), DeletedFile)
        and common.UPLOAD not in st.session_state
    )


def data_controls(tr) -> bool:
    """The Data group: synthetic data (features, true w and b, noise, n, seed) or a CSV.
    True if the chosen CSV was lost (`file_lost`): nothing may be drawn in its name."""
    st.subheader(tr("group_data"))
    common.values().setdefault("source", "synthetic")  # not in the URL: a file cannot be linked
    source = common.control(
        st.radio,
        "source",
        tr("field_source"),
        options=["synthetic", "upload"],
        horizontal=True,
        format_func=lambda k: tr(f"source_{k}"),
    )
    if source == "upload":
        return upload_controls(tr)
    d = common.control(
        st.segmented_control,
        "d",
        tr("field_d"),
        required=True,
        format_func=lambda k: tr("one_feature") if k == 1 else tr("two_features"),
    )
    for i in range(1, int(d) + 1):
        common.control(st.slider, f"w{i}", tr("field_w", i=i))
    common.control(st.slider, "b", tr("field_b"))
    common.control(st.number_input, "noise", tr("field_noise"))
    common.control(st.number_input, "n", tr("field_n"))
    common.control(st.number_input, "seed", tr("field_seed"))
    return False


def training_controls(tr, limit: float, n: int, d: int) -> None:
    """The Training group: lr beside its stability limit, batch size, epochs, optimizer, start."""
    v = common.values()
    st.subheader(tr("group_training"))
    common.control(
        st.select_slider,
        "lr",
        tr("field_lr"),
        options=lr_options(limit, float(v["lr"])),
        format_func=lambda x: f"{x:g}",
        help=tr("lr_help"),
    )
    st.caption(tr("stability_limit", limit=limit))
    if int(v["batch_size"]) > n:
        common.set_control("batch_size", n)
    common.control(st.number_input, "batch_size", tr("field_batch_size"), max_value=n)
    st.caption(tr("quick_picks"))
    for column, (label, size) in zip(
        st.columns(3), (("1", 1), ("10", min(10, n)), ("n", n)), strict=True
    ):
        column.button(
            label,
            key=f"pick_{label}",
            on_click=common.set_control,
            args=("batch_size", size),
            width="stretch",
        )
    common.control(st.slider, "epochs", tr("field_epochs"))
    optimizer = common.control(
        st.selectbox, "optimizer", tr("field_optimizer"), format_func=lambda k: tr(f"optimizer_{k}")
    )
    options = [f"{optimizer}_{name}" for name in written(str(optimizer))]
    if advanced := common.folded_group("advanced", tr("group_advanced"), options):
        with advanced:
            option_controls(tr, str(optimizer))
    if variants := common.folded_group("variants", tr("group_variants"), VARIANTS):
        with variants:
            variant_controls(tr, n, int(v["batch_size"]))
    init = common.control(
        st.radio, "init", tr("field_init"), format_func=lambda k: tr(f"init_{k}"), horizontal=True
    )
    if init == "custom":
        for i in range(1, d + 1):
            common.control(st.number_input, f"w0_{i}", tr("field_w0", i=i))
        common.control(st.number_input, "b0", tr("field_b0"))


# The controls of the variants group: the book's variants and lessons, each in a link only when
# changed (`settings.Field.optional`).
VARIANTS = ("loss", "drop_last", "divide_by", "weight_decay", "engine", "dtype")


def option_controls(tr, optimizer: str) -> None:
    """The optimizer's own options, torch.optim's defaults; a bad one gets the engine's message."""
    st.caption(tr("advanced_help", torch_name=OPTIMIZERS[optimizer].torch_name))
    for name, w in written(optimizer).items():
        key = f"{optimizer}_{name}"
        if w.is_flag:
            common.control(st.checkbox, key, w.label)
        else:
            help_ = tr("option_default", default=w.default)
            common.control(st.number_input, key, w.label, help=help_)
    try:
        v = common.values()
        resolve_options(optimizer, settings.optimizer_options(v), str(v["dtype"]))
    except ValueError as error:
        st.error(tr("option_refused", reason=str(error)), icon="🚫")


def variant_controls(tr, n: int, batch_size: int) -> None:
    """The book's variants and lessons, each with what it changes: the loss (½ or not), the last
    short batch, weight decay, the engine and the dtype."""
    rest = n % batch_size
    common.control(
        st.radio, "loss", tr("field_loss"), format_func=lambda k: tr(f"loss_{k}"), horizontal=True
    )
    st.caption(tr("loss_explain"))
    common.control(st.toggle, "drop_last", tr("field_drop_last"))
    common.control(
        st.radio, "divide_by", tr("field_divide_by"), format_func=lambda k: tr(f"divide_by_{k}")
    )
    if rest:
        st.caption(tr("last_batch_explain", n=n, batch_size=batch_size, rest=rest))
    else:
        st.caption(tr("last_batch_even", n=n, batch_size=batch_size))
    common.control(st.number_input, "weight_decay", tr("field_weight_decay"))
    st.caption(tr("weight_decay_explain"))
    common.control(
        st.radio,
        "engine",
        tr("field_engine"),
        format_func=lambda k: tr(f"engine_{k}"),
        horizontal=True,
    )
    common.control(st.radio, "dtype", tr("field_dtype"), horizontal=True)
    by_torch, by_numpy = RATES["torch", "float32", "sgd"], RATES["numpy", "float32", "sgd"]
    st.caption(tr("engine_explain", ratio=by_torch.update_us / by_numpy.update_us))


def view_controls(tr, d: int) -> None:
    """How to show the run: which landscape, which two parameters, how fast."""
    st.subheader(tr("group_view"))
    common.choice_control("landscape", tr("field_landscape"))
    if d == 2:
        left, right = st.columns(2)
        with left:
            a = common.control(st.selectbox, "axis_a", tr("field_axis_a"))
        with right:
            b = common.control(st.selectbox, "axis_b", tr("field_axis_b"))
        if a == b:
            st.warning(tr("axes_same"))
    common.choice_control("speed", tr("field_speed"), help=tr("speed_help", **SPEEDS))
    common.control(st.toggle, "arrows", tr("field_arrows"), help=tr("arrows_help"))


# Updates, epoch, loss, w, b: each column as wide as its number needs at 36 px (2,000,000 150 px,
# 4.83923e-05 182 px, two weights 224 px), so that a laptop's 1280 px with the sidebar open
# (756 px for the five) shows each on one line.
METRIC_WIDTHS = (1.5, 0.5, 1.9, 2.3, 1.15)


def numbers(tr, outcome: Outcome, data: Data, quad: LossQuadratic) -> None:
    """The run's last step, the book's per-epoch lines, and learned vs true vs the closed form
    of what the run minimises (least squares; ridge with weight decay)."""
    d = quad.d
    cols = st.columns(METRIC_WIDTHS)
    cols[0].metric(tr("metric_steps"), f"{outcome.updates:,}")
    cols[1].metric(tr("metric_epoch"), outcome.epoch)
    cols[2].metric(tr("metric_loss"), f"{outcome.loss:.6g}")
    cols[3].metric("w", ", ".join(f"{x:.4f}" for x in outcome.w))
    cols[4].metric("b", f"{outcome.b:.4f}")
    if outcome.epoch_lines:
        show_lines(outcome.epoch_lines)
    learned = np.append(outcome.w, outcome.b)
    closed_label = (
        tr("col_ridge", weight_decay=quad.weight_decay)
        if quad.weight_decay
        else tr("col_least_squares")
    )
    table = {
        tr("col_parameter"): parameter_names(d),
        tr("col_learned"): learned,
        closed_label: quad.theta_star,
    }
    if data.true_w is not None:
        true = np.append(data.true_w, data.true_b)
        table[tr("col_true")] = true
        table[tr("col_error")] = true - learned
    show_table(table)


def run_summary(tr, data_key: tuple, spec: TrainSpec, file_name: str = "data.csv") -> str:
    """One line: the optimizer, lr, batch size, epochs and data of a run (an exported file's)."""
    if data_key[0] == "upload":
        _, _, features, target, standardise = data_key
        data = tr(
            "export_data_upload",
            file=file_name,
            features=", ".join(features),
            target=target,
            standardised=tr("export_standardised") if standardise else "",
        )
    else:
        d, w, b, noise, n, seed = data_key
        weights = ", ".join(f"{x:g}" for x in w[:d])
        data = tr("export_data_synthetic", w=weights, b=b, noise=noise, n=n, seed=seed)
    return tr(
        "export_about",
        optimizer=tr(f"optimizer_{spec.optimizer}"),
        lr=spec.lr,
        batch_size=spec.batch_size,
        epochs=spec.epochs,
        data=data,
    )


def exports(tr, data_key: tuple, data: Data, spec: TrainSpec, shown: Shown) -> None:
    """Downloads: the trajectory as CSV (the run computed again on the click: nothing of it is
    kept), the views and their player as an HTML file that plays offline."""
    file = st.session_state.get("upload_file")
    about = run_summary(tr, data_key, spec, file.name if file else "data.csv")
    left, right, _ = st.columns([1, 1, 2])
    left.download_button(
        tr("download_csv"),
        lambda: trajectory_file(data, spec),
        file_name="trajectory.csv",
        mime="text/csv",
        key="download_csv",
    )
    right.download_button(
        tr("download_html"),
        lambda: standalone_html(shown.figures, shown.player, tr("visualiser_title"), about),
        file_name="gradient-descent.html",
        mime="text/html",
        key="download_html",
    )
    if shown.outcome.updates > CSV_MAX_UPDATES:
        st.caption(tr("csv_sampled", updates=shown.outcome.updates, rows=CSV_MAX_UPDATES))
    st.caption(tr("png_hint"))


def reproduce(tr, data_key: tuple, spec, d: int) -> None:
    """Download: a Python script in the book's style that reruns this run and prints its lines."""
    if data_key[0] == "upload":
        _, _, features, target, standardise = data_key
        file = st.session_state.get("upload_file")
        data = Upload(features, target, standardise, file.name if file else "data.csv")
    else:
        _, w, b, noise, n, seed = data_key
        data = Synthetic(w, b, noise, n, seed)
    script = reproduce_script(data, spec, d)
    st.download_button(
        tr("download_reproduce"),
        script,
        file_name="reproduce.py",
        mime="text/x-python",
        key="download_reproduce",
        help=tr("reproduce_help"),
    )


CHECKED = "engine_check"  # (data key, spec, EngineCheck) of the last check on this page


def engine_check(tr, data_key: tuple, data: Data, spec: TrainSpec) -> None:
    """Autograd against the hand-written gradients: both engines on these settings, on demand."""
    with st.expander(tr("check_title")):
        st.caption(tr("check_help"))
        n = len(data.y)
        seconds = sum(spec_seconds(n, replace(spec, engine=e)) for e in ("numpy", "torch"))
        if seconds > COST_BUDGET_S:
            st.info(tr("check_too_costly", seconds=seconds, budget=COST_BUDGET_S))
            return
        if st.button(tr("check_run"), key="check_run"):
            st.session_state[CHECKED] = (data_key, spec, compare_engines(data, spec))
        checked = st.session_state.get(CHECKED)
        if checked is None or checked[:2] != (data_key, spec):
            return
        check = checked[2]
        cols = st.columns(4)
        cols[0].metric(tr("check_dw"), f"{check.max_dw:.3g}")
        cols[1].metric(tr("check_db"), f"{check.max_db:.3g}")
        cols[2].metric(tr("check_numpy_time"), f"{check.numpy_s * 1000:.1f} ms")
        cols[3].metric(tr("check_torch_time"), f"{check.torch_s * 1000:.1f} ms")
        verdict = "check_agree" if check.agree else "check_differ"
        st.caption(tr(verdict, updates=check.updates, dtype=spec.dtype, rounding=check.rounding))


def show_views(figures: dict, chart_key: str = CHART_KEY) -> None:
    """The views two to a row, a 3-D view wider than a 2-D one beside it; stacked on a phone.
    `chart_key` names each chart, for the player to find: a page's own (gdv_{} here)."""
    names = list(figures)
    for row in (names[i : i + 2] for i in range(0, len(names), 2)):
        widths = [3 if is_3d(figures[name]) else 2 for name in row]
        for column, name in zip(st.columns(widths, gap="medium"), row, strict=True):
            with column:
                st.plotly_chart(
                    figures[name], theme=None, key=chart_key.format(name), config=PLOT_CONFIG
                )


def main() -> None:
    tr = common.t()
    with st.sidebar:
        lost = data_controls(tr)
    if lost:  # other data under the file's name would mislead: nothing is drawn until it is back
        st.title(tr("visualiser_title"))
        st.warning(tr("upload_lost"), icon="📄")
        return
    data_key, data = common.current_data()
    n, d = data.X.shape
    v = common.values()
    limit = data.objective(str(v["loss"]), float(v["weight_decay"])).stability_limit()
    with st.sidebar:
        training_controls(tr, limit, n, d)
        view_controls(tr, d)
    spec = common.train_spec(d, n)
    st.title(tr("visualiser_title"))
    if spec.optimizer == "sgd" and spec.lr >= limit:  # the limit is plain GD's
        st.warning(tr("lr_too_large", lr=spec.lr, limit=limit), icon="⚠️")
    try:
        shown = common.checked_run(data_key, spec, data)
        # shared or the session's own: no copy
        st.session_state[LAST_GOOD] = (data_key, data, spec, shown)
    except ValueError as error:
        if LAST_GOOD not in st.session_state:  # a link's run, nothing on screen yet
            common.fall_back(common.TRAINING_FIELDS, str(error))
        st.error(tr("run_refused", reason=str(error)), icon="🚫")
        if LAST_GOOD not in st.session_state:
            return
    shown_key, data, spec, shown = st.session_state[LAST_GOOD]
    if shown.outcome.diverged_at is not None:
        st.error(tr("diverged_at", step=shown.outcome.diverged_at), icon="💥")
    player(shown.player)
    show_views(shown.figures)
    numbers(tr, shown.outcome, data, data.objective(spec.loss, spec.weight_decay))
    engine_check(tr, shown_key, data, spec)
    exports(tr, shown_key, data, spec, shown)
    reproduce(tr, shown_key, spec, data.X.shape[1])
