"""The comparison page: up to four runs on the visualiser's data, on one clock in epochs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from linreg_core import OPTIMIZERS, num_updates
from linreg_core.dataset import Data
from linreg_core.limits import CACHE_TTL_S, COMPARED_CACHE_MB, HEAVY_SECONDS, MAX_FRAMES, MAX_RUNS
from linreg_core.plan import TrainSpec
from linreg_viz import comparison
from linreg_viz.compare_figures import RUN_COLOURS, build_compare_views
from linreg_viz.compare_timeline import make_compare_timeline
from linreg_viz.i18n import literal, translator
from linreg_viz.player import compare_payload
from linreg_viz.settings import FIELDS
from linreg_viz.timeline import make_timeline
from linreg_viz.view_spec import ViewSpec
from linreg_viz.written_options import written
from ui import common, turns
from ui.byte_cache import ByteCache
from ui.html_table import show_table
from ui.player import player
from ui.runs import page_check, spec_seconds, train_run
from ui.visualiser import data_controls, show_views

CHART_KEY = "cmp_{}"  # st.plotly_chart key of each view: not the visualiser's gdv_{}
LAST_GOOD = "last_good_comparison"


@dataclass(frozen=True)
class Compared:
    """What the page shows of a comparison: its views, the player's bytes, and per run its name,
    updates, final loss and (if it diverged) when. Never the runs themselves."""

    figures: dict[str, go.Figure]
    player: bytes
    names: tuple[str, ...]
    updates: tuple[int, ...]
    final_losses: tuple[float, ...]
    start_losses: tuple[float, ...]
    diverged: tuple[tuple[float, int] | None, ...]  # (epoch, updates made) where it stopped


def compared_size(compared: Compared) -> int:
    """Bytes a Compared holds, counted as what the page is sent."""
    return len(compared.player) + sum(len(f.to_json()) for f in compared.figures.values())


# Every session's comparisons, as shown.
COMPARED: ByteCache[Compared] = ByteCache(
    budget=COMPARED_CACHE_MB * 2**20, ttl=CACHE_TTL_S, size=compared_size
)


def train_specs(runs: tuple[comparison.Resolved, ...], epochs: int, seed: int) -> list[TrainSpec]:
    """Each run's training controls, as `train_run` takes them."""
    return [
        TrainSpec(r.lr, r.batch_size, epochs, r.optimizer, seed, r.w0, r.b0, options=r.options)
        for r in runs
    ]


def make_compared(
    data: Data,
    runs: tuple[comparison.Resolved, ...],
    epochs: int,
    seed: int,
    view: ViewSpec,
    still_wanted=lambda: None,
) -> Compared:
    """Train each run in turn, keeping only its timeline; then the views and the player.
    `still_wanted()` is called between a run's chunks, as `runs.make_shown` calls it."""
    t = translator(view.lang)
    n = len(data.y)
    timelines = []
    for spec in train_specs(runs, epochs, seed):
        trajectory = train_run(data, spec, after_chunk=still_wanted)
        timelines.append(
            make_timeline(trajectory, data, spec, view.axes, MAX_FRAMES, equation=False)
        )
        del trajectory  # one run's arrays at a time
    ct = make_compare_timeline(timelines, [r.batch_size for r in runs], data.quad, n, epochs)
    names = comparison.names(list(runs), t, n)
    figures = build_compare_views(
        ct, data.quad, names, t=t, landscape=view.landscape, projection=view.projection
    )
    blob = compare_payload(
        ct,
        [
            {"name": name, "colour": colour}
            for name, colour in zip(names, RUN_COLOURS, strict=False)
        ],
        charts={name: f".st-key-{CHART_KEY.format(name)} .js-plotly-plot" for name in figures},
        moving={name: [tr.meta for tr in fig.data if tr.meta] for name, fig in figures.items()},
        t=t,
        speed=view.speed,
        projection=view.projection,
    )
    held = ct.held
    return Compared(
        figures,
        blob,
        tuple(names),
        ct.total_steps,
        tuple(float(loss) for loss in ct.losses[:, -1]),  # a diverged run's where it held
        tuple(float(loss) for loss in ct.losses[:, 0]),
        tuple(
            None if when is None else (when, int(ct.steps[r, held[r]]))
            for r, when in enumerate(ct.diverged_epoch)
        ),
    )


