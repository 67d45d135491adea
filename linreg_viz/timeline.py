"""The run as the browser sees it: at most MAX_POINTS points, each with what every view draws.

A pure function of engine results. The points are path indices (0 = the start, k = after
update k). Every update is a point for runs of up to `MAX_POINTS` updates; a longer run is
sampled evenly, keeping every epoch boundary, the divergence step and the last update.
Everything a view moves is computed here, clamped finite, so the player only reads columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg_core import LossQuadratic, Trajectory, parameter_names
from linreg_core.dataset import Data
from linreg_core.limits import MAX_DATA_POINTS, MAX_HIGHLIGHTS, MAX_POINTS
from linreg_core.plan import TrainSpec
from linreg_core.states import optimizer_states


def timeline_indices(trajectory: Trajectory, max_points: int = MAX_POINTS) -> np.ndarray:
    """Path indices on the timeline: all of them for short runs; else a sample with the landmarks."""
    S = trajectory.num_steps
    if max_points >= S:
        return np.arange(S + 1)
    must = {0, S}
    if trajectory.diverged_at is not None:
        must.add(trajectory.diverged_at + 1)
    ends = np.arange(trajectory.steps_per_epoch, S + 1, trajectory.steps_per_epoch)
    kept = np.union1d(sorted(must), thin(ends, max_points - len(must)))
    room = max_points - len(kept)
    return np.union1d(kept, np.round(np.linspace(0, S, max(room, 2))).astype(int))


def thin(indices: np.ndarray, limit: int) -> np.ndarray:
    """At most `limit` of the indices, evenly, first and last kept."""
    if len(indices) <= limit:
        return indices
    return indices[np.unique(np.round(np.linspace(0, len(indices) - 1, limit)).astype(int))]


def finite(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values clamped into [low, high], NaN and infinities included: a chart holds no non-finite."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.clip(np.nan_to_num(values, nan=high, posinf=high, neginf=low), low, high)


def _box(centre: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Axis ranges around the optimum holding the start and the path, bounded if it diverged."""
    reach = np.maximum(np.abs(points[0] - centre), 1.0)
    good = points[np.all(np.isfinite(points), axis=1)]
    with np.errstate(over="ignore", invalid="ignore"):
        spread = np.max(np.abs(good - centre), axis=0) if len(good) else reach
    half = np.minimum(np.maximum(spread, reach), 3 * reach) * 1.15
    return centre - half, centre + half


@dataclass(frozen=True)
class Timeline:
    """Timeline points with every number a view moves; the frame every view shares."""

    steps: np.ndarray  # (T,) path index of each point: the number of updates made
    epochs: np.ndarray  # (T,) epoch of the point's update (0 at the start)
    ws: np.ndarray  # (T, d) raw parameters, for the readout
    bs: np.ndarray  # (T,)
    losses: np.ndarray  # (T,) raw full-data loss
    path: np.ndarray  # (T, 2) the two landscape parameters, clamped to the landscape box
    path_z: np.ndarray  # (T,) loss clamped to the 3-D box
    slice_z: np.ndarray  # (T,) the drawn slice's loss below each point (the others held), clamped
    curve_y: np.ndarray  # (T,) loss clamped to the loss view's log range
    fit: np.ndarray  # (T, 2) line at the x ends (d = 1) or (T, 4) plane at the corners (d = 2)
    axes: tuple[str, str]
    low: np.ndarray  # (2,) landscape box
    high: np.ndarray
    z_range: tuple[float, float]  # loss range of the 3-D landscape
    loss_range: tuple[float, float]  # loss range of the loss view (log axis)
    corners: np.ndarray  # (2,) x ends (d = 1) or (4, 2) plane corners (d = 2) in feature space
    label_range: tuple[float, float]  # the data view's label axis
    total_steps: int
    steps_per_epoch: int
    diverged_at: int | None
    objective: LossQuadratic  # what the run minimises: the landscape every view draws
    # The update that led to each point (NaN at the start): what the equation view shows.
    theta_prev: np.ndarray  # (T, d + 1) [w, b] before it
    grads: np.ndarray  # (T, d + 1) gradient of the batch-mean loss it used
    batch_lengths: np.ndarray  # (T,) |B|
    states: dict[str, np.ndarray] | None  # optimizer state after it (optimizer_states), by name
    full_grads: np.ndarray  # (T, d + 1) gradient of the full-data loss at theta_prev
    lr: float
    # The batch behind each point, among the data points drawn (`data_sample`): point k's are
    # batch_points[batch_offsets[k]:batch_offsets[k + 1]], positions in the sample, at most
    # a few; batch_drawn[k] counts all of them. Empty when the batches are not known.
    batch_offsets: np.ndarray | None = None  # (T + 1,)
    batch_points: np.ndarray | None = None  # (L,)
    batch_drawn: np.ndarray | None = None  # (T,)
    sample: np.ndarray | None = None  # (P, d + 1) the drawn points: features, then label


