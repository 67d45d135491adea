"""Several runs on one clock in epochs (examples seen ÷ n): a batch-1 run and a full-batch run
advance fairly. A pure function of the runs' own timelines (`timeline.py`), put on one
landscape box.

Frame f is a time in epochs; at it each run shows its last update made by then. A run that
diverged holds at its last point below the engine's divergence threshold. Every number a view
moves is clamped finite, so a diverged run never puts NaN on a chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg_core import LossQuadratic, parameter_names
from linreg_core.limits import MAX_FRAMES
from linreg_viz.timeline import Timeline, finite, thin


@dataclass(frozen=True)
class CompareTimeline:
    """The frames every run shares, and what each run shows at each; R runs, F frames."""

    epochs: np.ndarray  # (F,) the frame's time in epochs
    steps: np.ndarray  # (R, F) the run's updates made by then
    losses: np.ndarray  # (R, F) raw full-data loss
    path: np.ndarray  # (R, F, 2) the landscape's two parameters, clamped to the box
    path_z: np.ndarray  # (R, F) loss clamped to the 3-D box
    curve_y: np.ndarray  # (R, F) loss clamped to the loss view's log range
    axes: tuple[str, str]
    low: np.ndarray  # (2,) the landscape box, holding every run
    high: np.ndarray
    z_range: tuple[float, float]
    loss_range: tuple[float, float]
    total_steps: tuple[int, ...]  # each run's updates
    diverged_epoch: tuple[float | None, ...]  # when each run diverged, in epochs

    @property
    def held(self) -> np.ndarray:
        """(R,) the frame from which each run stands still (its last point, or where it held)."""
        return np.argmax(self.steps == self.steps[:, -1:], axis=1)


def point_epochs(steps: np.ndarray, steps_per_epoch: int, batch_size: int, n: int) -> np.ndarray:
    """Examples seen ÷ n after each number of updates (an epoch's last batch may be short)."""
    within = (steps % steps_per_epoch) * batch_size  # integers, so equal times are equal floats
    return steps // steps_per_epoch + within / n


def frame_epochs(times: list[np.ndarray], epochs: int, max_frames: int) -> np.ndarray:
    """Every run's point times, or at most `max_frames` of them, evenly, with each epoch's end."""
    every = np.unique(np.concatenate([*times, np.arange(epochs + 1.0)]))
    if len(every) <= max_frames:
        return every
    ends = np.arange(epochs + 1.0)
    return np.union1d(ends, thin(every, max_frames - len(ends)))


def make_compare_timeline(
    tls: list[Timeline],
    batch_sizes: list[int],
    quad: LossQuadratic,
    n: int,
    epochs: int,
    max_frames: int = MAX_FRAMES,
) -> CompareTimeline:
    """The runs on one clock and one landscape box, from each run's own timeline (of at most
    `max_frames` points, made with the same axes), trained on the n examples of `quad` with
    these batch sizes for `epochs`."""
    kept = [_held(tl) for tl in tls]
    times = [
        point_epochs(tl.steps[:k], tl.steps_per_epoch, b, n)
        for tl, k, b in zip(tls, kept, batch_sizes, strict=True)
    ]
    grid = frame_epochs(times, epochs, max_frames)
    at = [np.searchsorted(t, grid, side="right") - 1 for t in times]
    low = np.min([tl.low for tl in tls], axis=0)
    high = np.max([tl.high for tl in tls], axis=0)
    z_range = (min(tl.z_range[0] for tl in tls), _z_top(quad, tls, low, high))
    losses = np.array([tl.losses[i] for tl, i in zip(tls, at, strict=True)])
    loss_range = _loss_range(losses)
    names = parameter_names(tls[0].ws.shape[1])
    index = [names.index(name) for name in tls[0].axes]
    theta = [np.column_stack([tl.ws, tl.bs])[i][:, index] for tl, i in zip(tls, at, strict=True)]
    path = np.stack(
        [np.column_stack([finite(th[:, k], low[k], high[k]) for k in (0, 1)]) for th in theta]
    )
    return CompareTimeline(
        epochs=grid,
        steps=np.array([tl.steps[i] for tl, i in zip(tls, at, strict=True)]),
        losses=losses,
        path=path,
        path_z=finite(losses, *z_range),
        curve_y=finite(losses, *loss_range),
        axes=tls[0].axes,
        low=low,
        high=high,
        z_range=z_range,
        loss_range=loss_range,
        total_steps=tuple(tl.total_steps for tl in tls),
        diverged_epoch=tuple(
            None if tl.diverged_at is None else float(t[-1])
            for tl, t in zip(tls, times, strict=True)
        ),
    )


def _loss_range(losses: np.ndarray) -> tuple[float, float]:
    """The loss view's range: the full-data losses it draws (no minibatch's, which a comparison
    does not draw), up to 1e14 x the lowest."""
    with np.errstate(invalid="ignore"):
        shown = losses[np.isfinite(losses) & (losses > 0)]
    floor = float(shown.min()) if shown.size else 1e-12
    return floor, min(float(shown.max(initial=floor)), floor * 1e14)


def _held(tl: Timeline) -> int:
    """How many of the timeline's points a run shows: all, or those before it diverged."""
    if tl.diverged_at is None:
        return len(tl.steps)
    return int(np.searchsorted(tl.steps, tl.diverged_at, side="right"))


def _z_top(quad: LossQuadratic, tls: list[Timeline], low: np.ndarray, high: np.ndarray) -> float:
    """The 3-D view's top: the surface over the box and every start, not a diverged run's loss,
    which would flatten the surface for all the others (that run's path is clamped there)."""
    names = parameter_names(quad.d)
    index = [names.index(name) for name in tls[0].axes]
    corners = np.tile(quad.theta_star, (4, 1))
    corners[:, index] = np.array(np.meshgrid([low[0], high[0]], [low[1], high[1]])).reshape(2, -1).T
    top = max(max(quad.loss(c) for c in corners), max(float(tl.losses[0]) for tl in tls))
    return 1.1 * top
