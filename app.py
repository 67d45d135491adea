"""Gradient descent, visible (`streamlit run app.py`): the entry, which runs the page a URL names.

The pages are the scripts in pages/, listed with their URL paths and translated titles in
`ui.navigation.PAGES`; the sidebar's navigation shows them in the session's language.
"""

from ui import navigation

navigation.run_page()
