"""Page open time against a plain Streamlit page, and frames per second at fast, in Chromium.

Run by hand:  .venv/bin/python -m bench.open [--opens 3]

The plain page is built here: a 30-line Streamlit script with the same four chart kinds as the
visualiser (a 3-D surface of SURFACE_GRID², a contour of CONTOUR_GRID², a 3-D scatter of the
default n points, a line of the default run's updates), shown with the app's chart options.
Each page gets a fresh server with the same settings; it is opened once cold (the server's
first page) and then `--opens - 1` times warm, each time in a fresh browser context (nothing
cached), and timed from navigation start until four charts are drawn and, for the app, the
step readout is shown. Then the app plays at `fast` with both 3-D views on screen, and the
frames drawn per second are counted. Prints a table and writes bench/results/open.txt. Needs
/usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.player import server
from linreg_viz.figures import CONTOUR_GRID, SURFACE_GRID
from linreg_viz.settings import FIELDS
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = {"width": 1600, "height": 1000}
UPDATES = 300  # the default run: 1,000 examples, batches of 10, 3 epochs

PLAIN_PAGE = f"""
import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="plain", layout="wide")
st.title("Four Plotly charts")
rng = np.random.default_rng(0)
a = np.linspace(-4, 4, {SURFACE_GRID})
surface = np.add.outer(a**2, a**2)
c = np.linspace(-4, 4, {CONTOUR_GRID})
X = rng.normal(size=({FIELDS["n"].default}, 2))
config = {{"displaylogo": False}}
left, right = st.columns([3, 2])
left.plotly_chart(go.Figure(go.Surface(x=a, y=a, z=surface)), theme=None, config=config)
right.plotly_chart(
    go.Figure(go.Contour(x=c, y=c, z=np.add.outer(c**2, c**2))), theme=None, config=config
)
left, right = st.columns([3, 2])
left.plotly_chart(
    go.Figure(go.Scatter3d(x=X[:, 0], y=X[:, 1], z=X @ [2, -3.4], mode="markers")),
    theme=None,
    config=config,
)
right.plotly_chart(
    go.Figure(go.Scatter(y=np.geomspace(30, 1e-4, {UPDATES}))), theme=None, config=config
)
"""

# Until when a page counts as open: its four charts drawn (Plotly's full layout on each, every
# 3-D scene made), and for the app the readout filled in by the player.
OPEN = """app => {
    const charts = Array.from(document.querySelectorAll('.js-plotly-plot'))
        .filter(gd => gd._fullLayout && (!gd._fullLayout.scene || gd._fullLayout.scene._scene));
    if (charts.length < 4) return false;
    if (app) {
        const readout = document.querySelector('[data-descent=readout]');
        if (!readout || readout.getAttribute('data-step') === null) return false;
    }
    return performance.now();
}"""
COUNT = """() => { window.__frames = []; window.addEventListener('descent:frame',
    e => window.__frames.push(performance.now())); }"""


def open_times(browser, url: str, app: bool, opens: int) -> list[float]:
    """Seconds from navigation start until the page is open, for each fresh-context open."""
    times = []
    for _ in range(opens):
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            page.goto(url)
            handle = page.wait_for_function(OPEN, arg=app, timeout=120_000)
            times.append(handle.json_value() / 1000)
        finally:
            context.close()
    return times


def frames_per_second(browser, url: str, seconds: float = 4.0) -> float:
    """Frames the app draws per second at fast, with both 3-D views (d = 2) on screen."""
    context = browser.new_context(viewport={"width": 1920, "height": 2400})
    try:
        page = context.new_page()
        page.goto(f"{url}/?speed=fast&epochs=10")
        page.wait_for_function(OPEN, arg=True, timeout=120_000)
        page.evaluate(COUNT)
        page.click(".gdv-play")
        page.wait_for_timeout(seconds * 1000)
        frames = page.evaluate("() => window.__frames")
        return (len(frames) - 1) / ((frames[-1] - frames[0]) / 1000) if len(frames) > 1 else 0.0
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=3, help="opens per page, the first cold")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"needs Chromium at {CHROMIUM}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        plain = Path(tmp) / "plain.py"
        plain.write_text(PLAIN_PAGE)
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        timed = {}
        for name, script, app in (("plain", plain, False), ("app", ROOT / "app.py", True)):
            with server(script.parent, script.name) as url:
                timed[name] = open_times(browser, url, app, args.opens)
                if app:
                    fps = frames_per_second(browser, url)
        browser.close()
    for name, times in timed.items():
        warm = times[1:] or times
        rows.append(
            f"{name:<6} cold {times[0]:5.2f} s   warm {min(warm):5.2f}-{max(warm):5.2f} s"
            f" (median {statistics.median(warm):.2f})"
        )
    ratio_cold = timed["app"][0] / timed["plain"][0]
    ratio_warm = statistics.median(timed["app"][1:] or timed["app"]) / statistics.median(
        timed["plain"][1:] or timed["plain"]
    )
    rows.append(f"app / plain: cold {ratio_cold:.2f}x, warm {ratio_warm:.2f}x (target <= 1.2x)")
    rows.append(f"play at fast, both 3-D views on screen: {fps:.1f} frames/s (target >= 11)")
    report = "\n".join(["command: .venv/bin/python -m bench.open", *rows])
    print(report)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "open.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
