"""The cached work behind the pages: data, and runs as shown, each computed once per argument set.

Two caches, both bounded in bytes, so that memory stays flat as a class comes and goes, and
holding only immutable results: no session shares mutable state with another.
- Data sets (`DATA`: `synthetic`, `conditioned`), `DATA_CACHE_MB` megabytes of them
  (`linreg_core.limits` says how many that holds). A link with another seed draws its data afresh.
- Runs as the page shows them (`SHOWN`, a `ByteCache` of `SHOWN_CACHE_MB`): the views, the player's
  timeline and the outcome. A whole run (a `Trajectory`, 137 MB at the engine's cap) is never
  kept: it is computed, drawn from, and dropped; the CSV download computes it again.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import plotly.graph_objects as go
from streamlit.runtime.scriptrunner import get_script_run_ctx

from linreg_core import LossQuadratic, Trajectory, synthetic_data
from linreg_core.cost import run_seconds
from linreg_core.data import standardise
from linreg_core.dataset import Data, describe
from linreg_core.limits import (
    CACHE_TTL_S,
    CSV_MAX_UPDATES,
    DATA_CACHE_MB,
    HEAVY_SECONDS,
    SHOWN_CACHE_MB,
)
from linreg_core.plan import TrainSpec, batch_rows, make_plan
from linreg_core.training import run_plan
from linreg_viz.exports import trajectory_csv
from linreg_viz.figures import build_views
from linreg_viz.player import payload
from linreg_viz.timeline import make_timeline, timeline_indices
from linreg_viz.uploads import Dataset
from linreg_viz.view_spec import ViewSpec
from ui import turns
from ui.byte_cache import ByteCache


def data_size(value: Data | tuple[Data, ...]) -> int:
    """Bytes a data set (or a tuple of them) holds: its features and labels."""
    sets = value if isinstance(value, tuple) else (value,)
    return sum(data.X.nbytes + data.y.nbytes for data in sets)


# Every session's data sets, by their arguments (see the module's docstring).
DATA: ByteCache[Data | tuple[Data, ...]] = ByteCache(
    budget=DATA_CACHE_MB * 2**20, ttl=CACHE_TTL_S, size=data_size
)


def synthetic(d: int, w: tuple[float, ...], b: float, noise: float, n: int, seed: int) -> Data:
    """The synthetic data set of the Data controls."""

    def draw() -> Data:
        X, y = synthetic_data(list(w[:d]), b, n, noise=noise, seed=seed)
        return describe(X, y, np.array(w[:d]), b)

    return DATA.get_or_compute(("synthetic", d, w, b, noise, n, seed), draw)


def conditioned(
    w: tuple[float, float], b: float, noise: float, n: int, seed: int, scale: float, rho: float
) -> tuple[Data, Data]:
    """The conditioning lesson's two data sets: x2 scaled by `scale` and correlated with x1 by
    `rho`, as drawn (raw), and the same with each feature standardised; the labels unchanged."""

    def draw() -> tuple[Data, Data]:
        X, y = synthetic_data(list(w), b, n, noise=noise, seed=seed, scale=scale, correlation=rho)
        Xs, means, stds = standardise(X)
        true_w = np.array(w)
        # the same plane in standardised features: w x + b = (w * std) xs + (b + w . mean)
        return describe(X, y, true_w, b), describe(Xs, y, true_w * stds, b + float(true_w @ means))

    return DATA.get_or_compute(("conditioned", w, b, noise, n, seed, scale, rho), draw)


def upload_key(digest: str, dataset: Dataset, standardise: bool) -> tuple:
    """The key that names an uploaded data set in the caches: the file's digest and choices."""
    return ("upload", digest, dataset.features, dataset.target, standardise)


def train_run(data: Data, spec: TrainSpec, after_chunk=None) -> Trajectory:
    """The whole run for these data and training settings, computed afresh: a run is
    deterministic from them, so nothing of it needs keeping. See `run_plan` for `after_chunk`."""
    return run_plan(make_plan(data, spec), after_chunk, spec.updates)


LOSS_TOLERANCE = 1e-3  # Outcome.within_tol: how close to the minimum loss counts as there


@dataclass(frozen=True)
class Outcome:
    """Where a run ended: its updates, last epoch, loss and parameters; the book's epoch lines;
    where it started, and the updates it took to get within LOSS_TOLERANCE of the minimum."""

    updates: int
    epoch: int
    loss: float
    w: np.ndarray
    b: float
    epoch_lines: tuple[str, ...]
    diverged_at: int | None
    theta0: np.ndarray  # [w, b] at the start
    within_tol: int | None  # None: never within LOSS_TOLERANCE of the minimum loss


def outcome(trajectory: Trajectory, quad: LossQuadratic) -> Outcome:
    """The last update of a run and its per-epoch lines (copied out: no view into the run)."""
    k = trajectory.num_steps - 1
    return Outcome(
        updates=k + 1,
        epoch=int(trajectory.epochs[k]),
        loss=float(trajectory.losses[k]),
        w=trajectory.ws[k].copy(),
        b=float(trajectory.bs[k]),
        epoch_lines=tuple(trajectory.epoch_lines()),
        diverged_at=trajectory.diverged_at,
        theta0=np.append(trajectory.w0, trajectory.b0),
        within_tol=trajectory.first_within(quad.loss_star, LOSS_TOLERANCE),
    )


