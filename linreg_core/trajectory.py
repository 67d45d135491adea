"""What a training run produces: one `Step` per update, or the whole run as arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Step:
    """One parameter update: the parameters after it, and what it was computed from."""

    index: int  # 0-based update count
    epoch: int  # 1-based
    w: np.ndarray  # (d,), after the update
    b: float
    grad_w: np.ndarray  # gradient of the batch's loss this update used (weight decay left out)
    grad_b: float
    batch_loss: float  # mean loss on the batch, before the update
    loss: float  # mean loss over the whole data set, after the update (no weight-decay penalty)
    diverged: bool = False


@dataclass(frozen=True)
class Trajectory:
    """A whole run as arrays of S updates; row k holds what `Step` k holds, in the run's dtype."""

    w0: np.ndarray  # (d,) starting weights
    b0: float
    loss0: float  # full-data loss at the start
    ws: np.ndarray  # (S, d)
    bs: np.ndarray  # (S,)
    grad_ws: np.ndarray  # (S, d)
    grad_bs: np.ndarray  # (S,)
    batch_losses: np.ndarray  # (S,)
    losses: np.ndarray  # (S,)
    epochs: np.ndarray  # (S,) 1-based epoch of each update
    steps_per_epoch: int
    diverged_at: int | None  # index of the first diverged step, or None

    @property
    def num_steps(self) -> int:
        return len(self.losses)

    @property
    def path_w(self) -> np.ndarray:
        """Weights from the start through every update: (S + 1, d)."""
        return np.vstack([self.w0[None, :], self.ws])

    @property
    def path_b(self) -> np.ndarray:
        """Bias from the start through every update: (S + 1,)."""
        return np.concatenate([[self.b0], self.bs])

    @property
    def path_loss(self) -> np.ndarray:
        """Full-data loss from the start through every update: (S + 1,)."""
        return np.concatenate([[self.loss0], self.losses])

    def first_within(self, loss: float, tol: float) -> int | None:
        """Updates made when the full-data loss first comes within tol of `loss` (0: already at
        the start); None if it never does."""
        close = np.flatnonzero(self.path_loss - loss <= tol)
        return int(close[0]) if close.size else None

    def epoch_losses(self) -> list[tuple[int, float]]:
        """(epoch, full-data loss after its last update) for each epoch the run finished."""
        good = self.num_steps if self.diverged_at is None else self.diverged_at
        finished = good // self.steps_per_epoch
        return [
            (epoch, float(self.losses[epoch * self.steps_per_epoch - 1]))
            for epoch in range(1, finished + 1)
        ]

    def epoch_lines(self) -> list[str]:
        """The book's per-epoch print-out: 'epoch 1, loss 0.037558'."""
        return [f"epoch {e}, loss {loss:f}" for e, loss in self.epoch_losses()]
