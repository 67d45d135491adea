"""The live update equation: each step's numbers, recomputed by the rule, give the engine's step."""

from __future__ import annotations

import numpy as np
import pytest

from linreg_core import OPTIMIZERS, loss_quadratic, run, synthetic_data
from linreg_core.plan import make_plan
from linreg_viz.i18n import translator
from linreg_viz.player import decode, payload
from linreg_viz.timeline import make_timeline

X, Y = synthetic_data([2.0, -3.4], 4.2, 205, noise=0.1, seed=4)
LR = {
    "sgd": 0.03,
    "momentum": 0.03,
    "nesterov": 0.03,
    "adagrad": 0.3,
    "rmsprop": 0.01,
    "adam": 0.05,
}


def shown(optimizer: str, batch_size: int = 10):
    """The run, and the columns and equation header the player gets for it."""
    trajectory = run(X, Y, optimizer=optimizer, lr=LR[optimizer], batch_size=batch_size, epochs=2)
    tl = make_timeline(
        trajectory, loss_quadratic(X, Y), X, Y, optimizer=optimizer, batch_size=batch_size
    )
    blob = payload(tl, charts={}, t=translator("en"), optimizer=optimizer, lr=LR[optimizer])
    header, cols = decode(blob)
    return trajectory, header["equation"], cols


def vector(cols, group, k):
    return np.array([cols[name][k] for name in group], dtype=np.float64)


def step_by_rule(optimizer, eq, cols, k):
    """θ after update k from what the equation shows: θ before, g, the state, the constants."""
    c, groups = eq["constants"], eq["groups"]
    theta, g = vector(cols, groups["theta_prev"], k), vector(cols, groups["g"], k)
    if optimizer == "sgd":
        return theta - c["lr"] * g
    if optimizer == "momentum":
        return theta - c["lr"] * vector(cols, groups["v"], k)
    if optimizer == "nesterov":
        return theta - c["lr"] * (g + c["mu"] * vector(cols, groups["v"], k))
    s = vector(cols, groups["s"] if optimizer != "adam" else groups["v"], k)
    if optimizer in ("adagrad", "rmsprop"):
        return theta - c["lr"] * g / (np.sqrt(s) + c["eps"])
    t = cols["step"][k]
    m_hat = vector(cols, groups["m"], k) / (1 - c["beta1"] ** t)
    return theta - c["lr"] * m_hat / (np.sqrt(s / (1 - c["beta2"] ** t)) + c["eps"])


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_each_steps_numbers_give_the_engines_step(optimizer):
    trajectory, eq, cols = shown(optimizer)
    assert eq["rule"] and "{" in eq["numbers"]
    for k in (1, 2, 20, 21, 41):  # 21 updates an epoch: 41 is the second epoch's short batch
        after = vector(cols, eq["groups"]["theta"], k)
        np.testing.assert_allclose(
            step_by_rule(optimizer, eq, cols, k), after, rtol=2e-5, atol=2e-6
        )
        assert cols["bsz"][k] == (5 if k % 21 == 0 else 10)
    assert np.all(np.isnan(vector(cols, eq["groups"]["g"], 0)))  # the start: no update


def test_the_gradient_shown_is_the_minibatchs():
    """g of update k is the mean gradient over the batch the engine drew for it."""
    trajectory, eq, cols = shown("sgd")
    plan = make_plan(X, Y, lr=LR["sgd"], batch_size=10, epochs=2)
    rng, _ = plan.start()
    orders = list(plan.epoch_orders(rng))
    for k in (1, 7, 21, 30):
        epoch, within = divmod(k - 1, 21)
        batch = orders[epoch][within * 10 : within * 10 + 10]
        w, b = trajectory.path_w[k - 1], trajectory.path_b[k - 1]
        residual = X[batch] @ w + b - Y[batch]
        expected = np.append(X[batch].T @ residual, residual.sum()) / len(batch)
        np.testing.assert_allclose(vector(cols, eq["groups"]["g"], k), expected, rtol=1e-5)


def test_the_equation_speaks_both_languages():
    for lang in ("en", "zh"):
        trajectory = run(X, Y, optimizer="adam", lr=0.05)
        tl = make_timeline(trajectory, loss_quadratic(X, Y), X, Y, optimizer="adam")
        header, _ = decode(payload(tl, charts={}, t=translator(lang), optimizer="adam", lr=0.05))
        assert "β₁" in header["equation"]["rule"] and header["equation"]["start"]
