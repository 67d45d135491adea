"""The player on the page: a Streamlit component that runs linreg_viz/player.js in the page itself.

With `isolate_styles=False` the component's script runs in the app's own document (no iframe),
so it can reach `window.Plotly` and the page's `st.plotly_chart`s, which it finds by their keys.
"""

from __future__ import annotations

import functools

import streamlit as st

from linreg_viz.player import PLAYER_CSS, PLAYER_JS

_MOUNT = """
export default function (component) {
  const root = component.parentElement.querySelector(".gdv-root");
  return window.GDVPlayer.mount(root, component.data);
}
"""


@functools.cache
def _component():
    """The component, registered on first use inside a script run (not at import time)."""
    return st.components.v2.component(
        "gdv_player",
        html="<div class='gdv-root'></div>",
        css=PLAYER_CSS,
        js=PLAYER_JS + _MOUNT,
        isolate_styles=False,
    )


def player(blob: bytes, key: str = "gdv_player") -> None:
    """The play controls and the step readout, driving every chart of the run in `blob`."""
    _component()(key=key, data=blob)
