"""The visualiser (the page at "/"): choose data and training, watch gradient descent find w and b."""

from ui import common, visualiser

common.page_setup()
visualiser.main()
common.sync_url()
