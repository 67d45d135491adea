"""Training: `train` yields every update of minibatch SGD (or another optimizer); `run` all of them.

The loop is the book's: each epoch a fresh permutation cut into batches, the gradient of the
batch-mean loss, one update per batch. The full-data loss after each update comes from the
loss's quadratic form (`quadratic.py`), so it costs O(d^2), not O(n).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterator

import numpy as np

from linreg_core.affine import affine_trajectory, is_affine
from linreg_core.model import LOSS_FUNCTIONS, linreg
from linreg_core.optimizers import numpy_update, torch_arguments
from linreg_core.plan import Plan, divergence_threshold, make_plan
from linreg_core.quadratic import loss_scale
from linreg_core.trajectory import Step, Trajectory


def _numpy_updates(plan: Plan):
    """update(idx, theta) -> (theta after, gradient used, batch loss before), derived by hand."""
    scale = loss_scale(plan.loss)
    step = numpy_update(plan.optimizer, plan.lr, plan.weight_decay, plan.options)

    def update(idx: np.ndarray, theta: np.ndarray):
        Xb, yb = plan.X[idx], plan.y[idx]
        residual = Xb @ theta[:-1] + theta[-1] - yb
        grad = np.empty_like(theta)
        grad[:-1] = Xb.T @ residual
        grad[-1] = residual.sum()
        grad *= scale / len(idx)
        batch_loss = scale * 0.5 * float(residual @ residual) / len(idx)
        return step(theta, grad), grad, batch_loss

    return update


def _torch_updates(plan: Plan, theta0: np.ndarray):
    """The same update the book's way: autograd on torch tensors, then a torch.optim step."""
    import torch  # imported here so that the NumPy engine never pays for it

    X, y = torch.from_numpy(plan.X), torch.from_numpy(plan.y)
    w = torch.tensor(theta0[:-1], requires_grad=True)
    b = torch.tensor(theta0[-1], requires_grad=True)
    class_name, arguments = torch_arguments(plan.optimizer, plan.options)
    optimizer = getattr(torch.optim, class_name)(
        [w, b], lr=plan.lr, weight_decay=plan.weight_decay, **arguments
    )
    loss_fn = LOSS_FUNCTIONS[plan.loss]

    def update(idx: np.ndarray, theta: np.ndarray):
        rows = torch.from_numpy(idx)
        batch_loss = loss_fn(linreg(X[rows], w, b), y[rows]).mean()
        optimizer.zero_grad()
        batch_loss.backward()
        grad = np.append(w.grad.numpy(), b.grad.item())
        optimizer.step()
        return np.append(w.detach().numpy(), b.item()), grad, batch_loss.item()

    return update


def _steps(plan: Plan) -> Iterator[Step]:
    rng, theta = plan.start()
    loss0 = float(plan.quad.loss(theta))
    threshold = divergence_threshold(loss0)
    update = _numpy_updates(plan) if plan.engine == "numpy" else _torch_updates(plan, theta)
    index = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch, order in enumerate(plan.epoch_orders(rng), start=1):
            for start, stop in plan.bounds:
                theta, grad, batch_loss = update(order[start:stop], theta)
                loss = float(plan.quad.loss(theta))
                # The scalar form of plan.is_diverged: this runs once per update.
                diverged = not (
                    math.isfinite(loss) and loss <= threshold and np.isfinite(theta).all()
                )
                yield Step(
                    index, epoch, theta[:-1].copy(), float(theta[-1]),
                    grad[:-1].copy(), float(grad[-1]), batch_loss, loss, diverged,
                )  # fmt: skip
                if diverged:
                    return
                index += 1


def train(X, y, **arguments) -> Iterator[Step]:
    """Yield one `Step` per parameter update, in order; a diverged step comes last, flagged.

    Keywords (defaults are the book's): lr=0.03, batch_size=10, epochs=3, optimizer="sgd",
    engine="numpy", loss="half_mse", drop_last=False, weight_decay=0.0, seed=0, w0=None,
    b0=None, orders=None, and the optimizer's own options (momentum, betas, eps, ...).
    """
    return _steps(make_plan(X, y, **arguments))


train.__signature__ = inspect.signature(make_plan)


def trajectory_of(plan: Plan, steps: list[Step]) -> Trajectory:
    """Stack a list of steps into a `Trajectory`."""
    _, theta0 = plan.start()
    d = plan.X.shape[1]
    return Trajectory(
        w0=theta0[:-1],
        b0=float(theta0[-1]),
        loss0=float(plan.quad.loss(theta0)),
        ws=np.array([s.w for s in steps]).reshape(-1, d),
        bs=np.array([s.b for s in steps]),
        grad_ws=np.array([s.grad_w for s in steps]).reshape(-1, d),
        grad_bs=np.array([s.grad_b for s in steps]),
        batch_losses=np.array([s.batch_loss for s in steps]),
        losses=np.array([s.loss for s in steps]),
        epochs=np.array([s.epoch for s in steps], dtype=int),
        steps_per_epoch=len(plan.bounds),
        diverged_at=steps[-1].index if steps and steps[-1].diverged else None,
    )


def run(X, y, **arguments) -> Trajectory:
    """All of `train(X, y, **arguments)` as arrays; SGD and momentum take a vectorised path."""
    plan = make_plan(X, y, **arguments)
    if is_affine(plan):
        return affine_trajectory(plan)
    return trajectory_of(plan, list(_steps(plan)))


run.__signature__ = inspect.signature(make_plan)
