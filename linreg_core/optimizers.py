"""The optimizers, written out by hand in NumPy, with the options and defaults of `torch.optim`.

`OPTIMIZERS` is the table: for each optimizer, the torch.optim class that runs the same update
and each option's default and allowed values; validation reads it, and so can a UI or a test.
Each update acts element by element on theta = [w, b], so treating w and b as one vector gives
the same numbers as torch's per-parameter updates. "momentum" and "nesterov" are torch's SGD with
momentum 0.9 (torch's own default of 0 would make them plain SGD).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from linreg_core import checks


@dataclass(frozen=True)
class Option:
    """One option: its default and its allowed values, an interval like "[0, 1)" (or a bool)."""

    name: str
    default: float | bool | tuple[float, float]
    interval: str = ""  # "" for a bool; for a pair (betas), each element's interval

    @property
    def allowed(self) -> str:
        if isinstance(self.default, bool):
            return "True or False"
        if isinstance(self.default, tuple):
            return f"a pair of numbers, each in {self.interval}"
        return f"a number in {self.interval}"

    def admits(self, value: object, dtype: str = "float64") -> bool:
        """Whether `value` is one of the allowed values, and still is once a `dtype` array
        holds it (float32 makes 1e39 inf, 1e-50 zero and 0.99999999 one)."""
        if isinstance(self.default, bool):
            return isinstance(value, bool)
        if isinstance(self.default, tuple):
            return (
                isinstance(value, tuple | list)
                and len(value) == len(self.default)
                and all(_held_in(v, self.interval, dtype) for v in value)
            )
        return _held_in(value, self.interval, dtype)

    def resolve(self, value: object, dtype: str = "float64") -> float | bool | tuple[float, ...]:
        """The value as the update uses it; ValueError naming the option if not allowed (in
        `dtype`: its message then says what that dtype holds)."""
        if not self.admits(value, dtype):
            allowed = self.allowed
            if self.admits(value):
                info = np.finfo(dtype)
                allowed += (
                    f" that {dtype} holds as such ({dtype}'s largest number is "
                    f"{float(info.max):.4g}, its smallest above 0 "
                    f"{float(info.smallest_subnormal):.2g}, and it keeps about {info.precision} "
                    "digits)"
                )
            checks.fail(self.name, value, allowed)
        if isinstance(self.default, bool):
            return value
        if isinstance(self.default, tuple):
            return tuple(float(v) for v in value)
        return float(value)


def _held_in(value: object, interval: str, dtype: str) -> bool:
    """Whether a number lies in the interval, both as given and as a `dtype` array holds it."""
    if not in_interval(value, interval):
        return False
    with np.errstate(over="ignore"):  # an overflow is the inf this refuses
        held = float(np.asarray(value, dtype=dtype))
    return in_interval(held, interval)


def in_interval(value: object, interval: str) -> bool:
    """Whether a real number lies in an interval written "[0, 1)", "(0, inf)" and so on."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    low, high = (float(end) for end in interval[1:-1].split(","))
    x = float(value)
    above = low < x or (interval[0] == "[" and x == low)
    below = x < high or (interval[-1] == "]" and x == high)
    return math.isfinite(x) and above and below


@dataclass(frozen=True)
class Rule:
    """An option's allowed values while another option has a given value."""

    when: str
    equals: object
    option: str
    interval: str
    why: str


@dataclass(frozen=True)
class Optimizer:
    """An optimizer: the torch.optim class that runs the same update, and its options."""

    torch_name: str
    options: tuple[Option, ...]
    torch_fixed: tuple[tuple[str, object], ...] = ()  # arguments this name fixes in torch
    rules: tuple[Rule, ...] = ()

    @property
    def defaults(self) -> dict:
        return {option.name: option.default for option in self.options}


# A table, one option a row: the columns stay aligned (fmt: skip).
OPTIMIZERS: dict[str, Optimizer] = {
    "sgd": Optimizer("SGD", (
        Option("momentum",                  0.0,           "[0, 1)"),
        Option("dampening",                 0.0,           "[0, 1)"),
    )),
    "momentum": Optimizer("SGD", (
        Option("momentum",                  0.9,           "[0, 1)"),
        Option("dampening",                 0.0,           "[0, 1)"),
    )),
    "nesterov": Optimizer("SGD", (
        Option("momentum",                  0.9,           "(0, 1)"),
    ), torch_fixed=(("nesterov", True),)),
    "adagrad": Optimizer("Adagrad", (
        Option("lr_decay",                  0.0,           "[0, inf)"),
        Option("initial_accumulator_value", 0.0,           "[0, inf)"),
        Option("eps",                       1e-10,         "(0, inf)"),
    )),
    "rmsprop": Optimizer("RMSprop", (
        Option("alpha",                     0.99,          "[0, 1)"),
        Option("eps",                       1e-8,          "(0, inf)"),
        Option("momentum",                  0.0,           "[0, 1)"),
        Option("centered",                  False),
    ), rules=(
        Rule("centered", True, "alpha", "(0, 1)",
             "alpha = 0 leaves a centred variance of 0, so every step is lr * grad / eps"),
    )),
    "adam": Optimizer("Adam", (
        Option("betas",                     (0.9, 0.999),  "[0, 1)"),
        Option("eps",                       1e-8,          "(0, inf)"),
        Option("amsgrad",                   False),
    )),
}  # fmt: skip


