"""A comparison's runs made and shown: trained in turn, on one clock in epochs, cached as shown."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from linreg_core import num_updates
from linreg_core.dataset import Data
from linreg_core.limits import CACHE_TTL_S, COMPARED_CACHE_MB, HEAVY_SECONDS, MAX_FRAMES
from linreg_core.plan import TrainSpec
from linreg_viz import comparison
from linreg_viz.compare_figures import RUN_COLOURS, build_compare_views
from linreg_viz.compare_timeline import make_compare_timeline
from linreg_viz.i18n import translator
from linreg_viz.player import compare_payload
from linreg_viz.timeline import make_timeline
from linreg_viz.view_spec import ViewSpec
from ui import budget, specs, state, turns
from ui.byte_cache import ByteCache
from ui.runs import page_check, spec_seconds, train_run

CHART_KEY = "cmp_{}"  # st.plotly_chart key of each view: not the visualiser's gdv_{}


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
    return state.t()("cost_work", updates=updates, examples=len(runs) * epochs * n)


def shown(data_key: tuple, data: Data, runs, epochs: int) -> Compared:
    """The comparison as the page shows it: from the cache, else computed now; a heavy one in
    its turn, with a note while it waits."""
    v = state.values()
    view = specs.view_spec(data.quad.d)
    seconds = total_seconds(runs, len(data.y), epochs)
    seed = int(v["seed"])
    note = budget.QueueNote()

    def compute() -> Compared:
        if seconds < HEAVY_SECONDS:
            return make_compared(data, runs, epochs, seed, view)
        with turns.turn(note):
            return make_compared(data, runs, epochs, seed, view, page_check())

    result = COMPARED.get_or_compute((data_key, runs, epochs, seed, view), compute, note)
    note.clear()
    return result
