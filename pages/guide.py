"""How to use the visualiser, in a lecture hall and at a desk."""

import streamlit as st

from linreg_viz.timeline import MAX_POINTS
from ui import common


def main() -> None:
    tr = common.page_setup()
    st.title(tr("guide_title"))
    for section in ("guide_what", "guide_play", "guide_keys", "guide_projection", "guide_links"):
        st.subheader(tr(section + "_heading"))
        st.markdown(tr(section, points=MAX_POINTS))


main()
common.sync_url()
