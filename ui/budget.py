"""What a page may ask of the server: the cost budget, the queue's note, and a checked run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

import streamlit as st

from linreg_core import MAX_UPDATES, num_updates
from linreg_core.cost import examples_read
from linreg_core.limits import COST_BUDGET_S, HEAVY_SECONDS
from linreg_core.plan import TrainSpec
from linreg_viz import settings
from linreg_viz.view_spec import ViewSpec
from ui import runs, specs, turns
from ui.state import t


def within_budget(field: str, value: int, seconds: Callable[[int], float], work: str) -> None:
    """Nothing if `seconds(value)`, the CPU seconds this page asks with field=value, is within
    the budget (`COST_BUDGET_S`); else ValueError with a translated message naming the
    field, its value, the work (`work`, already translated) and the most the field may be."""
    cost = seconds(value)
    if cost <= COST_BUDGET_S:
        return
    low, high = settings.FIELDS[field].low, value
    if seconds(low) > COST_BUDGET_S:
        raise ValueError(
            t()(
                "cost_too_much_at_low",
                field=field,
                value=value,
                seconds=cost,
                work=work,
                budget=COST_BUDGET_S,
                low=low,
            )
        )
    while high - low > 1:  # the largest value within the budget: the cost grows with it
        middle = (low + high) // 2
        low, high = (middle, high) if seconds(middle) <= COST_BUDGET_S else (low, middle)
    raise ValueError(
        t()(
            "cost_too_much",
            field=field,
            value=value,
            seconds=cost,
            work=work,
            budget=COST_BUDGET_S,
            allowed=low,
        )
    )


def run_work(n: int, spec: TrainSpec, runs_count: int = 1) -> str:
    """The work a run asks, in words: its updates and the examples it reads (times runs_count)."""
    updates = runs_count * num_updates(n, spec.batch_size, spec.epochs, spec.drop_last)
    examples = runs_count * examples_read(n, spec.batch_size, spec.epochs, spec.drop_last)
    return t()("cost_work", updates=updates, examples=examples)


class QueueNote:
    """The note a page shows while its run waits: its own place in the queue of heavy runs, or
    that another tab is computing the same run. Pass the object as the run's `wait`."""

    def __init__(self):
        self.slot, self.check, self.shown = st.empty(), runs.page_check(), None

    def __call__(self, place: int | None = None) -> None:
        key = "run_shared" if place is None else "run_queued"
        if (key, place) != self.shown:
            self.slot.info(t()(key, place=place), icon="⏳")
            self.shown = (key, place)
        self.check()

    def clear(self) -> None:
        if self.shown is not None:
            self.slot.empty()


def checked_run(data_key: tuple, spec: TrainSpec, data, view: ViewSpec | None = None) -> runs.Shown:
    """The run for these controls as the page shows it (as `view` says, else as the visualiser
    shows it); ValueError with a translated message if it asks too much. While it waits for its
    turn, a note here shows its place in the queue."""
    n = len(data.y)
    updates = num_updates(n, spec.batch_size, spec.epochs, spec.drop_last)
    if updates > MAX_UPDATES:  # memory: the whole run is held while it is drawn
        raise ValueError(t()("too_many_updates", updates=updates, cap=MAX_UPDATES))
    within_budget(
        "epochs",
        spec.epochs,
        lambda epochs: runs.spec_seconds(n, replace(spec, epochs=epochs)),
        run_work(n, spec),
    )
    note = QueueNote()
    shown = runs.shown_run(data_key, spec, view or specs.view_spec(data.quad.d), data, note)
    note.clear()
    return shown


@contextmanager
def page_turn(seconds: float) -> Iterator[None]:
    """All of a page's work, its data and every run, in one turn of the queue of heavy runs
    (`turns.py`) if its runs cost `seconds` of at least HEAVY_SECONDS and within the budget (a
    page over it is refused at once), its place shown here while it waits. A hundred such tabs
    then draw their data one at a time, not all at once ahead of another visitor's page."""
    if not HEAVY_SECONDS <= seconds <= COST_BUDGET_S:
        yield
        return
    note = QueueNote()
    with turns.turn(note):
        note.clear()
        yield
