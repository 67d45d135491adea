"""The closed form (解析解): the normal equation, and how gradient descent's answer compares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ui import common
from ui.runs import train_run


def main() -> None:
    tr = common.page_setup()
    st.title(tr("closed_form_title"))
    st.markdown(tr("closed_form_intro"))
    st.latex(r"\hat{\boldsymbol\theta} = (\mathbf{X}_a^\top \mathbf{X}_a)^{-1}\mathbf{X}_a^\top \mathbf{y},"
             r"\qquad \mathbf{X}_a = [\mathbf{X}, \mathbf{1}]")  # fmt: skip
    st.markdown(tr("closed_form_stable"))
    key, data = common.current_data()
    quad, limit, (w_star, b_star) = data.quad, data.limit, data.closed
    trajectory = train_run(key, common.training_key(quad.d, len(data.y)), data)
    eigenvalues = np.linalg.eigvalsh(quad.hessian)
    names = [f"w{i + 1}" for i in range(quad.d)] + ["b"]
    learned = np.append(trajectory.ws[-1], trajectory.bs[-1])
    exact = np.append(w_star, b_star)
    st.dataframe(
        pd.DataFrame(
            {
                tr("col_parameter"): names,
                tr("col_least_squares"): exact,
                tr("col_learned"): learned,
                tr("col_gap"): exact - learned,
            }
        ),
        hide_index=True,
    )
    cols = st.columns(3)
    cols[0].metric(tr("metric_min_loss"), f"{quad.loss_star:.6g}")
    cols[1].metric(tr("metric_limit"), f"{limit:.4g}")
    cols[2].metric(tr("metric_condition"), f"{eigenvalues[-1] / eigenvalues[0]:.3g}")
    st.markdown(tr("closed_form_condition"))


main()
common.sync_url()
