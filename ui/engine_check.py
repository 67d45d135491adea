"""The check panel: autograd against the hand-written gradients, both engines, on demand."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from linreg_core.dataset import Data
from linreg_core.limits import COST_BUDGET_S
from linreg_core.plan import TrainSpec
from ui.runs import compare_engines, spec_seconds

CHECKED = "engine_check"  # (data key, spec, EngineCheck) of the last check on this page


def engine_check(tr, data_key: tuple, data: Data, spec: TrainSpec) -> None:
    """Autograd against the hand-written gradients: both engines on these settings, on demand."""
    with st.expander(tr("check_title")):
        st.caption(tr("check_help"))
        n = len(data.y)
        seconds = sum(spec_seconds(n, replace(spec, engine=e)) for e in ("numpy", "torch"))
        if seconds > COST_BUDGET_S:
            st.info(tr("check_too_costly", seconds=seconds, budget=COST_BUDGET_S))
            return
        if st.button(tr("check_run"), key="check_run"):
            st.session_state[CHECKED] = (data_key, spec, compare_engines(data, spec))
        checked = st.session_state.get(CHECKED)
        if checked is None or checked[:2] != (data_key, spec):
            return
        check = checked[2]
        cols = st.columns(4)
        cols[0].metric(tr("check_dw"), f"{check.max_dw:.3g}")
        cols[1].metric(tr("check_db"), f"{check.max_db:.3g}")
        cols[2].metric(tr("check_numpy_time"), f"{check.numpy_s * 1000:.1f} ms")
        cols[3].metric(tr("check_torch_time"), f"{check.torch_s * 1000:.1f} ms")
        verdict = "check_agree" if check.agree else "check_differ"
        st.caption(tr(verdict, updates=check.updates, dtype=spec.dtype, rounding=check.rounding))
