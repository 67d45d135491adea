"""The player against the previous approach (every step a Plotly frame), in headless Chromium.

Run by hand:  .venv/bin/python -m bench.player [--baseline REV] [--skip-baseline]

It serves this working tree and, from a temporary git worktree, the baseline commit (default:
the last one before the player), each with `streamlit run app.py` on loopback, and measures in
Debian's Chromium (software WebGL, no GPU), one page at a time:
  - bytes received over the websocket until every chart is drawn, at defaults and at the largest
    run the app allows (n = 100,000, batch 1, 20 epochs: 2,000,000 updates);
  - page open -> every chart drawn, in a fresh browser context (the server already warm);
  - frames drawn per second at `fast`, with both 3-D views (d = 2) and with `?d=1&landscape=contour`;
  - wall time to play the default run (300 updates) at `fast` and at `normal`.
Prints a table and writes it to bench/results/player.txt. Needs /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, _healthy

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "ea4520d"  # main before the player: one figure, every step a Plotly frame
BIGGEST = "?n=100000&batch_size=1&epochs=20&lr=0.0001"
VIEWPORT = {"width": 1600, "height": 1000}

# When is the run on screen? New: the player has found and drawn every chart. Old: the figure
# with its frames is drawn (the animation's slider exists).
DRAWN = {
    "player": "() => { const p = document.querySelector('.gdv-player');"
    " return p && p.getAttribute('data-ready') === 'all'; }",
    "frames": "() => { const gd = document.querySelector('.js-plotly-plot');"
    " return gd && gd._fullLayout && gd._fullLayout.sliders && gd._transitionData &&"
    " gd._transitionData._frames && gd._transitionData._frames.length > 0; }",
}
PLAY = {
    "player": "() => document.querySelector('.gdv-play').click()",
    "frames": "() => { const gd = document.querySelector('.js-plotly-plot');"
    " const play = gd._fullLayout.updatemenus[0].buttons[0].args;"
    " window.Plotly.animate(gd, play[0], play[1]); }",
}
# A frame counter for each: the player's event, or Plotly's own per-frame event.
COUNT = {
    "player": "() => { window.__frames = []; window.addEventListener('descent:frame',"
    " e => window.__frames.push([performance.now(), e.detail.step])); }",
    "frames": "() => { window.__frames = []; const gd = document.querySelector('.js-plotly-plot');"
    " gd.on('plotly_animatingframe', f => window.__frames.push([performance.now(),"
    " Number(f.name)])); }",
}


@contextmanager
def server(folder: Path, script: str = "app.py"):
    """`streamlit run script` from `folder` on a free loopback port; yields its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    proc = subprocess.Popen(
        command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while not _healthy(f"{url}/_stcore/health"):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"streamlit {script} in {folder} did not start")
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@contextmanager
def baseline_tree(rev: str):
    """The baseline commit checked out in a temporary worktree (removed afterwards)."""
    with tempfile.TemporaryDirectory() as parent:
        folder = Path(parent) / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(folder), rev],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            yield folder
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, capture_output=True
            )


def open_page(browser, url: str, kind: str, timeout_s: float = 180):
    """(page, seconds to every chart drawn, websocket bytes received by then) in a fresh context."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    received = [0]

    def on_socket(socket):
        socket.on("framereceived", lambda data: received.__setitem__(0, received[0] + len(data)))

    page.on("websocket", on_socket)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN[kind], timeout=timeout_s * 1000, polling=50)
    return page, time.perf_counter() - start, received[0]


def frames_per_second(page, kind: str, seconds: float = 5.0) -> float:
    """Frames drawn per second during `seconds` of Play."""
    page.evaluate(COUNT[kind])
    page.evaluate(PLAY[kind])
    page.wait_for_timeout(seconds * 1000)
    frames = page.evaluate("() => window.__frames")
    if len(frames) < 2:
        return 0.0
    return (len(frames) - 1) / ((frames[-1][0] - frames[0][0]) / 1000)


def play_through(page, kind: str, last: int, timeout_s: float) -> float:
    """Seconds from Play to the last step drawn (or the timeout, if it never gets there)."""
    page.evaluate(COUNT[kind])
    start = time.perf_counter()
    page.evaluate(PLAY[kind])
    try:
        page.wait_for_function(
            f"() => window.__frames.some(f => f[1] >= {last})", timeout=timeout_s * 1000, polling=50
        )
    except Exception:  # noqa: BLE001 - a timeout is a result here: it never got there
        return float("inf")
    return time.perf_counter() - start


def measure(browser, url: str, kind: str) -> dict[str, float]:
    """Every figure for one app."""
    out = {}
    page, _, _ = open_page(browser, url + "/", kind)  # the server's first run: imports, caches
    page.context.close()
    page, out["open s"], out["bytes"] = open_page(browser, url + "/", kind)
    page.context.close()
    page, _, out["bytes, biggest run"] = open_page(browser, url + "/" + BIGGEST, kind)
    page.context.close()
    for label, query in (
        ("fps, d=2 both", "?speed=fast"),
        ("fps, d=1 contour", "?speed=fast&d=1&landscape=contour"),
    ):
        page, _, _ = open_page(browser, url + "/" + query, kind)
        out[label] = frames_per_second(page, kind)
        page.context.close()
    for speed, limit in (("fast", 120), ("normal", 150)):
        page, _, _ = open_page(browser, f"{url}/?speed={speed}", kind)
        out[f"play s, {speed}"] = play_through(page, kind, 300, limit)
        page.context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        with server(ROOT) as url:
            results["player"] = measure(browser, url, "player")
        if not args.skip_baseline:
            with baseline_tree(args.baseline) as folder, server(folder) as url:
                results[f"frames ({args.baseline})"] = measure(browser, url, "frames")
        browser.close()
    names = list(next(iter(results.values())))
    lines = [f"{'measure':22}" + "".join(f"{k:>22}" for k in results) + f"{'gain':>9}"]
    for name in names:
        values = [r[name] for r in results.values()]
        cells = "".join(f"{v:>22,.0f}" if "bytes" in name else f"{v:>22.2f}" for v in values)
        gain = ""
        if len(values) == 2 and values[0] and values[1]:  # how many times better the player is
            better = values[0] / values[1] if name.startswith("fps") else values[1] / values[0]
            gain = f"{better:>8.1f}x"
        lines.append(f"{name:22}{cells}{gain}")
    lines.append("open s: page open to every chart drawn, fresh context, warm server. fps: frames")
    lines.append("drawn per second at `fast`. play s: Play to the last of the default run's 300")
    lines.append(
        "updates; the player asks 30 (fast) and 10 (normal) updates/s, the baseline 100 and"
    )
    lines.append(
        "300 ms per frame (inf: not there in 120 or 150 s). gain > 1: the player is better."
    )
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "player.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