@dataclass(frozen=True)
class Shown:
    """What the page shows of a run: each view's static figure, the player's bytes (the run's
    timeline, at most 3,000 points), and its outcome. Never the run itself: a run at the
    engine's cap is about 137 MB, its Shown 1.2 MB at most."""

    figures: dict[str, go.Figure]
    player: bytes
    outcome: Outcome


def shown_size(shown: Shown) -> int:
    """Bytes a Shown holds, counted as what the page is sent: its figures' JSON and the player."""
    return len(shown.player) + sum(len(figure.to_json()) for figure in shown.figures.values())


# Every session's runs, as shown (`SHOWN_CACHE_MB` says how many fit). A run is computed
# again when it has left.
SHOWN: ByteCache[Shown] = ByteCache(budget=SHOWN_CACHE_MB * 2**20, ttl=CACHE_TTL_S, size=shown_size)


def make_shown(data: Data, spec: TrainSpec, view: ViewSpec, still_wanted) -> Shown:
    """Train, then build the views and the player's timeline; `still_wanted()` is called between
    the steps (and the run's chunks) and raises once the page no longer wants this run."""
    plan = make_plan(data, spec)
    trajectory = run_plan(plan, still_wanted, spec.updates)
    batches = functools.partial(batch_rows, plan) if view.with_data else None
    tl = make_timeline(trajectory, data, spec, view.axes, batches=batches, equation=view.equation)
    still_wanted()
    figures = build_views(tl, trajectory, data, spec, view)
    charts = {name: f".st-key-{view.chart_key.format(name)} .js-plotly-plot" for name in figures}
    blob = payload(
        tl,
        spec,
        view,
        charts=charts,
        moving={name: [tr.meta for tr in fig.data if tr.meta] for name, fig in figures.items()},
        features=data.columns[0] if data.columns else (),
    )
    return Shown(figures, blob, outcome(trajectory, plan.quad))


def spec_seconds(n: int, spec: TrainSpec) -> float:
    """CPU seconds the run of these training controls costs on n examples, by the table."""
    return run_seconds(
        n,
        spec.batch_size,
        spec.epochs,
        spec.optimizer,
        spec.dtype,
        spec.engine,
        spec.drop_last,
        dict(spec.options),
    )


def is_heavy(data: Data, spec: TrainSpec) -> bool:
    """Whether a run costs enough to take its turn (`turns.py`)."""
    return spec_seconds(len(data.y), spec) >= HEAVY_SECONDS


def page_check() -> Callable[[], None]:
    """This script run's check: it raises Streamlit's stop when the page has gone (its websocket
    closed) and its rerun when the page asked for another run. A no-op outside a script run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.yield_check if ctx is not None else lambda: None


def shown_run(data_key: tuple, spec: TrainSpec, view: ViewSpec, data: Data, wait) -> Shown:
    """A run as the page shows it: from the cache, else computed now, a heavy run in its turn.

    `wait()` is called every 0.1 s while this page waits (for a turn, or for another session
    computing the same run); it may raise to give up.
    """

    def compute() -> Shown:
        if not is_heavy(data, spec):
            return make_shown(data, spec, view, lambda: None)
        with turns.turn(wait):
            return make_shown(data, spec, view, page_check())

    return SHOWN.get_or_compute((data_key, spec, view), compute, wait)


@dataclass(frozen=True)
class EngineCheck:
    """Both engines on one run's settings: their largest differences and their times."""

    updates: int
    max_dw: float  # max over updates and weights of |w_numpy - w_torch|
    max_db: float
    numpy_s: float
    torch_s: float
    agree: bool  # within rounding: sqrt(the dtype's eps) times the parameters' size
    rounding: float


def compare_engines(data: Data, spec: TrainSpec) -> EngineCheck:
    """The run with NumPy's hand-written gradients and with PyTorch's autograd, timed; in its
    turn, as a heavy run (the PyTorch engine steps in Python). Over the updates both made: a
    diverged run stops at the first update either engine finds diverged."""
    timed = {}
    with turns.turn():
        for engine in ("numpy", "torch"):
            start = time.perf_counter()
            timed[engine] = (
                train_run(data, replace(spec, engine=engine)),
                time.perf_counter() - start,
            )
    (hand, numpy_s), (auto, torch_s) = timed["numpy"], timed["torch"]
    k = min(hand.num_steps, auto.num_steps)
    with np.errstate(invalid="ignore", over="ignore"):
        dw = np.abs(hand.ws[:k] - auto.ws[:k])
        db = np.abs(hand.bs[:k] - auto.bs[:k])
        size = float(np.max(np.abs(hand.ws[:k]), initial=np.max(np.abs(hand.bs[:k]))))
    rounding = np.sqrt(np.finfo(spec.dtype).eps) * max(1.0, size)
    max_dw, max_db = float(np.max(dw)), float(np.max(db))
    agree = bool(max(max_dw, max_db) <= rounding)  # False for NaN too
    return EngineCheck(k, max_dw, max_db, numpy_s, torch_s, agree, float(rounding))


def trajectory_file(data: Data, spec: TrainSpec) -> str:
    """The run's CSV, computed again when asked for: every update, or for a longer run
    CSV_MAX_UPDATES of them evenly spaced, with every epoch's end and the last update."""

    def csv() -> str:
        trajectory = train_run(data, spec)
        return trajectory_csv(trajectory, steps=timeline_indices(trajectory, CSV_MAX_UPDATES))

    if not is_heavy(data, spec):
        return csv()
    with turns.turn():
        return csv()
