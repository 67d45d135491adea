"""The visualiser (the page at "/"): choose data and training, watch gradient descent find w and b."""

from __future__ import annotations

import streamlit as st

from ui import budget, charts, controls, data_choice, downloads, navigation, numbers, specs, state
from ui.engine_check import engine_check
from ui.player import player

LAST_GOOD = "last_good_run"  # what stays on screen when a new request is refused

tr = navigation.page_setup()
with st.sidebar:
    lost = data_choice.data_controls(tr)
if lost:  # other data under the file's name would mislead: nothing is drawn until it is back
    st.title(tr("visualiser_title"))
    st.warning(tr("upload_lost"), icon="📄")
else:
    data_key, data = data_choice.current_data()
    n, d = data.X.shape
    v = state.values()
    limit = data.objective(str(v["loss"]), float(v["weight_decay"])).stability_limit()
    with st.sidebar:
        controls.training_controls(tr, limit, n, d)
        controls.view_controls(tr, d)
    spec = specs.train_spec(d, n)
    st.title(tr("visualiser_title"))
    if spec.optimizer == "sgd" and spec.lr >= limit:  # the limit is plain GD's
        st.warning(tr("lr_too_large", lr=spec.lr, limit=limit), icon="⚠️")
    try:
        shown = budget.checked_run(data_key, spec, data)
        # shared or the session's own: no copy
        st.session_state[LAST_GOOD] = (data_key, data, spec, shown)
    except ValueError as error:
        if LAST_GOOD not in st.session_state:  # a link's run, nothing on screen yet
            state.fall_back(specs.TRAINING_FIELDS, str(error))
        st.error(tr("run_refused", reason=str(error)), icon="🚫")
    if LAST_GOOD in st.session_state:  # else the refused run was a link's, and nothing is shown
        shown_key, data, spec, shown = st.session_state[LAST_GOOD]
        if shown.outcome.diverged_at is not None:
            st.error(tr("diverged_at", step=shown.outcome.diverged_at), icon="💥")
        player(shown.player)
        charts.show_views(shown.figures)
        numbers.run_numbers(tr, shown.outcome, data, data.objective(spec.loss, spec.weight_decay))
        engine_check(tr, shown_key, data, spec)
        downloads.exports(tr, shown_key, data, spec, shown)
        downloads.reproduce(tr, shown_key, spec, data.X.shape[1])
state.sync_url()
