"""The app and its exports in a real Chromium: Play keeps every view, links replay, HTML is offline."""

from __future__ import annotations

import numpy as np

from linreg_core import loss_quadratic, run, synthetic_data
from linreg_viz.exports import standalone_html
from linreg_viz.figures import CONTOUR_LEVELS, build_visualiser
from linreg_viz.i18n import translator
from tests.browser.conftest import assert_no_exception, wait_for_app

STATE = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    const path = gd.data.findIndex(t => t.type === 'scatter' && t.name === 'descent path');
    return {
        contourLines: Array.from(document.querySelectorAll('.subplot.xy .scatterlayer path.js-line'))
            .filter(p => (p.getAttribute('d') || '').length > 20).length,
        surfaces: gd._fullData.filter(t => t.type === 'surface').length,
        glCanvases: document.querySelectorAll('.gl-container canvas').length,
        pathPoints: gd._fullData.find(t => t.index === path).x.length,
        active: gd._fullLayout.sliders[0].active,
        title: gd._fullLayout.title.text,
    };
}"""


def wait_for_chart(page) -> None:
    page.wait_for_selector(".js-plotly-plot .subplot.xy .scatterlayer path.js-line", timeout=60_000)


def test_play_keeps_every_view_and_grows_the_path(app_page, artifacts_dir):
    page = app_page
    wait_for_chart(page)
    before = page.evaluate(STATE)
    page.screenshot(path=str(artifacts_dir / "before-play.png"), full_page=True)
    assert (
        before["contourLines"] >= CONTOUR_LEVELS
        and before["surfaces"] >= 2
        and before["pathPoints"] == 1
    )
    page.locator(".updatemenu-button").first.click()  # ▶ Play
    page.wait_for_timeout(7_000)
    during = page.evaluate(STATE)
    page.screenshot(path=str(artifacts_dir / "during-play.png"), full_page=True)
    assert during["pathPoints"] > 5, during  # the path grew, frame by frame
    assert during["active"] > 0 and during["title"] != before["title"]
    assert during["contourLines"] >= CONTOUR_LEVELS, (
        during
    )  # the contour is still drawn while playing
    assert during["surfaces"] == before["surfaces"] and during["glCanvases"] >= 1
    page.locator(".updatemenu-button").nth(1).click()  # ■ Pause
    page.wait_for_timeout(1_000)
    paused = page.evaluate(STATE)
    page.wait_for_timeout(1_500)
    assert page.evaluate(STATE)["active"] == paused["active"]  # it stopped
    assert_no_exception(page)


def numbers(page) -> list[str]:
    """The five numbers under the figure, once all are drawn."""
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stMetricValue\"]').length === 5",
        timeout=60_000,
    )
    metrics = page.locator('[data-testid="stMetricValue"]')
    return [metrics.nth(i).inner_text() for i in range(metrics.count())]


def test_a_shared_link_replays_the_same_run(page, streamlit_server, artifacts_dir):
    link = f"{streamlit_server}/?lr=0.05&batch_size=25&epochs=4&seed=7&optimizer=momentum&lang=zh"
    page.goto(link)
    wait_for_app(page)
    assert_no_exception(page)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    page.screenshot(path=str(artifacts_dir / "shared-link.png"), full_page=True)
    first = numbers(page)
    assert len(first) == 5 and first[1] == "4"
    shared = page.url  # the app mirrors every control in the address
    assert "lr=0.05" in shared and "optimizer=momentum" in shared and "lang=zh" in shared
    other = page.context.browser.new_context().new_page()
    other.goto(shared)
    wait_for_app(other)
    other.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    assert numbers(other) == first
    assert "迭代周期" in other.locator("body").inner_text()
    other.screenshot(path=str(artifacts_dir / "shared-link-zh.png"), full_page=True)
    other.context.close()


def test_exported_html_plays_without_a_network(browser, tmp_path, artifacts_dir):
    X, y = synthetic_data([2.0], 4.2, 200, noise=0.5)
    trajectory = run(X, y, epochs=2)
    figure = build_visualiser(
        trajectory, loss_quadratic(X, y), X, y, t=translator("en"), true_w=np.array([2.0]),
        true_b=4.2, speed="fast", landscape="contour",
    )  # fmt: skip
    html = tmp_path / "run.html"
    html.write_text(standalone_html(figure, "run"), encoding="utf-8")
    context = browser.new_context()
    requests = []

    def block(route):
        requests.append(route.request.url)
        route.abort()

    context.route("http*://**/*", block)
    page = context.new_page()
    page.goto(html.as_uri())
    page.wait_for_selector(".js-plotly-plot .scatterlayer path.js-line", timeout=30_000)
    page.keyboard.press("Space")  # the file's own keyboard control: play
    page.wait_for_timeout(3_000)
    state = page.evaluate(STATE)
    page.screenshot(path=str(artifacts_dir / "offline-html.png"))
    assert requests == []  # nothing was fetched from a network
    assert state["pathPoints"] > 3
    page.keyboard.press("Space")  # pause
    page.keyboard.press("ArrowRight")
    context.close()


CAMERA = "() => document.querySelector('.js-plotly-plot')._fullLayout.scene.camera.eye"


def test_keys_step_and_play_and_the_camera_survives_a_rerun(app_page, artifacts_dir):
    page = app_page
    wait_for_chart(page)
    page.locator("h1").first.click()  # focus the page, not a widget
    active = "n => document.querySelector('.js-plotly-plot')._fullLayout.sliders[0].active === n"
    for step in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(active, arg=step, timeout=15_000)  # a redraw can be slow here
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(active, arg=2, timeout=15_000)
    page.keyboard.press("Space")
    page.wait_for_timeout(3_000)
    page.keyboard.press("Space")
    page.wait_for_timeout(1_000)
    stopped = page.evaluate(STATE)["active"]
    assert stopped > 3
    page.wait_for_timeout(1_500)
    assert page.evaluate(STATE)["active"] == stopped

    page.evaluate(
        "() => window.Plotly.relayout(document.querySelector('.js-plotly-plot'),"
        " {'scene.camera.eye': {x: 2.1, y: -0.4, z: 0.6}})"
    )
    page.wait_for_timeout(500)
    page.get_by_text("Fast", exact=True).click()  # a control that changes the figure
    wait_for_app(page)
    page.wait_for_timeout(2_000)
    eye = page.evaluate(CAMERA)
    page.screenshot(path=str(artifacts_dir / "camera-after-rerun.png"), full_page=True)
    assert abs(eye["x"] - 2.1) < 1e-6 and abs(eye["y"] + 0.4) < 1e-6, eye
    assert_no_exception(page)


def test_projection_mode_is_large_from_a_link(page, streamlit_server, artifacts_dir):
    page.goto(f"{streamlit_server}/?projection=1")
    wait_for_app(page)
    wait_for_chart(page)
    sizes = page.evaluate(
        """() => {
            const px = el => parseFloat(getComputedStyle(el).fontSize);
            const texts = Array.from(document.querySelectorAll(
                '[data-testid="stMarkdownContainer"] p, [data-testid="stMetricLabel"] p'));
            const gd = document.querySelector('.js-plotly-plot');
            return {
                body: Math.min(...texts.map(px)),
                ticks: gd._fullLayout.xaxis.tickfont.size,
                sidebar: document.querySelector('[data-testid="stSidebar"]')
                    .getBoundingClientRect().right,
            };
        }"""
    )
    page.screenshot(path=str(artifacts_dir / "projection.png"), full_page=True)
    assert sizes["body"] >= 20 and sizes["ticks"] >= 16, sizes
    assert sizes["sidebar"] <= 1, sizes  # the controls are folded away, off screen
    assert_no_exception(page)
