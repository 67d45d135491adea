"""The optimizers' options as a link, a form and a comparison write them.

Each is written by torch.optim's name, except a pair (Adam's betas), written as two numbers
beta1 and beta2. `written` lists them for an optimizer; `engine_keywords` turns written values
back into the engine's (a `TrainSpec`'s options, `train`'s keywords). Pure: no Streamlit, no Plotly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from linreg_core import OPTIMIZERS
from linreg_core.optimizers import Option


@dataclass(frozen=True)
class Written:
    """One written option: the engine's option it sets, and which element of a pair (or None)."""

    option: Option
    part: int | None = None

    @property
    def default(self) -> float | bool:
        return self.option.default if self.part is None else self.option.default[self.part]

    @property
    def is_flag(self) -> bool:
        return isinstance(self.option.default, bool)

    @property
    def label(self) -> str:
        """torch's name, as code; a pair's element as name[0], name[1]."""
        return (
            f"`{self.option.name}`" if self.part is None else f"`{self.option.name}[{self.part}]`"
        )


def written(optimizer: str) -> dict[str, Written]:
    """The options of `optimizer` by their written names, in the engine's order."""
    names = {}
    for option in OPTIMIZERS[optimizer].options:
        if isinstance(option.default, tuple):  # betas -> beta1, beta2
            for part in range(len(option.default)):
                names[f"{option.name[:-1]}{part + 1}"] = Written(option, part)
        else:
            names[option.name] = Written(option)
    return names


def engine_keywords(optimizer: str, given: Mapping[str, object]) -> dict:
    """The engine's options (`TrainSpec.options`) for the written values `given`: a pair whole (an element not given
    at its default), a flag as a bool; an option not given is left out. Not checked here: the
    engine's `resolve_options` says what it refuses."""
    keywords: dict[str, object] = {}
    for name, w in written(optimizer).items():
        if w.part is not None:
            pair = list(keywords.get(w.option.name, w.option.default))
            pair[w.part] = given.get(name, pair[w.part])
            keywords[w.option.name] = tuple(pair)
        elif name in given:
            keywords[w.option.name] = bool(given[name]) if w.is_flag else given[name]
    return keywords
