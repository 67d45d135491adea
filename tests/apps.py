"""The app under Streamlit's AppTest, started the same way by every app test."""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


@cache
def components() -> BidiComponentManager:
    """The installed packages' components, found once, as a server finds them once."""
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def new_app() -> AppTest:
    """The app, not run yet.

    A new AppTest reads every installed package's metadata for components on its first run:
    0.1 s, most of what a run of this app costs. The tests share one reading, as a server's
    sessions do.
    """
    at = AppTest.from_file(str(APP), default_timeout=60)
    at._bidi_component_manager = components()
    return at


def rerun(at: AppTest) -> AppTest:
    """Run the app again (after a widget changed); no uncaught exception."""
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def start(query: dict | None = None) -> AppTest:
    """The app opened with this query string, run once."""
    at = new_app()
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return rerun(at)


class _TableReader(HTMLParser):
    """The header and rows of a `ui.html_table` table: a number cell's exact data-value, as a
    float, else its text."""

    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.rows: list[list[object]] = []
        self._cell: list[str] | None = None
        self._value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr" and self.header:
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell, self._value = [], dict(attrs).get("data-value")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("td", "th") or self._cell is None:
            return
        text = "".join(self._cell)
        if tag == "th":
            self.header.append(text)
        else:
            self.rows[-1].append(float(self._value) if self._value is not None else text)
        self._cell = None


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Every HTML table the page shows (`ui.html_table`), in order."""
    frames = []
    for element in at.get("html"):
        if 'class="gdv-table"' in element.proto.body:
            reader = _TableReader()
            reader.feed(element.proto.body)
            frames.append(pd.DataFrame(reader.rows, columns=reader.header))
    return frames


def printed_lines(at: AppTest) -> str:
    """The lines the page prints (`ui.html_table.show_lines`), as text."""
    bodies = [e.proto.body for e in at.get("html") if 'class="gdv-lines"' in e.proto.body]
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", body)) for body in bodies)


def open_groups(at: AppTest) -> AppTest:
    """Unfold the sidebar's folded groups (`ui.state.folded_group`), as a click on each does."""
    for name in ("advanced", "variants"):
        at.session_state[f"group_{name}"] = True
    return rerun(at)
