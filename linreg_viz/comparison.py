"""A comparison: up to four runs on the same data, written as one short string for a link.

`runs=batch` names a preset; `runs=sgd:0.03:10;adam:0.1:10` spells the runs out, one
`optimizer:lr:batch_size[:start]` each. The optimizer may carry options in brackets, with
torch.optim's names (Adam's betas as beta1 and beta2, a flag as 0 or 1): "momentum(momentum=0.5)",
"adam(beta1=0.8,amsgrad=1)". lr is a number, or a multiple of the data's stability limit
("0.99x"); batch_size is a number, or "n" for the full batch; start, when given, is w and b
("-4,4,-2": w1, w2, b). Pure: no Streamlit, no Plotly.
"""

from __future__ import annotations

from dataclasses import dataclass

from linreg_core import OPTIMIZERS
from linreg_core.limits import MAX_NUMBER_LENGTH, MAX_RUNS
from linreg_core.optimizers import resolve_options
from linreg_viz.link_values import BATCH_RANGE, LR_RANGE, START_RANGE, flag, integer, number
from linreg_viz.written_options import engine_keywords, written

FACTOR_RANGE = (1e-3, 10.0)  # lr as a multiple of the stability limit


def _longest_run() -> int:
    """Characters in the longest run: every option given, each number at its longest."""
    x, batch = "0" * MAX_NUMBER_LENGTH, BATCH_RANGE[1]
    return max(
        len(f"{name}({','.join(f'{o}={x}' for o in written(name))}):{x}x:{batch}:{x},{x},{x}")
        for name in OPTIMIZERS
    )


MAX_TEXT = MAX_RUNS * (_longest_run() + 1)  # a longer `runs=` value is refused unread

# A preset: its runs, and the epochs that show its lesson (the page's epochs control follows).
PRESETS: dict[str, tuple[str, int]] = {
    "batch": ("sgd:0.03:1;sgd:0.03:10;sgd:0.03:100;sgd:0.03:n", 3),
    "optimizers": ("sgd:0.03:10;momentum:0.03:10;adam:0.1:10", 3),
    "limit": ("sgd:0.5x:n;sgd:0.99x:n;sgd:1.1x:n", 20),
}
DEFAULT = "batch"


@dataclass(frozen=True)
class RunSpec:
    """One run of a comparison as written: lr may be relative to the stability limit."""

    optimizer: str
    lr: float
    relative: bool  # lr is a multiple of the stability limit
    batch_size: int | None  # None: the full batch, n
    start: tuple[float, ...] | None = None  # (w1, [w2,] b); None: the book's start
    options: tuple[tuple[str, float], ...] = ()  # as written: (name, value), beta1 and beta2

    def options_text(self) -> str:
        """The options as written in brackets, without them: "beta1=0.8,amsgrad=1"."""
        return ",".join(f"{name}={value!r}" for name, value in self.options)

    def text(self) -> str:
        """The run in the link's syntax, exactly (repr of each float)."""
        parts = [
            self.optimizer + (f"({self.options_text()})" if self.options else ""),
            repr(self.lr) + ("x" if self.relative else ""),
            "n" if self.batch_size is None else str(self.batch_size),
        ]
        if self.start is not None:
            parts.append(",".join(repr(v) for v in self.start))
        return ":".join(parts)


def engine_options(optimizer: str, options: tuple[tuple[str, float], ...]) -> dict:
    """The written options as the engine takes them (`TrainSpec.options`), the others at their defaults; ValueError
    (the engine's) if the engine does not take them."""
    return resolve_options(optimizer, engine_keywords(optimizer, dict(options)))


def _parse_options(optimizer: str, text: str) -> tuple[tuple[str, float], ...]:
    """`name=value,…` for this optimizer; ValueError unless the engine takes them."""
    known, given = written(optimizer), []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = (piece.strip() for piece in item.partition("="))
        if name not in known or any(name == seen for seen, _ in given):
            raise ValueError(item)
        if known[name].is_flag:
            given.append((name, int(flag(value))))
        else:
            given.append((name, number(value)))
    engine_options(optimizer, tuple(given))
    return tuple(given)


