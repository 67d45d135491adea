"""Compare runs (at "/compare"): up to four runs on the same data, on one clock in epochs."""

from ui import common, compare

common.page_setup()
compare.main()
common.sync_url()