def make_timeline(
    trajectory: Trajectory,
    data: Data,
    spec: TrainSpec,
    axes: tuple[str, str] | None = None,
    max_points: int = MAX_POINTS,
    batches=None,
    equation: bool = True,
) -> Timeline:
    """The timeline of the run of `spec` on `data`, for a landscape over `axes` (default: w1, w2
    for 2 features, else w1, b).

    The landscape is what the run minimises (`Data.objective`): with weight decay, the gradients
    shown are the ones the optimizer used, the penalty's λw included. The equation view replays
    the optimizer's state (not when `equation` is False: a page that never shows the equation)
    and states what each batch's sum is divided by; the arrows are scaled by lr. `batches`, if
    given, maps update indices to the rows each used (`linreg_core.plan.batch_rows`).
    """
    X, y = data.X, data.y
    quad = data.objective(spec.loss, spec.weight_decay)
    d = X.shape[1]
    names = parameter_names(d)
    axes = tuple(axes or (("w1", "w2") if d == 2 else ("w1", "b")))
    ia, ib = names.index(axes[0]), names.index(axes[1])
    at = timeline_indices(trajectory, max_points)
    theta = np.column_stack([trajectory.path_w, trajectory.path_b])
    loss = trajectory.path_loss
    low, high = _box(quad.theta_star[[ia, ib]], theta[:, [ia, ib]])
    corners_ab = np.array(np.meshgrid([low[0], high[0]], [low[1], high[1]])).reshape(2, -1).T
    held = np.tile(quad.theta_star, (4, 1))
    held[:, ia], held[:, ib] = corners_ab[:, 0], corners_ab[:, 1]
    z_low = max(quad.loss_star, 1e-12)
    with np.errstate(over="ignore", invalid="ignore"):
        finite_loss = loss[np.isfinite(loss)]
    corner_top = float(max(quad.loss(t) for t in held))  # the box's corners bound the slice
    z_high = min(max(corner_top, float(finite_loss.max(initial=0.0))) * 1.1, 1e12)
    path = np.column_stack(
        [finite(theta[at, ia], low[0], high[0]), finite(theta[at, ib], low[1], high[1])]
    )
    sliced = np.tile(quad.theta_star, (len(at), 1))  # the surface holds the rest at the optimum
    sliced[:, ia], sliced[:, ib] = path[:, 0], path[:, 1]
    loss_range = _loss_range(trajectory)
    corners, fit, label_range = _fit(trajectory, X, y, at)
    epochs = np.concatenate([[0], trajectory.epochs])[at]
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged run's last steps
        # on the drawn surface: with weight decay the objective, above the data loss
        on_surface = quad.loss(theta[at]) if quad.weight_decay else loss[at]
    highlights = {}
    if batches is not None:
        drawn = data_sample(y)
        # point k's batch is update k - 1's; the start (point 0) has none
        highlights = batch_highlights(batches(at[1:] - 1), len(y), drawn)
        highlights["sample"] = np.column_stack([X[drawn], y[drawn]])
    return Timeline(
        steps=at,
        epochs=epochs,
        ws=trajectory.path_w[at],
        bs=trajectory.path_b[at],
        losses=loss[at],
        path=path,
        path_z=finite(on_surface, z_low, z_high),
        slice_z=finite(quad.loss(sliced), z_low, z_high),
        curve_y=finite(loss[at], *loss_range),
        fit=fit,
        axes=axes,
        low=low,
        high=high,
        z_range=(z_low, z_high),
        loss_range=loss_range,
        corners=corners,
        label_range=label_range,
        total_steps=trajectory.num_steps,
        steps_per_epoch=trajectory.steps_per_epoch,
        diverged_at=trajectory.diverged_at,
        objective=quad,
        **_updates(trajectory, theta, at, quad, spec, len(y), equation),
        **highlights,
    )