def parse_run(text: str) -> RunSpec:
    """One `optimizer[(options)]:lr:batch_size[:start]`; ValueError if any part is not allowed."""
    parts = [part.strip() for part in text.split(":")]
    optimizer, bracket, options = parts[0].partition("(")
    if len(parts) not in (3, 4) or optimizer not in OPTIMIZERS:
        raise ValueError(text)
    if bracket and not options.endswith(")"):
        raise ValueError(text)
    options = _parse_options(optimizer, options.removesuffix(")"))
    relative = parts[1].endswith("x")
    lr = number(parts[1].removesuffix("x"), *(FACTOR_RANGE if relative else LR_RANGE))
    batch_size = None if parts[2] == "n" else integer(parts[2], *BATCH_RANGE)
    start = None
    if len(parts) == 4:
        start = tuple(number(v, *START_RANGE) for v in parts[3].split(","))
        if len(start) not in (2, 3):
            raise ValueError(text)
    return RunSpec(optimizer, lr, relative, batch_size, start, options)


def parse_runs(text: str) -> tuple[RunSpec, ...]:
    """The runs a `runs=` value stands for: a preset's, or 1 to MAX_RUNS spelled out; a text
    longer than MAX_TEXT is refused unread."""
    if len(text) > MAX_TEXT:
        raise ValueError(text[:MAX_TEXT])
    text = PRESETS[text][0] if text in PRESETS else text
    items = [item for item in text.split(";") if item.strip()]
    if not 1 <= len(items) <= MAX_RUNS:
        raise ValueError(text)
    return tuple(parse_run(item) for item in items)


def canonical(text: str) -> str:
    """The link's form of a `runs=` value: a preset's name, or each run written exactly."""
    text = text.strip()
    if text in PRESETS:
        return text
    return ";".join(run.text() for run in parse_runs(text))


def allowed() -> tuple[str, dict]:
    """What a `runs=` value allows, as a translation key and its fields."""
    return "allowed_runs", {
        "presets": ", ".join(PRESETS),
        "most": MAX_RUNS,
        "optimizers": "|".join(OPTIMIZERS),
    }


@dataclass(frozen=True)
class Resolved:
    """A run made concrete for one data set: the numbers of its `TrainSpec`."""

    optimizer: str
    lr: float
    batch_size: int
    w0: tuple[float, ...] | None
    b0: float | None
    factor: float | None  # lr ÷ the stability limit, when the run was written that way
    options: tuple[tuple[str, object], ...] = ()  # `TrainSpec.options`: every option
    written: tuple[tuple[str, float], ...] = ()  # the options as written, for the run's name


def resolve(run: RunSpec, limit: float, n: int, d: int) -> Resolved:
    """The run on data of n examples, d features and this stability limit; ValueError if its
    start has not d + 1 numbers. A relative lr is rounded to 4 significant digits, as shown."""
    lr = float(f"{run.lr * limit:.4g}") if run.relative else run.lr
    batch_size = n if run.batch_size is None else min(run.batch_size, n)
    if run.start is not None and len(run.start) != d + 1:
        raise ValueError(run.text())
    w0, b0 = (None, None) if run.start is None else (run.start[:-1], run.start[-1])
    options = tuple(engine_options(run.optimizer, run.options).items())
    factor = run.lr if run.relative else None
    return Resolved(run.optimizer, lr, batch_size, w0, b0, factor, options, run.options)


SHORT_NAMES = {"sgd": "cmp_sgd"}  # the optimizer's translation key where its menu name is long


def names(runs: list[Resolved], t, n: int) -> list[str]:
    """Each run named by what differs between the runs ("Adam, lr 0.1"), as its legend shows it;
    by optimizer and lr when nothing differs. Runs alike in every part get a number too."""
    parts = {
        "optimizer": [t(SHORT_NAMES.get(r.optimizer, f"optimizer_{r.optimizer}")) for r in runs],
        "lr": [
            t("cmp_lr", lr=r.lr)
            if r.factor is None
            else t("cmp_lr_relative", lr=r.lr, factor=r.factor)
            for r in runs
        ],
        "batch": [
            t("cmp_batch_full", n=n) if r.batch_size == n else t("cmp_batch", size=r.batch_size)
            for r in runs
        ],
        "options": [
            ", ".join(f"{name} {value:g}" for name, value in r.written) or t("cmp_options_default")
            for r in runs
        ],
        "start": [
            t("cmp_start_book")
            if r.w0 is None
            else t("cmp_start", values=", ".join(f"{v:g}" for v in (*r.w0, r.b0)))
            for r in runs
        ],
    }
    differ = [key for key, texts in parts.items() if len(set(texts)) > 1] or ["optimizer", "lr"]
    labels = [t("cmp_separator").join(parts[key][i] for key in differ) for i in range(len(runs))]
    return [
        f"{label} ({i + 1})" if labels.count(label) > 1 else label for i, label in enumerate(labels)
    ]
