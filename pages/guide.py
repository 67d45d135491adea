"""How to use the visualiser, in a lecture hall and at a desk."""

import streamlit as st

from linreg_core.limits import MAX_POINTS
from ui import common


def main() -> None:
    tr = common.page_setup()
    st.title(tr("guide_title"))
    sections = (
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
    for section in (f"guide_{name}" for name in sections):
        st.subheader(tr(section + "_heading"))
        st.markdown(tr(section, points=MAX_POINTS))


main()
common.sync_url()