def _updates(trajectory, theta, at, quad, spec: TrainSpec, n: int, equation: bool) -> dict:
    """For each point, the update that led to it (update k - 1 for point k; NaN at the start),
    as the equation view shows it: the parameters before, the batch's gradient the optimizer
    used (the penalty's λw included), |B|, the optimizer's state after (if `equation`), the
    full-data gradient; and lr."""
    grads = np.column_stack([trajectory.grad_ws, trajectory.grad_bs])
    if quad.weight_decay:  # the optimizer's gradient: the data's, plus λw (b is not penalised)
        grads = grads + quad.weight_decay * np.column_stack([theta[:-1, :-1], np.zeros(len(grads))])
    states = optimizer_states(spec.optimizer, grads, dict(spec.options)) if equation else None
    before = np.maximum(at - 1, 0)
    nan_at_start = np.where(at[:, None] > 0, 1.0, np.nan)
    within = before % trajectory.steps_per_epoch * spec.batch_size
    if spec.divide_by == "batch_size":
        lengths = np.full(len(at), spec.batch_size)
    else:
        lengths = np.minimum(spec.batch_size, n - within)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged run's last steps
        full_grads = (theta[before] - quad.theta_star) @ quad.hessian.T * nan_at_start
    return {
        "theta_prev": theta[before] * nan_at_start,
        "grads": grads[before] * nan_at_start,
        "batch_lengths": np.where(at > 0, lengths, 0),
        "states": None
        if states is None
        else {name: values[before] * nan_at_start for name, values in states.items()},
        "full_grads": full_grads,
        "lr": spec.lr,
    }


def batch_highlights(rows: list[np.ndarray], n: int, drawn: np.ndarray) -> dict[str, np.ndarray]:
    """For the start (no batch) and each update's rows: which of the `drawn` rows (of n) to
    highlight.

    A batch's rows become positions in the drawn sample; the first few are kept, as many as
    MAX_HIGHLIGHTS allows a point (at least 20), and all are counted."""
    position = np.full(n, -1)
    position[drawn] = np.arange(len(drawn))
    cap = max(20, MAX_HIGHLIGHTS // (len(rows) + 1))
    found = [np.sort(p[p >= 0]) for p in (position[r] for r in rows)]
    kept = [np.empty(0, dtype=np.int64), *(p[:cap] for p in found)]
    return {
        "batch_offsets": np.cumsum([0, *map(len, kept)]),
        "batch_points": np.concatenate(kept),
        "batch_drawn": np.array([0, *map(len, found)]),
    }


def _loss_range(trajectory: Trajectory) -> tuple[float, float]:
    """The loss view's range: every finite positive loss, up to 1e14 x the lowest full-data loss."""
    with np.errstate(invalid="ignore"):
        full = trajectory.path_loss[np.isfinite(trajectory.path_loss) & (trajectory.path_loss > 0)]
        batch = trajectory.batch_losses
        batch = batch[np.isfinite(batch) & (batch > 0)]
    floor = float(full.min()) if len(full) else 1e-12
    top = max(float(full.max(initial=1.0)), float(batch.max(initial=1.0)))
    return min(floor, float(batch.min(initial=floor))), min(top, floor * 1e14)


def _fit(trajectory: Trajectory, X: np.ndarray, y: np.ndarray, at: np.ndarray):
    """The fitted line's ends or plane's corners at each point, and the data view's label range."""
    span = float(np.ptp(y)) or 1.0
    label_range = (float(y.min()) - 0.15 * span, float(y.max()) + 0.15 * span)
    big = 10 * (abs(label_range[0]) + abs(label_range[1]) + 1)
    ws = finite(trajectory.path_w[at], -1e6, 1e6)
    bs = finite(trajectory.path_b[at], -1e6, 1e6)
    if X.shape[1] == 1:
        corners = np.array([X[:, 0].min(), X[:, 0].max()])
        values = ws[:, :1] * corners[None, :] + bs[:, None]
    else:
        g1 = [X[:, 0].min(), X[:, 0].max()]
        g2 = [X[:, 1].min(), X[:, 1].max()]
        # Counter-clockwise, so the plane is the two triangles (0, 1, 2) and (0, 2, 3).
        corners = np.array([[g1[0], g2[0]], [g1[1], g2[0]], [g1[1], g2[1]], [g1[0], g2[1]]])
        values = ws @ corners.T + bs[:, None]
    return corners, finite(values, -big, big), label_range


def data_sample(y: np.ndarray) -> np.ndarray:
    """The rows of the data drawn: all, or an even sample of MAX_DATA_POINTS."""
    return thin(np.arange(len(y)), MAX_DATA_POINTS)
