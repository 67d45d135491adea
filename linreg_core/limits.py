"""How much one run, one link, one file, one page and one server may ask: numbers only.

Each limit is typed here once, with why it is what it is; the modules that enforce a limit, and
the texts and tests that name it, import it from here.
"""

# The engine: the work one run may ask for.
MAX_EXAMPLES = 2_000_000  # rows of data: bounds the work one request can ask of a shared server
MAX_FEATURES = 10  # columns of data
MAX_UPDATES = 2_000_000  # a request for more updates than this is refused: bounded work per request
MAX_REPLAY = 20_000  # updates whose optimizer state is replayed one by one (~0.1 s); no more
CHUNK_ELEMENTS = 1 << 20  # examples in one chunk of a run at most: bounds a chunk's memory

# A link: anyone's to write, so each value is bounded before it is read.
# Characters in a number: repr of a float is at most 24 ("-2.2250738585072014e-308"), an
# integer field's at most 10; the rest is room for spaces, a sign and leading zeros.
MAX_NUMBER_LENGTH = 32
MAX_N = 100_000  # examples: synthetic, in a batch or uploaded; bounded work for a shared server
MAX_RUNS = 4  # runs in one comparison (`runs=`)
MAX_UNKNOWN_NOTICES = 3  # a link may carry 1,000 parameters; name a few, count the rest
LITERAL_LIMIT = 40  # characters of a link's (or a file's) text that a message repeats

# An uploaded CSV file. MAX_UPLOAD_MB is also the server's own limit, server.maxUploadSize in
# .streamlit/config.toml (a TOML file imports nothing; tests/test_uploads.py checks they agree).
MAX_UPLOAD_MB = 10
MAX_BYTES = MAX_UPLOAD_MB * 2**20  # Streamlit's megabyte
MAX_ROWS = MAX_N  # a table holds at most as many examples as synthetic data may
SNIFF_CHARS = 8192  # how much of the text csv.Sniffer reads to choose the separator
BINARY_SNIFF_BYTES = 4096  # how much of the file is looked at for a NUL byte (not a text file)

# What the browser is sent for one run or one comparison.
MAX_POINTS = 3000  # timeline points: every update of a shorter run, an even sample of a longer
MAX_DATA_POINTS = 2000  # data points drawn, evenly subsampled
# Highlighted (ringed) examples of the current batch, over the whole timeline: 240 KB of
# float32 at most. A step highlights up to this divided by the points, and never fewer than 20.
MAX_HIGHLIGHTS = 60_000
MAX_CURVE_POINTS = 4000  # backdrop loss curves are drawn from at most this many points
MAX_FRAMES = 3000  # a comparison's frames
# The frames a comparison's static figure draws of each run: the player draws every frame
# once it starts, so the figure (its final state, or what stays if the player cannot start)
# needs no more.
FIGURE_POINTS = 500
# Updates in a run's CSV download: a longer run is sampled, 5.7 MB of text at most (2 features),
# held by the server until the page's next run, so that a download stays within what a session
# may cost (10 MB).
CSV_MAX_UPDATES = 50_000

# The server's share: CPU time per page, turns for heavy runs, caches kept for every session.
# One page's work in CPU seconds by the price table of `linreg_core.cost`: its run, all of a
# comparison's runs, both sides of the conditioning lesson, both engines of the check. Drawing
# a run costs at most about 1 s more (float64 SGD at MAX_UPDATES: the run 1.2 s, the page
# 2.2 s): a link costs at most about 3.5 s in all.
COST_BUDGET_S = 2.5
HEAVY_SECONDS = 0.1  # CPU seconds by the price table from which a run waits its turn (ui/turns.py)
AT_ONCE = 1  # heavy runs at once; the page's note while one waits (run_queued): "one at a time"
# Every session's data sets (ui/runs.py's DATA): one of n = 100,000 examples of 2 features and
# their labels is 2.4 MB, the conditioning lesson's pair 4.8 MB, so 48 MB keeps 10 to 20 of the
# largest.
DATA_CACHE_MB = 48
# Every session's runs as shown (ui/runs.py's SHOWN). A shown run is 1.2 MB at most (n = 100,000,
# batches of 1,000 for 50 epochs: 3,000 points, each ringing 20 examples), 0.24 MB at the
# defaults: 64 MB keeps 54 to 270 of them.
SHOWN_CACHE_MB = 64
# Every session's comparisons (ui/compare_runs.py's COMPARED): one is 0.66 MB at the defaults
# (`python -m bench.compare`).
COMPARED_CACHE_MB = 32
CACHE_TTL_S = 3600  # a cached value older than this is computed again
