"""What an optimizer carries from one update to the next, replayed from a run's gradients.

Momentum's buffer v, AdaGrad's sum of squares s, RMSProp's running square s, Adam's m and v:
with the gradients a run used (`Trajectory.grad_ws`, `grad_bs`), the same recurrences as
torch.optim (and `optimizers.py`) give the state after every update, so a page can show an
update with all of its numbers. Plain SGD carries nothing.
"""

from __future__ import annotations

import numpy as np

from linreg_core.limits import MAX_REPLAY
from linreg_core.optimizers import OPTIMIZERS, resolve_options


def optimizer_states(optimizer: str, grads: np.ndarray, options: dict | None = None):
    """{state name: (S, p) array after each update} for the gradients `grads` of shape (S, p).

    Names: "v" (momentum, nesterov), "s" (adagrad, rmsprop: its square average), "m" and "v"
    (adam, before bias correction). Empty for plain SGD; None for a run longer than MAX_REPLAY
    updates.
    """
    options = resolve_options(optimizer, options or {})
    kind = OPTIMIZERS[optimizer].torch_name
    if kind == "SGD" and not options["momentum"]:
        return {}
    if len(grads) > MAX_REPLAY:
        return None
    names = {"SGD": ("v",), "Adagrad": ("s",), "RMSprop": ("s",), "Adam": ("m", "v")}[kind]
    out = {name: np.empty_like(grads) for name in names}
    state = {name: None for name in names}
    for k, g in enumerate(grads):
        if kind == "SGD":
            previous = state["v"]
            damp = 1 - options.get("dampening", 0.0)
            state["v"] = g.copy() if previous is None else options["momentum"] * previous + damp * g
        elif kind == "Adagrad":
            start = np.full_like(g, options["initial_accumulator_value"])
            state["s"] = (start if state["s"] is None else state["s"]) + g * g
        elif kind == "RMSprop":
            previous = 0.0 if state["s"] is None else state["s"]
            state["s"] = options["alpha"] * previous + (1 - options["alpha"]) * g * g
        else:
            beta1, beta2 = options["betas"]
            m = 0.0 if state["m"] is None else state["m"]
            v = 0.0 if state["v"] is None else state["v"]
            state["m"] = beta1 * m + (1 - beta1) * g
            state["v"] = beta2 * v + (1 - beta2) * g * g
        for name in names:
            out[name][k] = state[name]
    return out
