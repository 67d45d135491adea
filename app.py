"""Gradient descent, visible: the entry and its first page, the visualiser (`streamlit run app.py`).

The other pages are the scripts in pages/, Streamlit's multipage folder; the sidebar links to
each under a translated name (the folder's own, untranslatable list is hidden in the config).
"""

from ui import common, visualiser

common.page_setup()
visualiser.main()
common.sync_url()