def resolved(tr, runs_value: str, data: Data) -> tuple[comparison.Resolved, ...]:
    """The runs of `runs_value` on these data; ValueError with a translated message if a run's
    start does not fit them."""
    n, d = data.X.shape
    runs = []
    for i, run in enumerate(comparison.parse_runs(runs_value), start=1):
        try:
            runs.append(comparison.resolve(run, data.limit, n, d))
        except ValueError:
            raise ValueError(
                tr("cmp_bad_start", run=i, given=len(run.start), needed=d + 1)
            ) from None
    return tuple(runs)


def total_seconds(runs, n: int, epochs: int) -> float:
    """CPU seconds all the runs cost together, by the price table (`runs.spec_seconds`)."""
    return sum(spec_seconds(n, spec) for spec in train_specs(runs, epochs, 0))


def total_work(runs, n: int, epochs: int) -> str:
    """The updates all the runs make and the examples they read, in words."""
    updates = sum(num_updates(n, r.batch_size, epochs) for r in runs)
    return common.t()("cost_work", updates=updates, examples=len(runs) * epochs * n)


def shown(data_key: tuple, data: Data, runs, epochs: int) -> Compared:
    """The comparison as the page shows it: from the cache, else computed now; a heavy one in
    its turn, with a note while it waits."""
    v = common.values()
    view = common.view_spec(data.quad.d)
    seconds = total_seconds(runs, len(data.y), epochs)
    seed = int(v["seed"])
    note = common.QueueNote()

    def compute() -> Compared:
        if seconds < HEAVY_SECONDS:
            return make_compared(data, runs, epochs, seed, view)
        with turns.turn(note):
            return make_compared(data, runs, epochs, seed, view, page_check())

    result = COMPARED.get_or_compute((data_key, runs, epochs, seed, view), compute, note)
    note.clear()
    return result


def choose(tr) -> str:
    """The presets as buttons, the runs row by row and as the link writes them, and the epochs
    every run trains for."""
    st.caption(tr("cmp_presets"))
    for column, name in zip(st.columns(len(comparison.PRESETS)), comparison.PRESETS, strict=True):
        column.button(
            tr(f"cmp_preset_{name}"),
            key=f"preset_{name}",
            on_click=pick,
            args=(name,),
            width="stretch",
        )
    rows = st.container()  # filled once the text below is read
    left, right = st.columns([3, 1])
    with left:
        raw = common.control(
            st.text_input, "runs", tr("cmp_field_runs"), help=tr("cmp_runs_help", most=MAX_RUNS)
        )
    with right:
        common.control(st.slider, "epochs", tr("field_epochs"))
    try:
        value = common.values()["runs"] = comparison.canonical(str(raw))  # the link's exact form
    except ValueError:
        key, fields = FIELDS["runs"].allowed()
        st.error(tr("cmp_runs_bad", value=literal(raw), allowed=tr(key, **fields)), icon="⚠️")
        value = st.session_state.get(LAST_GOOD, (comparison.DEFAULT,))[0]
        common.values()["runs"] = value  # the link and the next run's text: what is shown
    with rows:
        run_rows(tr, value)
    return value


ROW_PARTS = ("opt", "options", "lr", "batch", "start")  # a row's widgets: cmp_opt_0, …
ROW_ERROR = "cmp_row_error"  # (row, text) of a row edited into something not allowed


