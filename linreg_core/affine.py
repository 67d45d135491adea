"""SGD and (Nesterov) momentum with the NumPy engine, a whole chunk of updates at a time.

On this loss each such update is an affine map of the state z (theta, plus the momentum buffer):
z_k = A_k z_{k-1} + u_k, where A_k and u_k depend only on batch k. Maps compose associatively, so
a chunk of K updates needs about 2 sqrt(K) trips through Python instead of K: compose the maps
within blocks of sqrt(K) updates (all blocks at once), carry the state from block to block,
then apply each composed map to its block's starting state. Same numbers as the loop, up to
rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from linreg_core.data import Minibatches
from linreg_core.plan import Plan

Advance = Callable[[Minibatches], tuple[np.ndarray, np.ndarray, np.ndarray]]


def is_affine(plan: Plan) -> bool:
    """Whether `affine_updates` computes this run."""
    return (
        plan.engine == "numpy"
        and plan.X.dtype == np.float64
        and plan.optimizer in ("sgd", "momentum", "nesterov")
    )


def _maps(plan: Plan, H: np.ndarray, c: np.ndarray, first: bool) -> tuple[np.ndarray, np.ndarray]:
    """A_k, u_k of each update, given each batch's Hessian H_k and gradient offset c_k.

    The gradient is g = H_k theta - c_k. SGD: theta' = theta - lr g. Heavy ball (torch's SGD):
    v' = mu v + (1 - dampening) g, theta' = theta - lr v', except that the run's first update
    sets v' = g. Nesterov: v' = mu v + g, theta' = theta - lr (g + mu v').
    """
    K, p = c.shape
    lr, eye = plan.lr, np.eye(p)
    mu = plan.options["momentum"]
    if mu == 0.0:
        return eye - lr * H, lr * c
    if plan.optimizer == "nesterov":
        ahead, keep, carry = np.full(K, 1 + mu), np.ones(K), mu * mu
    else:
        keep = np.full(K, 1 - plan.options["dampening"])
        if first:
            keep[0] = 1.0
        ahead, carry = keep, mu
    A = np.zeros((K, 2 * p, 2 * p))
    A[:, :p, :p] = eye - lr * ahead[:, None, None] * H
    A[:, :p, p:] = -lr * carry * eye
    A[:, p:, :p] = keep[:, None, None] * H
    A[:, p:, p:] = mu * eye
    u = np.concatenate([lr * ahead[:, None] * c, -keep[:, None] * c], axis=1)
    return A, u


def states(A: np.ndarray, u: np.ndarray, z0: np.ndarray) -> np.ndarray:
    """z_1 … z_K of z_k = A_k z_{k-1} + u_k, by blocks of composed maps."""
    K, m = u.shape
    width = math.isqrt(K) or 1
    blocks = -(-K // width)
    pad = blocks * width - K  # identity maps fill the last block
    A = np.concatenate([A, np.broadcast_to(np.eye(m), (pad, m, m))]).reshape(blocks, width, m, m)
    u = np.concatenate([u, np.zeros((pad, m))]).reshape(blocks, width, m)
    # P[:, j], q[:, j]: the maps of a block's first j + 1 updates composed, z -> P z + q
    P, q = A.copy(), u.copy()
    for j in range(1, width):
        P[:, j] = A[:, j] @ P[:, j - 1]
        q[:, j] += (A[:, j] @ q[:, j - 1, :, None])[..., 0]
    starts = np.empty((blocks, m))
    z = z0
    for i in range(blocks):
        starts[i] = z
        z = P[i, -1] @ z + q[i, -1]
    return ((P @ starts[:, None, :, None])[..., 0] + q).reshape(-1, m)[:K]


def affine_updates(plan: Plan, theta0: np.ndarray) -> Advance:
    """advance(batches) -> the parameters after each update, the gradients, the batch losses."""
    p = len(theta0)
    momentum = plan.options["momentum"] != 0.0
    z = np.concatenate([theta0, np.zeros(p)]) if momentum else theta0.copy()
    decay = np.diag(plan.decay)  # on w only
    first = True

    def advance(batches: Minibatches):
        nonlocal z, first
        H, c = batches.hessians, batches.offsets
        # weight decay adds wd * theta to the gradient the update uses, not to Step.grad
        zs = states(*_maps(plan, H + decay, c, first), z)
        before = np.vstack([z[None, :p], zs[:-1, :p]])
        z, first = zs[-1], False
        grads = np.einsum("kij,kj->ki", H, before) - c
        return zs[:, :p], grads, batches.losses(before)

    return advance
