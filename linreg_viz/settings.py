"""The visualiser's controls as plain data: defaults, allowed values, and their URL form.

Every control is mirrored in the URL query string, so a link restores the same run exactly.
A bad or out-of-range value in a URL falls back to its default with a notice; nothing here raises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from linreg_core import OPTIMIZERS


@dataclass(frozen=True)
class Field:
    """One control: its default and what it allows."""

    default: object
    kind: type  # int, float, bool or str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    def allowed(self) -> tuple[str, dict]:
        """What this field allows, as a translation key and its fields."""
        if self.choices:
            return "allowed_choices", {"choices": ", ".join(self.choices)}
        if self.kind is bool:
            return "allowed_bool", {}
        key = "allowed_integers" if self.kind is int else "allowed_numbers"
        return key, {"low": f"{self.low:g}", "high": f"{self.high:g}"}

    def parse(self, raw: str) -> object:
        """The value a URL string stands for; ValueError if it is not allowed."""
        if self.choices:
            if raw not in self.choices:
                raise ValueError(raw)
            return raw
        if self.kind is bool:
            if raw not in ("0", "1"):
                raise ValueError(raw)
            return raw == "1"
        value = int(raw) if self.kind is int else float(raw)
        if not math.isfinite(value) or not self.low <= value <= self.high:
            raise ValueError(raw)
        return value

    def format(self, value: object) -> str:
        """The URL string for a value: exact (repr) for floats, so a link replays the same run."""
        if self.kind is bool:
            return "1" if value else "0"
        return repr(float(value)) if self.kind is float else str(value)


MAX_N = 100_000  # the app's ceiling on examples: bounded work for a shared server
LR_LOW = 1e-4

FIELDS: dict[str, Field] = {
    "lang": Field("en", str, choices=("en", "zh")),
    "projection": Field(False, bool),
    "d": Field(2, int, 1, 2),
    "w1": Field(2.0, float, -10, 10),
    "w2": Field(-3.4, float, -10, 10),
    "b": Field(4.2, float, -10, 10),
    "noise": Field(0.01, float, 0, 10),
    "n": Field(1000, int, 2, MAX_N),
    "seed": Field(0, int, 0, 2**31 - 1),
    "lr": Field(0.03, float, LR_LOW, 100),
    "batch_size": Field(10, int, 1, MAX_N),
    "epochs": Field(3, int, 1, 50),
    "optimizer": Field("sgd", str, choices=tuple(OPTIMIZERS)),
    "init": Field("book", str, choices=("book", "custom")),
    "w0_1": Field(-4.0, float, -20, 20),
    "w0_2": Field(4.0, float, -20, 20),
    "b0": Field(-2.0, float, -20, 20),
    "landscape": Field("both", str, choices=("both", "contour", "surface")),
    "axis_a": Field("w1", str, choices=("w1", "w2", "b")),
    "axis_b": Field("w2", str, choices=("w1", "w2", "b")),
    "speed": Field("normal", str, choices=("slow", "normal", "fast")),
}


def defaults() -> dict[str, object]:
    """Every control at its default: the book's run."""
    return {name: field.default for name, field in FIELDS.items()}


Notice = tuple[str, str, str, dict]  # field, the bad value, what is allowed: key and fields


def from_query(query: dict[str, str]) -> tuple[dict[str, object], list[Notice]]:
    """Controls from a URL query, and a notice per bad entry (a default is used instead)."""
    values, notices = defaults(), []
    for name, raw in query.items():
        field = FIELDS.get(name)
        if field is None:
            continue
        try:
            values[name] = field.parse(raw)
        except ValueError:
            notices.append((name, raw, *field.allowed()))
    if values["batch_size"] > values["n"]:
        notices.append(
            ("batch_size", str(values["batch_size"]), "allowed_at_most_n", {"n": values["n"]})
        )
        values["batch_size"] = min(FIELDS["batch_size"].default, values["n"])
    if values["axis_a"] == values["axis_b"]:
        notices.append(("axis_b", values["axis_b"], "allowed_other_axis", {}))
        values["axis_a"], values["axis_b"] = FIELDS["axis_a"].default, FIELDS["axis_b"].default
    return values, notices


def to_query(values: dict[str, object]) -> dict[str, str]:
    """The URL query for these controls: every control, exactly."""
    return {name: field.format(values[name]) for name, field in FIELDS.items()}
