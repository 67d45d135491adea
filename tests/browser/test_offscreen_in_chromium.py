"""A 3-D view scrolled off screen is not redrawn while playing, and shows the step on coming back."""

from __future__ import annotations

from tests.browser.conftest import assert_no_exception, wait_for_app

READY = """() => { const p = document.querySelector('.gdv-player');
    return p && p.getAttribute('data-ready') === 'all'; }"""
# The fitted plane's heights as the data view's 3-D scene last drew them, and the readout's step.
PLANE = """() => {
    const gd = document.querySelector('.st-key-gdv_data .js-plotly-plot');
    const i = gd._fullData.findIndex(t => t.meta === 'fit');
    return {step: Number(document.querySelector('[data-descent=readout]').getAttribute('data-step')),
            z: JSON.stringify(gd._fullData[i].z)};
}"""


def test_a_3d_view_off_screen_waits_and_catches_up(browser, streamlit_server):
    context = browser.new_context(viewport={"width": 1280, "height": 700})
    try:
        page = context.new_page()
        page.goto(f"{streamlit_server}/?speed=normal")
        wait_for_app(page)
        page.wait_for_function(READY, timeout=60_000)
        assert_no_exception(page)
        page.locator(".st-key-gdv_surface").scroll_into_view_if_needed()
        page.evaluate("() => window.scrollBy(0, -5000)")  # the top: the data view is below
        page.wait_for_timeout(300)
        start = page.evaluate(PLANE)
        page.locator(".gdv-play").click()
        page.wait_for_function(
            "() => Number(document.querySelector("
            "'[data-descent=readout]').getAttribute('data-step')) >= 15"
        )
        away = page.evaluate(PLANE)
        assert away["step"] >= 15 and away["z"] == start["z"], "drawn while off screen"
        page.locator(".st-key-gdv_data").scroll_into_view_if_needed()
        page.wait_for_function(f"() => ({PLANE})().z !== {start['z']!r}", timeout=5_000)
        page.locator(".gdv-play").click()  # pause: the plane shows the readout's step
        page.wait_for_timeout(300)
        shown = page.evaluate(PLANE)
        page.locator("[data-action=back]").click()
        page.locator("[data-action=forward]").click()
        page.wait_for_timeout(300)
        assert page.evaluate(PLANE) == shown
    finally:
        context.close()
