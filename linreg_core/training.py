"""Training: `train` yields every update of minibatch SGD (or another optimizer); `run` all of them.

The loop is the book's: each epoch a fresh permutation cut into batches, the gradient of the
batch-mean loss, one update per batch. Updates are computed a chunk of batches at a time (see
`Plan.minibatches`), and `train` yields them one by one, so it stays lazy: stopping early leaves
the rest of the run uncomputed. The full-data loss after each update comes from the loss's
quadratic form (`quadratic.py`), so it costs O(d^2), not O(n).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import repeat

import numpy as np

from linreg_core import checks
from linreg_core.affine import Advance, affine_updates, is_affine
from linreg_core.cost import update_seconds
from linreg_core.data import Minibatches
from linreg_core.limits import CHUNK_ELEMENTS
from linreg_core.model import LOSS_FUNCTIONS, linreg
from linreg_core.optimizers import numpy_update, torch_arguments
from linreg_core.plan import Plan, divergence_threshold, is_diverged, keyword_plan
from linreg_core.trajectory import Step, Trajectory


def numpy_updates(plan: Plan, theta0: np.ndarray) -> Advance:
    """One update after another with the optimizer written out in NumPy (optimizers.py)."""
    update = numpy_update(plan.optimizer, plan.lr, plan.decay, plan.options)
    theta = theta0

    def advance(batches: Minibatches):
        nonlocal theta
        thetas = np.empty((len(batches) + 1, len(theta)), dtype=theta.dtype)
        grads = np.empty_like(thetas[1:])
        thetas[0] = theta
        for k, (H, c) in enumerate(zip(batches.hessians, batches.offsets, strict=True)):
            grads[k] = H @ theta - c
            thetas[k + 1] = theta = update(theta, grads[k])
        return thetas[1:], grads, batches.losses(thetas[:-1])

    return advance


def torch_updates(plan: Plan, theta0: np.ndarray) -> Advance:
    """The same updates the book's way: autograd on torch tensors, then a torch.optim step.

    Two parameter groups, as the book's concise weight decay (§3.7): w with weight_decay, b
    without. Tensors have the run's dtype.
    """
    import torch  # imported here so that the NumPy engine never pays for it

    X, y = torch.from_numpy(plan.X), torch.from_numpy(plan.y)
    w = torch.tensor(theta0[:-1], requires_grad=True)
    b = torch.tensor(theta0[-1], requires_grad=True)
    class_name, arguments = torch_arguments(plan.optimizer, plan.options)
    groups = [{"params": [w], "weight_decay": plan.weight_decay}, {"params": [b]}]
    optimizer = getattr(torch.optim, class_name)(groups, lr=plan.lr, weight_decay=0.0, **arguments)
    loss_fn = LOSS_FUNCTIONS[plan.loss]

    def advance(batches: Minibatches):
        thetas = np.empty((len(batches), len(theta0)), dtype=theta0.dtype)
        grads, batch_losses = np.empty_like(thetas), np.empty(len(batches), dtype=theta0.dtype)
        for k, (rows, size) in enumerate(zip(batches.rows, batches.sizes, strict=True)):
            index = torch.from_numpy(rows[:size])
            batch_loss = loss_fn(linreg(X[index], w, b), y[index]).mean()
            objective = batch_loss
            if plan.divide_by == "batch_size" and size < plan.batch_size:
                objective = batch_loss * (size / plan.batch_size)  # the summed loss / batch_size
            optimizer.zero_grad()
            objective.backward()
            grads[k, :-1], grads[k, -1] = w.grad.numpy(), b.grad.item()
            optimizer.step()
            thetas[k, :-1], thetas[k, -1] = w.detach().numpy(), b.item()
            batch_losses[k] = batch_loss.item()
        return thetas, grads, batch_losses

    return advance


@dataclass(frozen=True)
class Chunk:
    """Consecutive updates of one epoch, as arrays; a diverged update comes last."""

    first: int  # index of the first update
    epoch: int
    thetas: np.ndarray  # (K, d + 1) [w, b] after each update
    grads: np.ndarray  # (K, d + 1)
    batch_losses: np.ndarray  # (K,)
    losses: np.ndarray  # (K,)
    diverged: bool

    def head(self, k: int) -> Chunk:
        """Its first k updates (all of them if k is larger)."""
        return replace(
            self,
            thetas=self.thetas[:k],
            grads=self.grads[:k],
            batch_losses=self.batch_losses[:k],
            losses=self.losses[:k],
            diverged=self.diverged and k >= len(self.losses),
        )

    def steps(self) -> Iterator[Step]:
        """One `Step` per update."""
        K = len(self.losses)
        flags = [False] * K
        flags[-1] = self.diverged
        return map(
            Step,
            range(self.first, self.first + K),
            repeat(self.epoch, K),
            list(self.thetas[:, :-1].copy()),
            self.thetas[:, -1].tolist(),
            list(self.grads[:, :-1].copy()),
            self.grads[:, -1].tolist(),
            self.batch_losses.tolist(),
            self.losses.tolist(),
            flags,
        )


FIRST_CHUNK = 16  # updates in `train`'s first chunk: its first Step comes at once
# CPU seconds a chunk of one-at-a-time updates (the PyTorch engine, the NumPy loop) may take by
# the price table: a caller whose reader has gone hears of it within about this long. The
# composed updates of `affine.py` are cheap per update and keep their chunks of CHUNK_ELEMENTS.
CHUNK_SECONDS = 0.05


def chunks(plan: Plan, first_chunk: int = FIRST_CHUNK) -> Iterator[Chunk]:
    """The run, chunk by chunk; each chunk is computed only when asked for."""
    rng, theta0 = plan.start()
    threshold = divergence_threshold(float(plan.quad.loss(theta0)))
    most = None
    if is_affine(plan):
        advance = affine_updates(plan, theta0)
    else:
        advance = (numpy_updates if plan.engine == "numpy" else torch_updates)(plan, theta0)
        price = update_seconds(
            plan.engine, plan.X.dtype.name, plan.optimizer, plan.batch_size, plan.options
        )
        most = max(1, int(CHUNK_SECONDS / price))
    first = 0
    for batches in plan.minibatches(rng, first_chunk, most):
        # Divergence is a result: overflow and NaN are flagged below, not warned about.
        with np.errstate(all="ignore"):
            thetas, grads, batch_losses = advance(batches)
            # exact at the parameters, in the run's dtype
            losses = plan.quad.loss(thetas).astype(thetas.dtype, copy=False)
            bad = np.flatnonzero(is_diverged(thetas, losses, threshold))
        end = int(bad[0]) + 1 if bad.size else len(losses)
        yield Chunk(
            first=first,
            epoch=batches.epoch,
            thetas=thetas[:end],
            grads=grads[:end],
            batch_losses=batch_losses[:end],
            losses=losses[:end],
            diverged=bool(bad.size),
        )
        if bad.size:
            return
        first += end


def _steps(plan: Plan) -> Iterator[Step]:
    for chunk in chunks(plan):
        yield from chunk.steps()


def train(X, y, **arguments) -> Iterator[Step]:
    """Yield one `Step` per parameter update, in order; a diverged step comes last, flagged.

    Keywords (defaults are the book's): lr=0.03, batch_size=10, epochs=3, optimizer="sgd",
    engine="numpy", loss="half_mse", drop_last=False, divide_by="batch_length", weight_decay=0.0,
    dtype=None, seed=0, w0=None, b0=None, orders=None, and the optimizer's own options (momentum,
    betas, eps, ...).

    - divide_by: what an update divides its batch's summed gradient by: "batch_length" (the
      batch-mean loss) or "batch_size" (`d2l.sgd`); they differ only on a short last batch.
    - weight_decay: adds weight_decay * w to the gradient of every update, every optimizer, on
      w only, never on b (D2L §3.7); Step.grad_w leaves it out, and Step.loss is the data loss
      without the penalty, as the book's printed training loss is.
    - dtype: "float32" (the book's) or "float64"; None keeps X's. The parameters, gradients,
      optimizer state and losses stay in it; losses are exact at those parameters, then rounded.
    """
    return _steps(keyword_plan(X, y, **arguments))


train.__signature__ = inspect.signature(keyword_plan)


def run(X, y, **arguments) -> Trajectory:
    """All of `train(X, y, **arguments)` as arrays."""
    return run_plan(keyword_plan(X, y, **arguments))


run.__signature__ = inspect.signature(keyword_plan)


def run_plan(
    plan: Plan, after_chunk: Callable[[], None] | None = None, updates: int | None = None
) -> Trajectory:
    """A plan's whole run as arrays, or its first `updates` updates (the rest never computed).
    `after_chunk` is called as each chunk is done: a caller whose reader has gone raises there,
    and the rest of the run is never computed."""
    if updates is not None:
        updates = checks.integer_in("updates", updates, 1)
    _, theta0 = plan.start()
    parts = []
    for chunk in chunks(plan, first_chunk=CHUNK_ELEMENTS):  # no reader to wait for: no ramp
        if updates is not None and updates - chunk.first <= len(chunk.losses):
            parts.append(chunk.head(updates - chunk.first))
            break
        parts.append(chunk)
        if after_chunk is not None:
            after_chunk()
    theta = np.concatenate([chunk.thetas for chunk in parts])
    grad = np.concatenate([chunk.grads for chunk in parts])
    return Trajectory(
        w0=theta0[:-1],
        b0=float(theta0[-1]),
        loss0=float(plan.quad.loss(theta0)),
        ws=theta[:, :-1],
        bs=theta[:, -1],
        grad_ws=grad[:, :-1],
        grad_bs=grad[:, -1],
        batch_losses=np.concatenate([chunk.batch_losses for chunk in parts]),
        losses=np.concatenate([chunk.losses for chunk in parts]),
        epochs=np.concatenate([np.full(len(chunk.losses), chunk.epoch) for chunk in parts]),
        steps_per_epoch=plan.steps_per_epoch,
        diverged_at=parts[-1].first + len(parts[-1].losses) - 1 if parts[-1].diverged else None,
    )
