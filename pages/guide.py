"""How to use the visualiser, in a lecture hall and at a desk."""

import streamlit as st

from linreg_core.limits import MAX_POINTS
from ui import navigation, state

SECTIONS = (
    "what",
    "play",
    "step",
    "keys",
    "projection",
    "links",
    "lessons",
    "compare",
    "conditioning",
)

tr = navigation.page_setup()
st.title(tr("guide_title"))
for section in (f"guide_{name}" for name in SECTIONS):
    st.subheader(tr(section + "_heading"))
    st.markdown(tr(section, points=MAX_POINTS))
state.sync_url()