def resolve_options(optimizer: str, options: dict, dtype: str = "float64") -> dict:
    """The optimizer's options with defaults filled in; unknown or bad ones raise ValueError,
    as do those a run in `dtype` would hold outside their intervals."""
    checks.one_of("optimizer", optimizer, OPTIMIZERS)
    spec = OPTIMIZERS[optimizer]
    table = {option.name: option for option in spec.options}
    for name, value in options.items():
        if name not in table:
            checks.fail(
                name, value, f"an option of optimizer={optimizer!r}: one of " + ", ".join(table)
            )
    resolved = {
        name: option.resolve(options.get(name, option.default), dtype)
        for name, option in table.items()
    }
    for rule in spec.rules:
        value = resolved[rule.option]
        if resolved[rule.when] == rule.equals and not in_interval(value, rule.interval):
            checks.fail(
                rule.option,
                value,
                f"a number in {rule.interval} when {rule.when}={rule.equals!r} ({rule.why})",
            )
    return resolved


def torch_arguments(optimizer: str, options: dict) -> tuple[str, dict]:
    """The torch.optim class name and keyword arguments for the same optimizer."""
    spec = OPTIMIZERS[optimizer]
    return spec.torch_name, {**dict(spec.torch_fixed), **options}


Update = Callable[[np.ndarray, np.ndarray], np.ndarray]


def numpy_update(optimizer: str, lr: float, decay, options: dict) -> Update:
    """update(theta, grad) -> theta after one step of the optimizer: torch.optim's arithmetic.

    `grad` is the gradient of the batch's loss; weight decay adds decay * theta to it, `decay`
    holding each parameter's weight_decay (0 for the bias, as in the book). The update keeps its
    own state (step count, running averages) between calls, in theta's dtype.
    """
    torch_name, arguments = torch_arguments(optimizer, options)
    step = _UPDATES[torch_name](lr, **arguments)  # the same arguments as torch.optim's class
    if not np.any(decay):
        return step
    return lambda theta, grad: step(theta, grad + decay * theta)


def _sgd(lr, momentum, dampening=0.0, nesterov=False) -> Update:
    buf = None

    def update(theta, g):
        nonlocal buf
        if not momentum:
            return theta - lr * g
        buf = g if buf is None else momentum * buf + (1 - dampening) * g
        return theta - lr * (g + momentum * buf if nesterov else buf)

    return update


def _adagrad(lr, lr_decay, initial_accumulator_value, eps) -> Update:
    total, t = None, 0

    def update(theta, g):
        nonlocal total, t
        t += 1
        if total is None:
            total = np.full_like(theta, initial_accumulator_value)
        total = total + g * g
        return theta - (lr / (1 + (t - 1) * lr_decay)) * g / (np.sqrt(total) + eps)

    return update


def _rmsprop(lr, alpha, eps, momentum, centered) -> Update:
    square_avg = grad_avg = buf = 0.0

    def update(theta, g):
        nonlocal square_avg, grad_avg, buf
        square_avg = alpha * square_avg + (1 - alpha) * g * g
        if centered:
            grad_avg = alpha * grad_avg + (1 - alpha) * g
            avg = np.sqrt(square_avg - grad_avg * grad_avg) + eps
        else:
            avg = np.sqrt(square_avg) + eps
        if momentum > 0:
            buf = momentum * buf + g / avg
            return theta - lr * buf
        return theta - lr * g / avg

    return update


def _adam(lr, betas, eps, amsgrad) -> Update:
    beta1, beta2 = betas
    m = v = v_max = 0.0
    t = 0

    def update(theta, g):
        nonlocal m, v, v_max, t
        t += 1
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        if amsgrad:
            v_max = np.maximum(v_max, v)
        denom = np.sqrt(v_max if amsgrad else v) / math.sqrt(1 - beta2**t) + eps
        return theta - (lr / (1 - beta1**t)) * m / denom

    return update


_UPDATES = {"SGD": _sgd, "Adagrad": _adagrad, "RMSprop": _rmsprop, "Adam": _adam}
