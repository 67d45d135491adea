"""The Streamlit side shared by the pages: session controls, cached runs, the visualiser page."""
