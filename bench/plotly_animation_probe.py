"""Does a frames-only-the-moving-traces Plotly animation keep its static traces, and how fast is it?

Run by hand (not part of pytest):  .venv/bin/python -m bench.plotly_animation_probe [--frames N]

Builds one figure like the visualiser's (contour + 2D path, 3D surface + 3D path, loss curve +
moving marker), where each of the N frames carries only the three moving traces
(`go.Frame(traces=[1, 3, 5], data=[...])`), writes it as standalone HTML with plotly.js embedded,
opens it in Debian's Chromium (headless, Playwright), presses Play, waits for the end, scrubs the
slider, and prints for frame.redraw=False and True: what the DOM holds before/after (contour
paths, WebGL canvases, _fullData), whether the 3D path's pixels changed, and ms per frame.
Screenshots go to bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import plotly
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

RESULTS = Path(__file__).resolve().parent / "results"
MOVING = [1, 3, 5]  # trace indices the frames carry


def descent(n_frames: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A gradient-descent path on L(w, b) = ((w-2)^2 + 4 (b+1)^2) / 2 from (-2, 2)."""
    w, b, lr = -2.0, 2.0, 0.05
    ws, bs = [w], [b]
    for _ in range(n_frames - 1):
        w, b = w - lr * (w - 2.0), b - lr * 4.0 * (b + 1.0)
        ws.append(w)
        bs.append(b)
    ws_a, bs_a = np.array(ws), np.array(bs)
    return ws_a, bs_a, loss(ws_a, bs_a)


def loss(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ((w - 2.0) ** 2 + 4.0 * (b + 1.0) ** 2) / 2.0


def build_figure(redraw: bool, n_frames: int = 100, grid: int = 60) -> go.Figure:
    ws, bs, ls = descent(n_frames)
    gw = np.linspace(-3, 4, grid)
    gb = np.linspace(-3, 3, grid)
    z = loss(gw[None, :], gb[:, None])
    fig = make_subplots(
        rows=2,
        cols=2,
        specs=[[{"type": "xy"}, {"type": "scene"}], [{"type": "xy", "colspan": 2}, None]],
        row_heights=[0.65, 0.35],
        subplot_titles=("contour", "surface", "loss"),
    )
    fig.add_trace(go.Contour(x=gw, y=gb, z=z, ncontours=20, showscale=False, name="contour"), 1, 1)
    fig.add_trace(go.Scatter(x=ws[:1], y=bs[:1], mode="lines+markers", name="path"), 1, 1)
    fig.add_trace(go.Surface(x=gw, y=gb, z=z, showscale=False, opacity=0.9, name="surface"), 1, 2)
    fig.add_trace(
        go.Scatter3d(x=ws[:1], y=bs[:1], z=ls[:1], mode="lines+markers", name="path3d",
                     marker={"size": 4, "color": "red"}, line={"color": "red", "width": 6}),
        1, 2,
    )  # fmt: skip
    fig.add_trace(go.Scatter(x=np.arange(n_frames), y=ls, mode="lines", name="loss curve"), 2, 1)
    fig.add_trace(
        go.Scatter(x=[0], y=ls[:1], mode="markers", marker={"size": 12}, name="now"), 2, 1
    )
    fig.frames = [
        go.Frame(
            name=str(k),
            traces=MOVING,
            data=[
                go.Scatter(x=ws[: k + 1], y=bs[: k + 1]),
                go.Scatter3d(x=ws[: k + 1], y=bs[: k + 1], z=ls[: k + 1]),
                go.Scatter(x=[k], y=ls[k : k + 1]),
            ],
        )
        for k in range(n_frames)
    ]
    anim = {"frame": {"duration": 0, "redraw": redraw}, "transition": {"duration": 0},
            "mode": "immediate", "fromcurrent": True}  # fmt: skip
    fig.update_layout(
        width=1400,
        height=900,
        showlegend=False,
        uirevision="keep",
        updatemenus=[{
            "type": "buttons", "direction": "left", "x": 0.0, "y": -0.08, "xanchor": "left",
            "buttons": [
                {"label": "Play", "method": "animate", "args": [None, anim]},
                {"label": "Pause", "method": "animate",
                 "args": [[None], {**anim, "mode": "immediate", "fromcurrent": False}]},
            ],
        }],
        sliders=[{
            "active": 0, "x": 0.12, "y": -0.05, "len": 0.85,
            "steps": [
                {"label": str(k), "method": "animate",
                 "args": [[str(k)], {**anim, "fromcurrent": False}]}
                for k in range(n_frames)
            ],
        }],
    )  # fmt: skip
    return fig


STATE_JS = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    const fd = gd._fullData || [];
    return {
        contourPaths: gd.querySelectorAll('g.contourlayer path').length,
        contourGroups: gd.querySelectorAll('g.contourlayer > g').length,
        glCanvases: gd.querySelectorAll('.gl-container canvas').length,
        webglUnsupported: !!gd.querySelector('.no-webgl') ||
            /WebGL is not supported/i.test(gd.innerText || ''),
        dataLen: gd.data.length,
        fullDataLen: fd.length,
        fullDataTypes: fd.map(t => t.type),
        pointsPerTrace: fd.map(t => t.x ? t.x.length : null),
        path2dDomPoints: (gd.querySelectorAll('g.scatterlayer g.trace')[0] || {querySelectorAll: () => []})
            .querySelectorAll('path.point').length,
        scene3dPoints: (gd._fullLayout.scene && gd._fullLayout.scene._scene &&
            gd._fullLayout.scene._scene.traces) ? Object.values(gd._fullLayout.scene._scene.traces)
            .map(t => t.data && t.data.x ? t.data.x.length : null) : null,
        sliderActive: gd._fullLayout.sliders && gd._fullLayout.sliders[0].active,
    };
}"""

INSTRUMENT_JS = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    window.__probe = {frames: [], start: null, end: null};
    gd.on('plotly_animatingframe', () => window.__probe.frames.push(performance.now()));
    gd.on('plotly_animated', () => { window.__probe.end = performance.now(); });
}"""


