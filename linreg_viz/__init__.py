"""Figures and words for the visualiser: pure Plotly builders and the translation table."""
