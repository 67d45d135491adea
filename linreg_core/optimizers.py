"""The optimizers, written out by hand in NumPy, with the options and defaults of `torch.optim`.

Each acts element by element on theta = [w, b], so treating w and b as one vector gives the same
numbers as torch's per-parameter updates. "momentum" and "nesterov" are torch's SGD with
momentum 0.9 (torch's own default of 0 would make them plain SGD).
"""

from __future__ import annotations

import numpy as np

from linreg_core import checks

# name -> (torch.optim class name, fixed torch arguments, user options with their defaults)
OPTIMIZERS: dict[str, tuple[str, dict, dict]] = {
    "sgd": ("SGD", {}, {"momentum": 0.0, "dampening": 0.0}),
    "momentum": ("SGD", {}, {"momentum": 0.9, "dampening": 0.0}),
    "nesterov": ("SGD", {"nesterov": True}, {"momentum": 0.9}),
    "adagrad": ("Adagrad", {}, {"lr_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10}),
    "rmsprop": ("RMSprop", {}, {"alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "centered": False}),
    "adam": ("Adam", {}, {"betas": (0.9, 0.999), "eps": 1e-8, "amsgrad": False}),
}


def resolve_options(optimizer: str, options: dict) -> dict:
    """The optimizer's options with defaults filled in; unknown or bad ones raise ValueError."""
    checks.one_of("optimizer", optimizer, OPTIMIZERS)
    defaults = OPTIMIZERS[optimizer][2]
    for name in options:
        checks.one_of(f"{optimizer} option", name, defaults)
    resolved = {**defaults, **options}
    for name, value in resolved.items():
        if isinstance(defaults[name], bool):
            if not isinstance(value, bool):
                checks.fail(name, value, "True or False")
        elif name == "betas":
            if not (isinstance(value, tuple | list) and len(value) == 2):
                checks.fail(name, value, "a pair (beta1, beta2), each in [0, 1)")
            resolved[name] = tuple(checks.finite_number(name, v, minimum=0) for v in value)
            if max(resolved[name]) >= 1:
                checks.fail(name, value, "a pair (beta1, beta2), each in [0, 1)")
        else:
            resolved[name] = checks.finite_number(name, value, minimum=0)
            if name in ("momentum", "dampening") and resolved[name] >= 1:
                checks.fail(name, value, "a number in [0, 1)")
            if name == "alpha" and resolved[name] > 1:
                checks.fail(name, value, "a number in [0, 1]")
    if optimizer == "nesterov" and resolved["momentum"] == 0:
        checks.fail("momentum", 0.0, "> 0 for nesterov")
    if optimizer in ("adagrad", "rmsprop", "adam") and resolved["eps"] == 0:
        checks.fail("eps", 0.0, "> 0")
    return resolved


def torch_arguments(optimizer: str, options: dict) -> tuple[str, dict]:
    """The torch.optim class name and keyword arguments for the same optimizer."""
    class_name, fixed, _ = OPTIMIZERS[optimizer]
    return class_name, {**fixed, **options}


class NumpyOptimizer:
    """One optimizer's state and update rule, the same arithmetic as torch.optim's."""

    def __init__(self, optimizer: str, lr: float, weight_decay: float, options: dict):
        self.kind, self.lr, self.weight_decay, self.o = optimizer, lr, weight_decay, options
        self.t = 0
        self.state: dict[str, np.ndarray] = {}

    def step(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """The parameters after one update with this gradient of the batch-mean loss."""
        self.t += 1
        g = grad + self.weight_decay * theta if self.weight_decay else grad
        return getattr(self, "_" + OPTIMIZERS[self.kind][0].lower())(theta, g)

    def _sgd(self, theta, g):
        mu = self.o["momentum"]
        if mu:
            buf = self.state.get("buf")
            buf = g.copy() if buf is None else mu * buf + (1 - self.o.get("dampening", 0.0)) * g
            self.state["buf"] = buf
            g = g + mu * buf if self.kind == "nesterov" else buf
        return theta - self.lr * g

    def _adagrad(self, theta, g):
        clr = self.lr / (1 + (self.t - 1) * self.o["lr_decay"])
        total = self.state.get("sum", np.full_like(theta, self.o["initial_accumulator_value"]))
        total = total + g * g
        self.state["sum"] = total
        return theta - clr * g / (np.sqrt(total) + self.o["eps"])

    def _rmsprop(self, theta, g):
        alpha, eps, mu = self.o["alpha"], self.o["eps"], self.o["momentum"]
        square_avg = alpha * self.state.get("sq", np.zeros_like(theta)) + (1 - alpha) * g * g
        self.state["sq"] = square_avg
        if self.o["centered"]:
            grad_avg = alpha * self.state.get("ga", np.zeros_like(theta)) + (1 - alpha) * g
            self.state["ga"] = grad_avg
            avg = np.sqrt(square_avg - grad_avg * grad_avg) + eps
        else:
            avg = np.sqrt(square_avg) + eps
        if mu > 0:
            buf = mu * self.state.get("buf", np.zeros_like(theta)) + g / avg
            self.state["buf"] = buf
            return theta - self.lr * buf
        return theta - self.lr * g / avg

    def _adam(self, theta, g):
        (beta1, beta2), eps = self.o["betas"], self.o["eps"]
        m = beta1 * self.state.get("m", np.zeros_like(theta)) + (1 - beta1) * g
        v = beta2 * self.state.get("v", np.zeros_like(theta)) + (1 - beta2) * g * g
        self.state["m"], self.state["v"] = m, v
        if self.o["amsgrad"]:
            v = np.maximum(self.state.get("vmax", v), v)
            self.state["vmax"] = v
        denom = np.sqrt(v) / np.sqrt(1 - beta2**self.t) + eps
        return theta - (self.lr / (1 - beta1**self.t)) * m / denom
