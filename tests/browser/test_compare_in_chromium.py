"""The compare page in a real Chromium: Play moves every run's path on every view, on one clock."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORT, assert_no_exception, wait_for_app

READY = """() => {
    const player = document.querySelector('.gdv-player');
    return player && player.getAttribute('data-ready') === 'all' &&
        document.querySelector('[data-descent=readout]').getAttribute('data-step') !== null;
}"""
# Per view and run, the points of the run's path as the player last gave them (else as drawn).
STATE = """() => {
    const paths = {};
    for (const [name, kind] of [['surface', 'path3d'], ['contour', 'path2d'], ['loss', 'progress']]) {
        const div = document.querySelector(`.st-key-cmp_${name} .js-plotly-plot`);
        paths[name] = div.data.filter(t => (t.meta || '').startsWith(kind + '@'))
            .map(t => Array.from(t.x).map(Number));
    }
    const readout = document.querySelector('[data-descent=readout]');
    return {
        frame: Number(readout.getAttribute('data-step')),
        epoch: Number(readout.getAttribute('data-epoch')),
        runs: Array.from(readout.querySelectorAll('[data-run]')).map(e => e.textContent),
        failed: document.querySelector('.gdv-player').getAttribute('data-player') === 'failed',
        paths: paths,
    };
}"""
RECORD = """() => {
    window.__frames = [];
    window.addEventListener('descent:frame', e => window.__frames.push(e.detail));
}"""


def open_compare(page, base_url: str, query: str) -> dict:
    """Open the compare page and wait until the player has drawn its first frame."""
    page.goto(f"{base_url}/compare{query}")
    wait_for_app(page)
    page.wait_for_function(READY, timeout=60_000)
    assert_no_exception(page)
    return page.evaluate(STATE)


@pytest.mark.parametrize("path", ["in-place", "restyle"])
def test_play_moves_every_runs_path_on_every_view(browser, streamlit_server, artifacts_dir, path):
    context = browser.new_context(viewport=VIEWPORT)
    if path == "restyle":
        context.add_init_script("window.GDV_FORCE_RESTYLE = true;")
    try:
        play_and_pause(context.new_page(), streamlit_server, artifacts_dir, path)
    finally:
        context.close()


def play_and_pause(page, streamlit_server, artifacts_dir, path):
    start = open_compare(page, streamlit_server, "?speed=fast")
    assert start["frame"] == 0 and not start["failed"] and len(start["runs"]) == 4
    assert page.locator(".gdv-player").get_attribute("data-path") == path
    for name in ("surface", "contour", "loss"):
        assert [len(path) for path in start["paths"][name]] == [1, 1, 1, 1], name
    page.evaluate(RECORD)
    page.locator(".gdv-play").click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-descent=readout]')"
        ".getAttribute('data-epoch')) >= 1.5",
        timeout=30_000,
    )
    page.locator(".gdv-play").click()  # pause
    paused = page.evaluate(STATE)
    frames = page.evaluate("window.__frames")
    assert len(frames) > 10 and all("epoch" in f for f in frames)
    for name in ("surface", "contour", "loss"):
        # Every run has moved: its path holds every frame drawn so far, on the one clock.
        lengths = [len(path) for path in paused["paths"][name]]
        assert lengths == [paused["frame"] + 1] * 4, (name, lengths)
    assert paused["paths"]["loss"][0][-1] >= 1.5  # the loss view's x is the epoch
    page.screenshot(path=str(artifacts_dir / f"compare-paused-{path}.png"), full_page=True)
    assert not paused["failed"]
    assert_no_exception(page)


def test_a_diverged_run_holds_and_the_readout_says_so(page, streamlit_server):
    open_compare(page, streamlit_server, "?runs=sgd:0.5x:n;sgd:3x:n&epochs=10")
    page.locator("h1").first.click()
    page.keyboard.press("End")
    page.wait_for_function(
        "() => document.querySelector('[data-descent=readout]').getAttribute('data-step') !== '0'"
    )
    end = page.evaluate(STATE)
    assert "diverged" in end["runs"][1] and "diverged" not in end["runs"][0]
    assert all(v == v for path in end["paths"]["contour"] for v in path)  # no NaN
    assert_no_exception(page)


def test_projection_mode_at_1920_for_the_readme(browser, streamlit_server, artifacts_dir):
    """The README's picture (docs/compare.png is this file): a projector's 1920 x 1080."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        open_compare(page, streamlit_server, "?projection=1&runs=optimizers&speed=fast")
        page.locator("h1").first.click()
        for _ in range(150):  # half way: every run moving, none finished
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('[data-descent=readout]').getAttribute('data-step')"
            " === '150'"
        )
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts_dir / "compare-projection.png"))
        assert_no_exception(page)
    finally:
        context.close()
