"""The closed form (解析解): the normal equation, and how gradient descent's answer compares."""

from __future__ import annotations

import numpy as np
import streamlit as st

from linreg_core import parameter_names
from ui import budget, data_choice, navigation, specs, state
from ui.html_table import show_table

tr = navigation.page_setup()
st.title(tr("closed_form_title"))
st.markdown(tr("closed_form_intro"))
st.latex(
    r"\hat{\boldsymbol\theta} = (\mathbf{X}_a^\top \mathbf{X}_a)^{-1}\mathbf{X}_a^\top \mathbf{y},"
    r"\qquad \mathbf{X}_a = [\mathbf{X}, \mathbf{1}]"
)
st.markdown(tr("closed_form_stable"))
key, data = data_choice.current_data()
quad = data.quad
exact = np.append(*data.closed)
table = {tr("col_parameter"): parameter_names(quad.d), tr("col_least_squares"): exact}
try:
    shown = budget.checked_run(key, specs.train_spec(quad.d, len(data.y)), data)
except ValueError as error:
    st.error(tr("run_refused", reason=str(error)), icon="🚫")
else:
    learned = np.append(shown.outcome.w, shown.outcome.b)
    table |= {tr("col_learned"): learned, tr("col_gap"): exact - learned}
show_table(table)
cols = st.columns(3)
cols[0].metric(tr("metric_min_loss"), f"{quad.loss_star:.6g}")
cols[1].metric(tr("metric_limit"), f"{data.limit:.4g}")
cols[2].metric(tr("metric_condition"), f"{quad.condition_number():.3g}")
st.markdown(tr("closed_form_condition"))
state.sync_url()
