"""Checks at the public boundary: each error names the parameter, the value and what is allowed."""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np


def _shown(value: object) -> str:
    if isinstance(value, np.ndarray) and value.size > 4:
        return f"<array of shape {value.shape}, dtype {value.dtype}>"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def fail(name: str, value: object, allowed: str) -> None:
    raise ValueError(f"{name}={_shown(value)} is not allowed: {name} must be {allowed}")


def finite_number(
    name: str, value: object, *, positive: bool = False, minimum: float | None = None
) -> float:
    """A real, finite number (optionally > 0, or >= minimum), as a float; -0.0 as 0.0, which
    NumPy would take for a negative scale."""
    allowed = "a finite number" + (" > 0" if positive else "")
    if minimum is not None:
        allowed = f"a finite number >= {minimum:g}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        fail(name, value, allowed)
    number = float(value)
    if (
        not np.isfinite(number)
        or (positive and number <= 0)
        or (minimum is not None and number < minimum)
    ):
        fail(name, value, allowed)
    return number + 0.0  # -0.0 + 0.0 is 0.0


def number_in(name: str, value: object, low: float, high: float) -> float:
    """A real number in [low, high], as a float; -0.0 as 0.0."""
    allowed = f"a number in [{low:g}, {high:g}]"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        fail(name, value, allowed)
    number = float(value)
    if not low <= number <= high:  # NaN fails too
        fail(name, value, allowed)
    return number + 0.0


def integer_in(name: str, value: object, low: int, high: int | None = None) -> int:
    """An integer in [low, high] (high None: no upper bound)."""
    allowed = f"an integer in [{low}, {high}]" if high is not None else f"an integer >= {low}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        fail(name, value, allowed)
    number = int(value)
    if number < low or (high is not None and number > high):
        fail(name, value, allowed)
    return number


def one_of(name: str, value: object, known: Iterable[str]) -> str:
    """One of the known names."""
    known = list(known)
    if not isinstance(value, str) or value not in known:
        fail(name, value, "one of " + ", ".join(repr(k) for k in known))
    return value


def finite_array(name: str, value: object, ndim: int) -> np.ndarray:
    """A finite real array with `ndim` dimensions; float32/64 kept, the rest made float64."""
    if getattr(value, "requires_grad", False):  # a torch tensor in a graph: numpy() refuses it
        fail(name, value, f"an array or a tensor without requires_grad (pass {name}.detach())")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        fail(name, value, f"a finite numeric array with {ndim} dimension(s)")
    if array.dtype.kind not in "biuf" or array.dtype.kind == "b":
        fail(name, value, f"a finite numeric array with {ndim} dimension(s)")
    if array.dtype not in (np.float32, np.float64):
        array = array.astype(np.float64)
    if array.ndim != ndim:
        fail(name, value, f"an array with {ndim} dimension(s), not shape {array.shape}")
    if not np.all(np.isfinite(array)):
        fail(name, value, "finite everywhere (no NaN or inf)")
    return array
