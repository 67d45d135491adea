"""Numbers and flags as a link writes them, read at a bounded cost; and the ranges its fields share.

A link is anyone's to write. A number longer than any this app writes is refused before it is
read, and the patterns cannot backtrack (possessive quantifiers: each character is looked at
once), so a value costs time linear in a length that is itself capped. Numbers are ASCII only:
Python's int() and float() would also take "٥", "０.０５" and "1_0", which no link of this app
carries. Spaces around a number are ignored (a "+" in a query string arrives as a space).
Pure: no Streamlit, no Plotly.
"""

from __future__ import annotations

import math
import re

from linreg_core.limits import MAX_N, MAX_NUMBER_LENGTH

_INTEGER = re.compile(r"[+-]?+[0-9]++")
_NUMBER = re.compile(r"[+-]?+(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?:[eE][+-]?+[0-9]++)?+")

# A run's lr: the visualiser's field and a comparison's runs; as low as a CSV's raw features
# need, whose stability limit 2/λ_max can be tiny (1e-4, 1e-9).
LR_RANGE = (1e-12, 100.0)
START_RANGE = (-20.0, 20.0)  # a run's start, w0 and b0: the visualiser's fields and the runs'
BATCH_RANGE = (1, MAX_N)  # a run's batch size: the visualiser's field and the runs'
FLAGS = ("0", "1")  # a yes-or-no value: off, on


def flag(text: str) -> bool:
    """A yes-or-no value as a link writes it, "0" or "1"; ValueError otherwise."""
    if text not in FLAGS:
        raise ValueError(text)
    return text == "1"


def integer(text: str, low: float = -math.inf, high: float = math.inf) -> int:
    """An ASCII integer within [low, high]; ValueError otherwise."""
    text = _bounded(text)
    if not _INTEGER.fullmatch(text):
        raise ValueError(text)
    value = int(text)
    if not low <= value <= high:
        raise ValueError(text)
    return value


def number(text: str, low: float = -math.inf, high: float = math.inf) -> float:
    """An ASCII number, finite and within [low, high]; ValueError otherwise. "-0" is 0: a
    signed zero would reach the engine as a negative noise or option, which NumPy refuses."""
    text = _bounded(text)
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    value = float(text) + 0.0  # -0.0 + 0.0 is 0.0
    if not (math.isfinite(value) and low <= value <= high):
        raise ValueError(text)
    return value


def _bounded(text: str) -> str:
    """The text without surrounding spaces; ValueError if it is longer than any number."""
    if len(text) > MAX_NUMBER_LENGTH:
        raise ValueError(text[:MAX_NUMBER_LENGTH])
    return text.strip(" ")