def run_rows(tr, value: str) -> None:
    """The runs one row each: optimizer, its options, lr, batch size, start; remove one, add one.
    They show the comparison's runs, and an edit writes them back, as the text above would."""
    runs = comparison.parse_runs(value)
    labels = (
        tr("field_optimizer"),
        tr("cmp_field_options"),
        tr("cmp_field_lr"),
        tr("field_batch_size"),
        tr("cmp_field_start"),
    )
    for i, run in enumerate(runs):
        lr, batch, *start = run.text().split(":")[1:]
        parts = [run.optimizer, run.options_text(), lr, batch, "".join(start)]  # "": book's start
        cells = st.columns([3, 3, 2, 2, 3, 1], vertical_alignment="bottom")
        for cell, part, label, shown in zip(cells, ROW_PARTS, labels, parts, strict=False):
            st.session_state[f"cmp_{part}_{i}"] = shown
            visibility = "visible" if i == 0 else "collapsed"
            arguments = {"key": f"cmp_{part}_{i}", "on_change": edit, "args": (len(runs),)}
            if part == "opt":
                cell.selectbox(
                    label,
                    list(OPTIMIZERS),
                    format_func=lambda k: tr(f"optimizer_{k}"),
                    label_visibility=visibility,
                    **arguments,
                )
            elif part == "options":  # empty: torch's defaults, the first of them as a hint
                name, first = next(iter(written(run.optimizer).items()))
                example = f"{name}={1 if first.is_flag else first.default}"
                hint = tr("cmp_options_hint", example=example)
                cell.text_input(label, label_visibility=visibility, placeholder=hint, **arguments)
            else:
                cell.text_input(label, label_visibility=visibility, **arguments)
        cells[5].button(
            "✕",
            key=f"cmp_remove_{i}",
            help=tr("cmp_remove"),
            on_click=edit,
            args=(len(runs), i),
            disabled=len(runs) == 1,
        )
    if len(runs) < MAX_RUNS:
        st.button(tr("cmp_add"), key="cmp_add", on_click=edit, args=(len(runs), None, True))
    if ROW_ERROR in st.session_state:
        row, text = st.session_state.pop(ROW_ERROR)
        key, fields = FIELDS["runs"].allowed()
        message = tr("cmp_row_bad", row=row, value=literal(text), allowed=tr(key, **fields))
        st.error(message, icon="⚠️")


def edit(count: int, remove: int | None = None, add: bool = False) -> None:
    """The runs as the rows now say, less a removed one or with the last one repeated."""
    texts = []
    for i in range(count):
        opt, options, lr, batch, start = (
            str(st.session_state[f"cmp_{p}_{i}"]).strip() for p in ROW_PARTS
        )
        opt += f"({options})" if options else ""
        texts.append(":".join([opt, lr, batch] + ([start] if start else [])))
    for row, text in enumerate(texts, start=1):
        try:
            comparison.parse_run(text)
        except ValueError:
            st.session_state[ROW_ERROR] = (row, text)
            return
    if remove is not None:
        del texts[remove]
    if add:
        texts.append(texts[-1])
    common.set_control("runs", comparison.canonical(";".join(texts)))


def pick(name: str) -> None:
    """A preset's runs, and the epochs that show its lesson."""
    common.set_control("runs", name)
    common.set_control("epochs", comparison.PRESETS[name][1])


def results(tr, compared: Compared) -> None:
    """Each run's updates and final loss; a message for each run that diverged, and for each
    that ends above its start without reaching the engine's threshold (lr just past the limit
    climbs slowly: 1.1x the limit takes many epochs to grow 10^8-fold)."""
    runs = zip(
        compared.names, compared.diverged, compared.start_losses, compared.final_losses, strict=True
    )
    for name, stop, start, end in runs:
        if stop is not None:
            st.error(tr("cmp_diverged", name=name, epoch=stop[0], steps=stop[1]), icon="💥")
        elif end > start:
            st.warning(tr("cmp_growing", name=name, ratio=end / start), icon="📈")
    table = {
        tr("cmp_col_run"): compared.names,
        tr("cmp_col_updates"): compared.updates,
        tr("cmp_col_loss"): np.array(compared.final_losses),
    }
    show_table(table)


def main() -> None:
    tr = common.t()
    with st.sidebar:
        data_controls(tr)
        st.subheader(tr("group_view"))
        common.choice_control("landscape", tr("field_landscape"))
        common.choice_control("speed", tr("field_speed"))
    st.title(tr("compare_title"))
    # On a projector the charts come first: the choices fold away under one line.
    with st.expander(tr("cmp_choose"), expanded=not common.values()["projection"]):
        st.markdown(tr("compare_intro"))
        value = choose(tr)
    data_key, data = common.current_data()
    epochs = int(common.values()["epochs"])
    try:
        runs = resolved(tr, value, data)
        n = len(data.y)
        common.within_budget(
            "epochs", epochs, lambda e: total_seconds(runs, n, e), total_work(runs, n, epochs)
        )
        compared = shown(data_key, data, runs, epochs)
        st.session_state[LAST_GOOD] = (value, compared)
    except ValueError as error:
        if LAST_GOOD not in st.session_state:  # a link's comparison, nothing on screen yet
            common.fall_back(("runs", "epochs"), str(error))
        st.error(tr("run_refused", reason=str(error)), icon="🚫")
        if LAST_GOOD not in st.session_state:
            return
    compared = st.session_state[LAST_GOOD][1]
    player(compared.player, key="cmp_player")
    show_views(compared.figures, CHART_KEY)
    results(tr, compared)
