"""The app under Streamlit's AppTest, started the same way by every app test."""

from __future__ import annotations

from functools import cache
from pathlib import Path

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
