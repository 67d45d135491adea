"""Compare runs (at "/compare"): up to four runs on the same data, on one clock in epochs."""

from __future__ import annotations

import streamlit as st

from ui import (
    budget,
    charts,
    compare_controls,
    compare_runs,
    data_choice,
    navigation,
    numbers,
    state,
)
from ui.compare_controls import LAST_GOOD
from ui.player import player

tr = navigation.page_setup()
with st.sidebar:
    data_choice.data_controls(tr)
    st.subheader(tr("group_view"))
    state.choice_control("landscape", tr("field_landscape"))
    state.choice_control("speed", tr("field_speed"))
st.title(tr("compare_title"))
# On a projector the charts come first: the choices fold away under one line.
with st.expander(tr("cmp_choose"), expanded=not state.values()["projection"]):
    st.markdown(tr("compare_intro"))
    value = compare_controls.choose(tr)
data_key, data = data_choice.current_data()
epochs = int(state.values()["epochs"])
try:
    runs = compare_runs.resolved(tr, value, data)
    n = len(data.y)
    budget.within_budget(
        "epochs",
        epochs,
        lambda e: compare_runs.total_seconds(runs, n, e),
        compare_runs.total_work(runs, n, epochs),
    )
    compared = compare_runs.shown(data_key, data, runs, epochs)
    st.session_state[LAST_GOOD] = (value, compared)
except ValueError as error:
    if LAST_GOOD not in st.session_state:  # a link's comparison, nothing on screen yet
        state.fall_back(("runs", "epochs"), str(error))
    st.error(tr("run_refused", reason=str(error)), icon="🚫")
if LAST_GOOD in st.session_state:  # else the refused comparison was a link's: nothing to show
    compared = st.session_state[LAST_GOOD][1]
    player(compared.player, key="cmp_player")
    charts.show_views(compared.figures, compare_runs.CHART_KEY)
    numbers.comparison_results(tr, compared)
state.sync_url()
