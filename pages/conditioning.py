"""Conditioning (/conditioning): badly scaled or correlated features, and what standardising does."""

from ui import common, conditioning

common.page_setup()
conditioning.main()
common.sync_url()
