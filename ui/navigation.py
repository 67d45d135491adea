"""The pages, the sidebar's navigation among them, and what every page does first."""

from __future__ import annotations

import contextvars

import streamlit as st

from linreg_viz.i18n import LANGUAGES, Translator
from ui.page_css import page_css
from ui.state import control, show_url_notices, t, values

# One line a page: its script, its URL path ("" for the default page, at "/") and the key of
# its title in the translation table. The first page is the default.
PAGES = (
    ("pages/visualiser.py", "", "page_visualiser"),
    ("pages/closed_form.py", "closed_form", "page_closed_form"),
    ("pages/guide.py", "guide", "page_guide"),
    ("pages/conditioning.py", "conditioning", "page_conditioning"),
    ("pages/compare.py", "compare", "page_compare"),
)
_NAVIGATED = contextvars.ContextVar("navigated", default=False)  # set while app.py runs a page


def navigation() -> st.Page:
    """Every page in the sidebar under its translated title; the page this URL asks for."""
    tr = t()
    pages = [
        st.Page(script, title=tr(key), url_path=url_path, default=not url_path)
        for script, url_path, key in PAGES
    ]
    return st.navigation(pages)


def run_page() -> None:
    """The entry's work: set the navigation, then run the page the URL asks for."""
    page = navigation()
    token = _NAVIGATED.set(True)
    try:
        page.run()
    finally:
        _NAVIGATED.reset(token)


def page_setup() -> Translator:
    """What every page does first: page config, language, projection mode, navigation."""
    if not _NAVIGATED.get():
        # Streamlit ran this script straight from the pages/ folder, not through app.py: with a
        # pages/ folder beside the entry it does so until a run calls st.navigation (a server's
        # first run, if it is for a page other than "/"; every AppTest run). Setting the
        # navigation here shows the same menu, and turns that mode off for the server.
        navigation()
    st.set_page_config(
        page_title=t()("app_title"),
        page_icon="📉",
        layout="wide",
        initial_sidebar_state="collapsed" if values()["projection"] else "auto",
    )
    sidebar_header()
    page_css()
    show_url_notices()
    return t()


def sidebar_header() -> None:
    """Language and projection mode: on every page, at the top of the sidebar."""
    with st.sidebar:
        control(
            st.radio, "lang", t()("language_switch"), format_func=LANGUAGES.get, horizontal=True
        )
        control(st.toggle, "projection", t()("projection_mode"), help=t()("projection_help"))
