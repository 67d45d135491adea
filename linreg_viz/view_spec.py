"""How a run is shown (`ViewSpec`): the view choices a page passes whole to the views and the player."""

from __future__ import annotations

from dataclasses import dataclass

CHART_KEY = "gdv_{}"  # st.plotly_chart key of each view; the player finds charts by it


@dataclass(frozen=True)
class ViewSpec:
    """How a run is shown: language, landscape, its two axes, playback speed, projection mode;
    the charts' keys (two runs on one page need their own), the data view, equal axis scales,
    the group of players that play together (see `payload`), and the update equation."""

    lang: str = "en"
    landscape: str = "both"
    axes: tuple[str, str] = ("w1", "w2")
    speed: str = "normal"
    projection: bool = False
    arrows: bool = True
    chart_key: str = CHART_KEY
    with_data: bool = True
    equal_axes: bool = False
    group: str = ""
    equation: bool = True
