"""A vectorised `run` for SGD and (Nesterov) momentum with the NumPy engine.

On this loss each such update is an affine map of the state z (theta, plus the momentum buffer):
z_k = A_k z_{k-1} + u_k, where A_k and u_k depend only on batch k. Maps compose associatively,
so a prefix scan (log2 K rounds of batched matrix products) gives every state of a chunk of
K updates at once, instead of K trips through the Python interpreter. Same numbers as the loop,
up to rounding.
"""

from __future__ import annotations

import numpy as np

from linreg_core.plan import Plan, divergence_threshold, is_diverged
from linreg_core.quadratic import augment, loss_scale
from linreg_core.trajectory import Trajectory

_CHUNK_ELEMENTS = 1 << 20  # examples gathered per chunk: bounds the memory of one chunk


def is_affine(plan: Plan) -> bool:
    """Whether `affine_trajectory` computes this run."""
    return (
        plan.engine == "numpy"
        and plan.X.dtype == np.float64
        and plan.optimizer in ("sgd", "momentum", "nesterov")
        and plan.options.get("dampening", 0.0) == 0.0
    )


def _prefix_compose(A: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P_k, q_k) with z_k = P_k z_0 + q_k for the maps z -> A_k z + u_k applied in order."""
    A, u = A.copy(), u.copy()
    offset = 1
    while offset < len(A):
        u[offset:] = (A[offset:] @ u[:-offset, :, None])[..., 0] + u[offset:]
        A[offset:] = A[offset:] @ A[:-offset]
        offset *= 2
    return A, u


def _maps(plan: Plan, H: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A_k, u_k of one update, given each batch's Hessian H_k and gradient offset c_k.

    The gradient is g = H_k theta - c_k. SGD: theta' = theta - lr g. Heavy ball (torch's SGD):
    v' = mu v + g, theta' = theta - lr v'. Nesterov: v' = mu v + g, theta' = theta - lr (g + mu v').
    """
    K, p = c.shape
    lr, eye = plan.lr, np.eye(p)
    mu = plan.options.get("momentum", 0.0)
    if mu == 0.0:
        return eye - lr * H, lr * c
    ahead = 1 + mu if plan.optimizer == "nesterov" else 1.0
    A = np.zeros((K, 2 * p, 2 * p))
    A[:, :p, :p] = eye - lr * ahead * H
    A[:, :p, p:] = -lr * (mu * mu if plan.optimizer == "nesterov" else mu) * eye
    A[:, p:, :p] = H
    A[:, p:, p:] = mu * eye
    u = np.concatenate([lr * ahead * c, -c], axis=1)
    return A, u


def affine_trajectory(plan: Plan) -> Trajectory:
    """The run of `train(plan)` as arrays, computed chunk by chunk with prefix scans."""
    rng, theta0 = plan.start()
    n, d = plan.X.shape
    p = d + 1
    scale = loss_scale(plan.loss)
    Xa = augment(plan.X)
    loss0 = float(plan.quad.loss(theta0))
    threshold = divergence_threshold(loss0)
    momentum = plan.options.get("momentum", 0.0) != 0.0
    z = np.concatenate([theta0, np.zeros(p)]) if momentum else theta0.copy()

    bounds = np.array(plan.bounds)
    sizes = bounds[:, 1] - bounds[:, 0]
    width = int(sizes.max())
    chunk = max(1, _CHUNK_ELEMENTS // width)
    # Row j of `gather` holds the positions (in the epoch's order) of batch j, padded with 0
    # and given zero weight where the last batch is shorter.
    offsets = np.arange(width)
    gather = np.minimum(bounds[:, :1] + offsets, n - 1)
    weights = (offsets < sizes[:, None]) / sizes[:, None]

    parts: dict[str, list[np.ndarray]] = {
        k: [] for k in ("theta", "grad", "batch", "loss", "epoch")
    }
    diverged_at = None
    with np.errstate(all="ignore"):
        for epoch, order in enumerate(plan.epoch_orders(rng), start=1):
            for first in range(0, len(bounds), chunk):
                rows = order[gather[first : first + chunk]]
                wts = weights[first : first + chunk]
                Xb, yb = Xa[rows], plan.y[rows]
                H = scale * np.einsum("kbi,kb,kbj->kij", Xb, wts, Xb)
                c = scale * np.einsum("kbi,kb->ki", Xb, wts * yb)
                # weight decay adds wd * theta to the gradient the update uses, not to Step.grad
                P, q = _prefix_compose(*_maps(plan, H + plan.weight_decay * np.eye(p), c))
                states = (P @ z[:, None])[..., 0] + q
                thetas = states[:, :p]
                before = np.vstack([z[None, :p], thetas[:-1]])
                residual = np.einsum("kbi,ki->kb", Xb, before) - yb
                losses = plan.quad.loss(thetas)
                parts["theta"].append(thetas)
                parts["grad"].append(np.einsum("kij,kj->ki", H, before) - c)
                parts["batch"].append(scale * 0.5 * np.einsum("kb,kb->k", wts, residual**2))
                parts["loss"].append(losses)
                parts["epoch"].append(np.full(len(thetas), epoch))
                bad = np.flatnonzero(is_diverged(thetas, losses, threshold))
                if bad.size:
                    diverged_at = sum(len(t) for t in parts["theta"][:-1]) + int(bad[0])
                    break
                z = states[-1]
            if diverged_at is not None:
                break

    stacked = {k: np.concatenate(v) for k, v in parts.items()}
    end = None if diverged_at is None else diverged_at + 1
    theta, grad = stacked["theta"][:end], stacked["grad"][:end]
    return Trajectory(
        w0=theta0[:-1],
        b0=float(theta0[-1]),
        loss0=loss0,
        ws=theta[:, :-1],
        bs=theta[:, -1],
        grad_ws=grad[:, :-1],
        grad_bs=grad[:, -1],
        batch_losses=stacked["batch"][:end],
        losses=stacked["loss"][:end],
        epochs=stacked["epoch"][:end],
        steps_per_epoch=len(bounds),
        diverged_at=diverged_at,
    )