def region_hash(page, box: dict) -> str:
    return hashlib.sha1(page.screenshot(clip=box)).hexdigest()[:10]


def probe(browser, html: Path, label: str, n_frames: int) -> dict:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(html.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_timeout(1500)
    canvas = page.locator(".gl-container canvas")
    scene_box = canvas.first.bounding_box() if canvas.count() else None
    before = page.evaluate(STATE_JS)
    scene_hash0 = region_hash(page, scene_box) if scene_box else None
    page.screenshot(path=RESULTS / f"{label}-0-before.png")
    page.evaluate(INSTRUMENT_JS)
    t0 = time.perf_counter()
    page.evaluate("() => { window.__probe.start = performance.now(); }")
    page.get_by_text("Play", exact=True).click()
    page.wait_for_function("() => window.__probe.end !== null", timeout=300_000)
    wall = time.perf_counter() - t0
    timing = page.evaluate("() => window.__probe")
    page.wait_for_timeout(500)
    after_play = page.evaluate(STATE_JS)
    scene_hash1 = region_hash(page, scene_box) if scene_box else None
    page.screenshot(path=RESULTS / f"{label}-1-after-play.png")

    # Scrub: click the slider rail at ~30 %, i.e. an animate call to a single earlier frame.
    rail = page.locator("g.slider-container rect.slider-rail-touch-rect").first
    rb = rail.bounding_box()
    page.mouse.click(rb["x"] + 0.3 * rb["width"], rb["y"] + rb["height"] / 2)
    page.wait_for_timeout(1500)
    after_scrub = page.evaluate(STATE_JS)
    scene_hash2 = region_hash(page, scene_box) if scene_box else None
    page.screenshot(path=RESULTS / f"{label}-2-after-scrub.png")
    page.close()

    frames = timing["frames"]
    total_ms = (timing["end"] - timing["start"]) if timing["end"] else None
    gaps = np.diff(frames) if len(frames) > 1 else np.array([np.nan])
    return {
        "label": label,
        "before": before,
        "after_play": after_play,
        "after_scrub": after_scrub,
        "scene_pixels_changed_by_play": scene_hash0 != scene_hash1,
        "scene_pixels_changed_by_scrub": scene_hash1 != scene_hash2,
        "frames_seen": len(frames),
        "ms_total_play": round(total_ms, 1) if total_ms else None,
        "ms_per_frame_mean": round(total_ms / n_frames, 2) if total_ms else None,
        "ms_between_frames_median": round(float(np.median(gaps)), 2),
        "wall_s": round(wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--grid", type=int, default=60)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    RESULTS.mkdir(exist_ok=True)
    print(f"plotly {plotly.__version__}, frames={args.frames}, grid={args.grid}x{args.grid}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        print(f"chromium {browser.version}")
        for redraw in (False, True):
            html = RESULTS / f"probe-redraw-{redraw}.html"
            build_figure(redraw, args.frames, args.grid).write_html(
                html, include_plotlyjs=True, auto_play=False
            )
            result = probe(browser, html, f"redraw-{redraw}", args.frames)
            print(json.dumps(result, indent=1))
        browser.close()


if __name__ == "__main__":
    main()
