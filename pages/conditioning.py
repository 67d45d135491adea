"""Conditioning (/conditioning): badly scaled or correlated features, and what standardising does."""

from __future__ import annotations

import streamlit as st

from ui import budget, charts, controls, data_choice, navigation, numbers, state
from ui.conditioning_specs import (
    DATA_FIELDS,
    NOT_USED,
    RUN_FIELDS,
    SIDES,
    data_key,
    page_seconds,
    train_spec,
    view_spec,
)
from ui.html_table import show_table
from ui.runs import conditioned

LAST_GOOD = "conditioning_shown"  # (lr, sides) last shown: what stays when a change is refused

tr = navigation.page_setup()
v = state.values()
with st.sidebar:
    controls.conditioning_controls(tr)
st.title(tr("cond_title"))
state.not_used(NOT_USED)
projection = bool(v["projection"])
# On a projector the two sides come first, the words and the table after them.
intro = st.expander(tr("cond_about"), expanded=False) if projection else st.container()
intro.markdown(tr("cond_intro"))
# A heavy page waits its turn before drawing its data (100,000 examples a side), then runs both
# sides in that turn.
with budget.page_turn(page_seconds(int(v["n"]))):
    made = data_choice.checked_data(lambda: conditioned(*data_key()), DATA_FIELDS)
    *args, scale, rho = data_key()
    data = dict(zip(SIDES, made, strict=True))
    lr = float(v["lr_ratio"]) * data["raw"].limit
    spec = train_spec(lr, len(data["raw"].y))
    n = len(data["raw"].y)
    sides = {}
    try:
        budget.within_budget(
            "steps",
            int(v["steps"]),
            lambda steps: page_seconds(n, steps),
            budget.run_work(n, spec, len(SIDES)),
        )
        for side, side_data in data.items():
            key = ("conditioning", side, *args, scale, rho)
            shown = budget.checked_run(key, spec, side_data, view_spec(side))
            sides[side] = (side_data, shown)
    except ValueError as error:
        if LAST_GOOD not in st.session_state:  # a link's run, nothing on screen yet
            state.fall_back(RUN_FIELDS, str(error))
        st.error(tr("run_refused", reason=str(error)), icon="🚫")
    else:
        st.session_state[LAST_GOOD] = (lr, sides)
if LAST_GOOD in st.session_state:  # else the refused run was a link's, and nothing is shown
    lr, sides = st.session_state[LAST_GOOD]
    if not (v["full_batch"] and spec.optimizer == "sgd"):
        st.info(tr("cond_theory_for_gd"), icon="ℹ️")
    table = st.container()
    st.caption(tr("cond_together"))
    for column, (side, (_, shown)) in zip(st.columns(2, gap="medium"), sides.items(), strict=True):
        with column:
            charts.show_side(tr, side, shown)
    with st.container() if projection else table:
        show_table(numbers.conditioning_numbers(tr, lr, sides))
    st.markdown(tr("cond_explanation"))
state.sync_url()
