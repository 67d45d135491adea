"""The compare page's choices: presets, the runs row by row and as the link writes them."""

from __future__ import annotations

import streamlit as st

from linreg_core import OPTIMIZERS
from linreg_core.limits import MAX_RUNS
from linreg_viz import comparison
from linreg_viz.i18n import literal
from linreg_viz.settings import FIELDS
from linreg_viz.written_options import written
from ui import state

LAST_GOOD = "last_good_comparison"  # (runs, Compared) last shown: what stays when one is refused


def choose(tr) -> str:
    """The presets as buttons, the runs row by row and as the link writes them, and the epochs
    every run trains for."""
    st.caption(tr("cmp_presets"))
    for column, name in zip(st.columns(len(comparison.PRESETS)), comparison.PRESETS, strict=True):
        column.button(
            tr(f"cmp_preset_{name}"),
            key=f"preset_{name}",
            on_click=pick,
            args=(name,),
            width="stretch",
        )
    rows = st.container()  # filled once the text below is read
    left, right = st.columns([3, 1])
    with left:
        raw = state.control(
            st.text_input, "runs", tr("cmp_field_runs"), help=tr("cmp_runs_help", most=MAX_RUNS)
        )
    with right:
        state.control(st.slider, "epochs", tr("field_epochs"))
    try:
        value = state.values()["runs"] = comparison.canonical(str(raw))  # the link's exact form
    except ValueError:
        key, fields = FIELDS["runs"].allowed()
        st.error(tr("cmp_runs_bad", value=literal(raw), allowed=tr(key, **fields)), icon="⚠️")
        value = st.session_state.get(LAST_GOOD, (comparison.DEFAULT,))[0]
        state.values()["runs"] = value  # the link and the next run's text: what is shown
    with rows:
        run_rows(tr, value)
    return value


ROW_PARTS = ("opt", "options", "lr", "batch", "start")  # a row's widgets: cmp_opt_0, …
ROW_ERROR = "cmp_row_error"  # (row, text) of a row edited into something not allowed


def run_rows(tr, value: str) -> None:
    """The runs one row each: optimizer, its options, lr, batch size, start; remove one, add one.
    They show the comparison's runs, and an edit writes them back, as the text above would."""
    runs = comparison.parse_runs(value)
    labels = (
        tr("field_optimizer"),
        tr("cmp_field_options"),
        tr("cmp_field_lr"),
        tr("field_batch_size"),
        tr("cmp_field_start"),
    )
    for i, run in enumerate(runs):
        lr, batch, *start = run.text().split(":")[1:]
        parts = [run.optimizer, run.options_text(), lr, batch, "".join(start)]  # "": book's start
        cells = st.columns([3, 3, 2, 2, 3, 1], vertical_alignment="bottom")
        for cell, part, label, shown in zip(cells, ROW_PARTS, labels, parts, strict=False):
            st.session_state[f"cmp_{part}_{i}"] = shown
            visibility = "visible" if i == 0 else "collapsed"
            arguments = {"key": f"cmp_{part}_{i}", "on_change": edit, "args": (len(runs),)}
            if part == "opt":
                cell.selectbox(
                    label,
                    list(OPTIMIZERS),
                    format_func=lambda k: tr(f"optimizer_{k}"),
                    label_visibility=visibility,
                    **arguments,
                )
            elif part == "options":  # empty: torch's defaults, the first of them as a hint
                name, first = next(iter(written(run.optimizer).items()))
                example = f"{name}={1 if first.is_flag else first.default}"
                hint = tr("cmp_options_hint", example=example)
                cell.text_input(label, label_visibility=visibility, placeholder=hint, **arguments)
            else:
                cell.text_input(label, label_visibility=visibility, **arguments)
        cells[5].button(
            "✕",
            key=f"cmp_remove_{i}",
            help=tr("cmp_remove"),
            on_click=edit,
            args=(len(runs), i),
            disabled=len(runs) == 1,
        )
    if len(runs) < MAX_RUNS:
        st.button(tr("cmp_add"), key="cmp_add", on_click=edit, args=(len(runs), None, True))
    if ROW_ERROR in st.session_state:
        row, text = st.session_state.pop(ROW_ERROR)
        key, fields = FIELDS["runs"].allowed()
        message = tr("cmp_row_bad", row=row, value=literal(text), allowed=tr(key, **fields))
        st.error(message, icon="⚠️")


def edit(count: int, remove: int | None = None, add: bool = False) -> None:
    """The runs as the rows now say, less a removed one or with the last one repeated."""
    texts = []
    for i in range(count):
        opt, options, lr, batch, start = (
            str(st.session_state[f"cmp_{p}_{i}"]).strip() for p in ROW_PARTS
        )
        opt += f"({options})" if options else ""
        texts.append(":".join([opt, lr, batch] + ([start] if start else [])))
    for row, text in enumerate(texts, start=1):
        try:
            comparison.parse_run(text)
        except ValueError:
            st.session_state[ROW_ERROR] = (row, text)
            return
    if remove is not None:
        del texts[remove]
    if add:
        texts.append(texts[-1])
    state.set_control("runs", comparison.canonical(";".join(texts)))


def pick(name: str) -> None:
    """A preset's runs, and the epochs that show its lesson."""
    state.set_control("runs", name)
    state.set_control("epochs", comparison.PRESETS[name][1])
