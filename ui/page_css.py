"""The page's styles: text that wraps, and large type for a projector."""

from __future__ import annotations

import streamlit as st

from ui.state import values

# The page's own elements (HTML tables, printed lines) and Streamlit's metrics and buttons: text
# wraps rather than being cut, and in projection mode every number a teacher points at is large.
# Code and printed lines use the system's monospace font: Streamlit's Source Code Pro would cost
# every first visit 90 KB for a few words (tests/test_replicas.py counts a first visit's bytes).
PAGE_CSS = """
.gdv-table {border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0.25rem 0 1rem;}
.gdv-table th, .gdv-table td {padding: 0.2em 0.6em; border-bottom: 1px solid #d5d8de;
  text-align: left; vertical-align: top; overflow-wrap: anywhere;}
.gdv-table th {font-weight: 600; border-bottom: 2px solid #888;}
.gdv-table td.gdv-num {text-align: right; white-space: nowrap;}
.gdv-lines, [data-testid='stAppViewContainer'] code {font-family: ui-monospace, "DejaVu Sans Mono",
  "Liberation Mono", Menlo, Consolas, monospace;}
.gdv-lines {font-size: 0.9em; background: #f4f5f7;
  padding: 0.6em 0.9em; border-radius: 0.4rem; white-space: pre-wrap; overflow-wrap: anywhere;}
[data-testid='stMain'] [data-testid='stMetricValue'] * {white-space: normal; overflow: visible;
  text-overflow: clip; overflow-wrap: anywhere; line-height: 1.15;}
[data-testid='stMain'] [data-testid='stMetricLabel'] * {white-space: normal; overflow: visible;}
.stElementContainer:has(.gdv-player), .stElementContainer:has(.gdv-player) div:has(.gdv-player),
.gdv-player {display: contents;}
.stMain .gdv-head {top: 3.75rem;}
[data-testid='stDownloadButton'] button, [data-testid='stBaseButton-secondary'] {height: auto;}
[data-testid='stDownloadButton'] button *, .stButton button * {white-space: normal;
  overflow: visible; text-overflow: clip;}
"""
PROJECTION_CSS = """
html, body, [data-testid='stAppViewContainer'] p, li, label, td, th {font-size: 22px;}
[data-testid='stMain'] [data-testid='stMetricValue'] * {font-size: 40px;}
[data-testid='stMain'] [data-testid='stMetricLabel'] * {font-size: 24px;}
[data-testid='stMain'] .gdv-table :is(td, th) {font-size: 30px;}
[data-testid='stMain'] .gdv-lines {font-size: 28px;}
[data-testid='stSidebar'] {min-width: 0;}
.block-container {padding-top: 3rem; max-width: 100%;}
"""


def page_css() -> None:
    """The page's styles; large type and tucked-away controls for a projector."""
    projection = PROJECTION_CSS if values()["projection"] else ""
    st.html(f"<style>{PAGE_CSS}{projection}</style>")
