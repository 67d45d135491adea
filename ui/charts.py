"""The views on the page: Plotly charts, two to a row, that the player drives."""

from __future__ import annotations

import streamlit as st

from linreg_viz.figures import is_3d
from linreg_viz.i18n import Translator
from linreg_viz.view_spec import CHART_KEY
from ui.conditioning_specs import view_spec
from ui.player import player
from ui.runs import Shown

# Plotly's camera button saves a view as PNG in the browser, at twice the screen's size. WebGL
# scenes drawn at one pixel per CSS pixel: half the work of the default 2 on a software renderer.
PLOT_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "plotGlPixelRatio": 1,
}


def show_views(figures: dict, chart_key: str = CHART_KEY) -> None:
    """The views two to a row, a 3-D view wider than a 2-D one beside it; stacked on a phone.
    `chart_key` names each chart, for the player to find: a page's own (gdv_{} here)."""
    names = list(figures)
    for row in (names[i : i + 2] for i in range(0, len(names), 2)):
        widths = [3 if is_3d(figures[name]) else 2 for name in row]
        for column, name in zip(st.columns(widths, gap="medium"), row, strict=True):
            with column:
                st.plotly_chart(
                    figures[name], theme=None, key=chart_key.format(name), config=PLOT_CONFIG
                )


def show_side(tr: Translator, side: str, shown: Shown) -> None:
    """One side: its title, a diverged run's message, its player, its contour and loss charts."""
    st.subheader(tr(f"cond_{side}"))
    st.caption(tr(f"cond_{side}_note"))
    if shown.outcome.diverged_at is not None:
        st.error(tr("diverged_at", step=shown.outcome.diverged_at), icon="💥")
    player(shown.player, key=f"cond_{side}_player")
    key = view_spec(side).chart_key
    for name, figure in shown.figures.items():
        st.plotly_chart(figure, theme=None, key=key.format(name), config=PLOT_CONFIG)
