"""The visualiser's controls as plain data: defaults, allowed values, widget steps, URL form.

`FIELDS` is the one table of what each control allows: the widgets are built from it and a
link is read with it. Every control is mirrored in the URL query string, so a link restores the
same run exactly. A bad or out-of-range value in a URL falls back to its default with a notice;
nothing here raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from linreg_core import ENGINES, LOSSES, OPTIMIZERS, parameter_names
from linreg_core.data import CORRELATION_RANGE, SCALE_RANGE
from linreg_core.limits import MAX_N, MAX_NUMBER_LENGTH, MAX_UNKNOWN_NOTICES
from linreg_core.optimizers import in_interval
from linreg_core.plan import DIVIDE_BY, DTYPES
from linreg_viz import comparison, link_values
from linreg_viz.i18n import LANGUAGES
from linreg_viz.link_values import BATCH_RANGE, LR_RANGE, START_RANGE
from linreg_viz.player import SPEEDS
from linreg_viz.written_options import engine_keywords, written


@dataclass(frozen=True)
class Field:
    """One control: its default, what it allows, and how its widget steps and shows a number."""

    default: object
    kind: type  # int, float, bool or str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    step: float | None = None  # a slider's or number input's step; None: the widget's own
    number_format: str | None = None  # how a number input shows the value, e.g. "%.3f"
    optional: bool = False  # in a link only when not at its default: the advanced controls
    interval: str = ""  # allowed numbers as the engine writes them, "[0, 1)"; replaces low/high
    # A text with a syntax of its own (a comparison's runs): its canonical form, or ValueError;
    # and what it allows, as a translation key and its fields.
    canonical: Callable[[str], str] | None = None
    allows: tuple[str, dict] | None = None

    def allowed(self) -> tuple[str, dict]:
        """What this field allows, as a translation key and its fields."""
        if self.allows is not None:
            return self.allows
        if self.choices:
            return "allowed_choices", {"choices": ", ".join(self.choices)}
        if self.kind is bool:
            return "allowed_bool", {}
        if self.interval:
            return "allowed_interval", {"interval": self.interval}
        if self.kind is int:  # in full: 2,147,483,647, not 2.14748e+09
            return "allowed_integers", {"low": f"{self.low:,}", "high": f"{self.high:,}"}
        return "allowed_numbers", {"low": f"{self.low:g}", "high": f"{self.high:g}"}

    @property
    def max_length(self) -> int:
        """Characters in the longest value a link may give: a longer one is refused unread."""
        if self.canonical is not None:
            return comparison.MAX_TEXT
        if self.choices:
            return max(map(len, self.choices))
        return 1 if self.kind is bool else MAX_NUMBER_LENGTH

    def parse(self, raw: str) -> object:
        """The value a URL string stands for; ValueError if it is not allowed.

        A value longer than any allowed one is refused before it is read; numbers are read as
        `link_values` reads them (ASCII, spaces around them ignored).
        """
        if len(raw) > self.max_length:
            raise ValueError(raw[: self.max_length])
        if self.canonical is not None:
            return self.canonical(raw)
        if self.choices:
            if raw not in self.choices:
                raise ValueError(raw)
            return raw
        if self.kind is bool:
            return link_values.flag(raw)
        if self.kind is int:
            return link_values.integer(raw, self.low, self.high)
        if self.interval:
            value = link_values.number(raw)
            if not in_interval(value, self.interval):
                raise ValueError(raw)
            return value
        return link_values.number(raw, self.low, self.high)

    def format(self, value: object) -> str:
        """The URL string for a value: exact (repr) for floats, so a link replays the same run."""
        if self.kind is bool:
            return "1" if value else "0"
        return repr(float(value)) if self.kind is float else str(value)


AXES = tuple(parameter_names(2))  # the parameters a landscape can show

FIELDS: dict[str, Field] = {
    "lang": Field("en", str, choices=tuple(LANGUAGES)),
    "projection": Field(False, bool),
    "d": Field(2, int, 1, 2),
    "w1": Field(2.0, float, -10, 10, step=0.1),
    "w2": Field(-3.4, float, -10, 10, step=0.1),
    "b": Field(4.2, float, -10, 10, step=0.1),
    "noise": Field(0.01, float, 0, 10, step=0.01, number_format="%.3f"),
    "n": Field(1000, int, 2, MAX_N, step=100),
    "seed": Field(0, int, 0, 2**31 - 1),
    "lr": Field(0.03, float, *LR_RANGE),
    "batch_size": Field(10, int, *BATCH_RANGE),
    "epochs": Field(3, int, 1, 50),
    "optimizer": Field("sgd", str, choices=tuple(OPTIMIZERS)),
    "init": Field("book", str, choices=("book", "custom")),
    "w0_1": Field(-4.0, float, *START_RANGE, step=0.5),
    "w0_2": Field(4.0, float, *START_RANGE, step=0.5),
    "b0": Field(-2.0, float, *START_RANGE, step=0.5),
    "landscape": Field("both", str, choices=("both", "contour", "surface")),
    "axis_a": Field("w1", str, choices=AXES),
    "axis_b": Field("w2", str, choices=AXES),
    "speed": Field("normal", str, choices=tuple(SPEEDS)),
    "arrows": Field(True, bool),
    # the book's variants and lessons (D2L §3.2, §3.7): in a link only when changed
    "weight_decay": Field(0.0, float, 0, 10, step=0.01, number_format="%.4g", optional=True),
    "loss": Field("half_mse", str, choices=LOSSES, optional=True),
    "drop_last": Field(False, bool, optional=True),
    "divide_by": Field("batch_length", str, choices=DIVIDE_BY, optional=True),
    "engine": Field("numpy", str, choices=ENGINES, optional=True),
    "dtype": Field("float64", str, choices=tuple(reversed(DTYPES)), optional=True),
    "runs": Field(
        comparison.DEFAULT,
        str,
        optional=True,
        canonical=comparison.canonical,
        allows=comparison.allowed(),
    ),
}


def option_fields() -> dict[str, Field]:
    """Each optimizer's options (`linreg_core.OPTIMIZERS`), as controls named OPTIMIZER_OPTION,
    with torch.optim's defaults; Adam's betas as two numbers, adam_beta1 and adam_beta2
    (`written_options`). Each optimizer keeps its own: momentum's 0.9 is not SGD's 0. In a link
    only when changed."""
    fields = {}
    for optimizer in OPTIMIZERS:
        for name, w in written(optimizer).items():
            fields[f"{optimizer}_{name}"] = (
                Field(w.default, bool, optional=True)
                if w.is_flag
                else Field(w.default, float, optional=True, interval=w.option.interval)
            )
    return fields


def optimizer_options(values: Mapping[str, object]) -> dict[str, object]:
    """The options of the chosen optimizer (`TrainSpec.options`), from the controls."""
    optimizer = str(values["optimizer"])
    given = {name: values[f"{optimizer}_{name}"] for name in written(optimizer)}
    return engine_keywords(optimizer, given)


OPTION_FIELDS = option_fields()
FIELDS.update(OPTION_FIELDS)

# The conditioning lesson's controls (its page, /conditioning): x2's scale and its correlation
# with x1 (the engine's SCALE_RANGE and CORRELATION_RANGE), the lr as a multiple of the raw
# data's stability limit 2/lambda_max, full batch (else the batch_size control) and the updates.
CONDITIONING_FIELDS = {
    "scale": Field(0.1, float, *SCALE_RANGE, optional=True),
    "rho": Field(0.0, float, *CORRELATION_RANGE, step=0.01, optional=True),
    "lr_ratio": Field(0.5, float, 0.01, 100, optional=True),
    "full_batch": Field(True, bool, optional=True),
    "steps": Field(300, int, 10, 3000, step=10, optional=True),
}
FIELDS.update(CONDITIONING_FIELDS)


def defaults() -> dict[str, object]:
    """Every control at its default: the book's run."""
    return {name: field.default for name, field in FIELDS.items()}


