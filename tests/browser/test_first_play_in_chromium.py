"""The first press of ▶ on a page just opened: the player starts every time and moves every view.

Each open is a fresh browser context (no cache, no session), as a student's first visit is.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception

# Per page: its path and query, and how many charts it draws.
PAGES = {
    "defaults": ("?speed=fast", 4),
    "d=1": ("?d=1&speed=fast", 4),
    "d=2, surface only": ("?d=2&landscape=surface&speed=fast", 3),
    "compare": ("compare?speed=fast", 3),
    "conditioning": ("conditioning?speed=fast", 4),
}
OPENS = 6  # per page: 30 fresh opens in all
TALL = {"width": 1600, "height": 2400}  # every view on screen: one off screen is not redrawn

# What every moving trace of every chart holds now, by chart; the traces a player moves carry
# a `meta` name.
MOVING = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd =>
    JSON.stringify(gd.data.filter(t => t.meta).map(t =>
        ['x', 'y', 'z'].map(k => t[k] ? Array.from(t[k]) : null))))"""
CHARTS_DRAWN = """n => document.querySelector('.gdv-play') !== null &&
    Array.from(document.querySelectorAll('.js-plotly-plot')).filter(gd => gd._fullLayout).length >= n"""
FAILED = """() => Array.from(document.querySelectorAll('[data-player=failed]'))
    .map(e => e.textContent)"""
STEP = """s => Number(document.querySelector('[data-descent=readout]')
    .getAttribute('data-step')) >= s"""


def press_play_at_once(page, base_url: str, query: str, charts: int) -> list[str]:
    """Open the page, and the moment its charts are drawn press ▶; what the charts held then."""
    page.goto(f"{base_url}/{query}")
    page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=60_000)
    return page.evaluate(
        f"() => {{ const before = ({MOVING})(); document.querySelector('.gdv-play').click();"
        " return before; }"
    )


def assert_every_view_moved(page, before: list[str]) -> None:
    page.wait_for_function(STEP, arg=20, timeout=30_000)
    assert page.evaluate(FAILED) == []
    after = page.evaluate(MOVING)
    assert len(after) == len(before)
    still = [k for k, (a, b) in enumerate(zip(before, after, strict=True)) if a == b]
    assert not still, f"charts {still} did not move"


@pytest.mark.parametrize("name", list(PAGES))
def test_play_pressed_as_the_charts_appear_starts_every_time(browser, streamlit_server, name):
    query, charts = PAGES[name]
    for _ in range(OPENS):
        context = browser.new_context(viewport=TALL)
        try:
            page = context.new_page()
            before = press_play_at_once(page, streamlit_server, query, charts)
            assert_every_view_moved(page, before)
            assert_no_exception(page)
        finally:
            context.close()


# Streamlit draws each chart twice when a page opens, the second time with the same trace
# objects, which by then hold what the player gave them. Plotly.react with the chart's own data
# does the same on purpose, after the player has drawn step 0.
REPLOT = """async () => {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        await window.Plotly.react(gd, gd.data, gd.layout);
    }
}"""
BATCH_SHOWN = """() => {
    const gd = document.querySelector('.st-key-gdv_data .js-plotly-plot');
    const batch = gd._fullData.find(t => t.meta === 'batch');
    const names = Array.from(gd.querySelectorAll('.legend .legendtext'), e => e.textContent);
    return batch.visible === true && names.includes(batch.name);
}"""


@pytest.mark.parametrize("query", ["?speed=fast", "?d=1&speed=fast"])
def test_a_chart_drawn_again_after_step_0_still_plays(browser, streamlit_server, query):
    context = browser.new_context(viewport=TALL)
    try:
        replot_then_play(context.new_page(), streamlit_server, query)
    finally:
        context.close()


def replot_then_play(page, streamlit_server: str, query: str) -> None:
    page.goto(f"{streamlit_server}/{query}")
    page.wait_for_function(
        "() => { const p = document.querySelector('.gdv-player');"
        " return p && p.getAttribute('data-ready') === 'all'; }",
        timeout=60_000,
    )
    page.evaluate(REPLOT)
    assert page.evaluate(BATCH_SHOWN), "the minibatch left the data view's legend"
    before = page.evaluate(MOVING)
    page.locator(".gdv-play").click()
    assert_every_view_moved(page, before)
    page.locator("[data-action=last]").click()
    page.wait_for_function(STEP, arg=300, timeout=10_000)
    assert page.evaluate(FAILED) == []
    assert page.evaluate(BATCH_SHOWN)
