"""The conditioning page in real Chromium: two players on one page, each moving its own side."""

from __future__ import annotations

from tests.browser.conftest import assert_no_exception, wait_for_app

SIDES = ("raw", "std")
READY = """() => {
    const players = document.querySelectorAll('.gdv-player');
    return players.length === 2 && Array.from(players).every(p =>
        p.getAttribute('data-ready') === 'all' &&
        p.querySelector('[data-descent=readout]').getAttribute('data-step') !== null);
}"""
# Per side: its readout's step and text, how its player draws, and its contour path's points.
STATE = """() => {
    const state = {};
    for (const side of ['raw', 'std']) {
        const player = document.querySelector(`.st-key-cond_${side}_player .gdv-player`);
        const readout = player.querySelector('[data-descent=readout]');
        const gd = document.querySelector(`.st-key-cond_${side}_contour .js-plotly-plot`);
        const path = gd.data.find(t => t.meta === 'path2d');
        state[side] = {
            step: Number(readout.getAttribute('data-step')),
            text: readout.textContent,
            drawn: player.getAttribute('data-path'),
            failed: player.getAttribute('data-player') === 'failed',
            points: Array.from(path.x).length,
        };
    }
    return state;
}"""


def steps(page) -> list[int]:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-descent=readout]'))"
        ".map(r => Number(r.getAttribute('data-step')))"
    )


def test_one_play_button_moves_both_sides_paths_together(page, streamlit_server, artifacts_dir):
    page.goto(f"{streamlit_server}/conditioning?speed=fast")
    wait_for_app(page)
    page.wait_for_function(READY, timeout=60_000)
    assert_no_exception(page)
    page.evaluate(
        "() => { window.__frames = 0;"
        " window.addEventListener('descent:frame', () => { window.__frames += 1; }); }"
    )
    before = page.evaluate(STATE)
    assert all(before[side]["step"] == 0 and not before[side]["failed"] for side in SIDES)
    page.locator(".st-key-cond_raw_player .gdv-play").click()  # one side's button plays both
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-descent=readout]'))"
        ".every(r => Number(r.getAttribute('data-step')) >= 20)",
        timeout=30_000,
    )
    during = page.evaluate(STATE)
    page.screenshot(path=str(artifacts_dir / "conditioning-playing.png"), full_page=True)
    for side in SIDES:
        assert during[side]["points"] > before[side]["points"], side
        assert during[side]["text"] != before[side]["text"], side
        assert during[side]["drawn"] in ("in-place", "restyle") and not during[side]["failed"]
    assert page.evaluate("window.__frames") >= 40  # every drawn step says so, on both sides
    page.locator(".st-key-cond_std_player .gdv-play").click()  # the other side's pauses both
    paused = steps(page)
    page.wait_for_timeout(800)
    assert steps(page) == paused and abs(paused[0] - paused[1]) <= 2, paused
    page.locator(".st-key-cond_std_player [data-action=last]").click()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-descent=readout]'))"
        ".every(r => r.getAttribute('data-step') === '300')",
        timeout=10_000,
    )
    end = page.evaluate(STATE)
    assert all(end[side]["points"] == 301 for side in SIDES)
    assert_no_exception(page)