@dataclass(frozen=True)
class Notice:
    """Something in a link the app did not take as it was: a message key and what fills it.

    `field` and `value` are the link's own text, to be shown as plain text; `allowed` is what a
    bad value's field allows, a translation key and its fields.
    """

    key: str  # url_notice (a bad value), url_repeated, url_unknown or url_unknown_more
    field: str
    value: str = ""
    allowed: tuple[str, dict] = ("", {})
    count: int = 0


def from_query(query: Mapping[str, str | list[str]]) -> tuple[dict[str, object], list[Notice]]:
    """Controls from a URL query, and a notice per bad, repeated or unknown entry.

    A key given several times maps to the list of its values; the last one is used, as
    `st.query_params` does. A bad value falls back to its default.
    """
    values, notices, unknown = defaults(), [], []
    for name, given in query.items():
        given = [given] if isinstance(given, str) else list(given)
        field = FIELDS.get(name)
        if field is None:
            unknown.append(name)
            continue
        raw = given[-1] if given else ""
        if len(given) > 1:
            notices.append(Notice("url_repeated", name, raw, count=len(given)))
        try:
            values[name] = field.parse(raw)
        except ValueError:
            notices.append(Notice("url_notice", name, raw, field.allowed()))
    notices += [Notice("url_unknown", name) for name in unknown[:MAX_UNKNOWN_NOTICES]]
    if len(unknown) > MAX_UNKNOWN_NOTICES:
        notices.append(Notice("url_unknown_more", "", count=len(unknown) - MAX_UNKNOWN_NOTICES))
    if values["batch_size"] > values["n"]:
        allowed = ("allowed_at_most_n", {"n": values["n"]})
        notices.append(Notice("url_notice", "batch_size", str(values["batch_size"]), allowed))
        values["batch_size"] = min(FIELDS["batch_size"].default, values["n"])
    if values["axis_a"] == values["axis_b"]:
        allowed = ("allowed_other_axis", {})
        notices.append(Notice("url_notice", "axis_b", str(values["axis_b"]), allowed))
        values["axis_a"], values["axis_b"] = FIELDS["axis_a"].default, FIELDS["axis_b"].default
    return values, notices


def to_query(values: dict[str, object]) -> dict[str, str]:
    """The URL query for these controls: every control, exactly; an optional control (an
    advanced one) only when it is not at its default, which a link without it stands for."""
    return {
        name: field.format(values[name])
        for name, field in FIELDS.items()
        if not (field.optional and values[name] == field.default)
    }
