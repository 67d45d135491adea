"""Tables as plain HTML: text that scales with the page (projection mode), wraps on a phone, and
needs none of the data-frame grid's code on the first screen."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import streamlit as st

NUMBER_DIGITS = 6  # significant digits shown; the exact value rides along in data-value


def cell(value: object) -> str:
    """One cell: text as given (escaped), a number to NUMBER_DIGITS digits with its exact value."""
    if isinstance(value, str):
        return f"<td>{html.escape(value)}</td>"
    number = float(value)
    integer = isinstance(value, (int, np.integer))
    shown = f"{int(number):,}" if integer else f"{number:.{NUMBER_DIGITS}g}"
    return f'<td class="gdv-num" data-value="{number!r}">{shown}</td>'


def html_table(columns: dict[str, Sequence]) -> str:
    """Columns (header -> values, all one length) as a <table class="gdv-table">."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name in columns)
    rows = zip(*columns.values(), strict=True)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    return f'<table class="gdv-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def show_table(columns: dict[str, Sequence]) -> None:
    """The table on the page."""
    st.html(html_table(columns))


def show_lines(lines: Sequence[str]) -> None:
    """Lines as printed (the book's per-epoch lines): monospaced, no highlighter."""
    st.html(f'<pre class="gdv-lines">{html.escape(chr(10).join(lines))}</pre>')
