"""The app and its exports in a real Chromium: the player moves every view, on time, from any state."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from linreg_core import run, synthetic_data
from linreg_core.dataset import describe
from linreg_core.plan import TrainSpec
from linreg_viz.exports import standalone_html, trajectory_csv
from linreg_viz.figures import build_views
from linreg_viz.player import payload
from linreg_viz.timeline import make_timeline
from linreg_viz.view_spec import ViewSpec
from tests.browser.conftest import assert_no_exception, wait_for_app

VIEWS = ("surface", "contour", "data", "loss")
READY = """() => {
    const player = document.querySelector('.gdv-player');
    return player && player.getAttribute('data-ready') === 'all' &&
        document.querySelector('[data-descent=readout]').getAttribute('data-step') !== null;
}"""
# Per view, the number of points of the first trace the player moves (a path grows with steps).
STATE = """() => {
    const gd = name => document.querySelector(`.st-key-gdv_${name} .js-plotly-plot, #gdv-${name}`);
    const moving = {surface: 'path3d', contour: 'path2d', data: 'fit', loss: 'progress'};
    const points = {};
    for (const [name, meta] of Object.entries(moving)) {
        const div = gd(name);
        if (!div) continue;
        // What the player last gave the trace; before that, what Plotly drew from the figure.
        const pick = t => (meta !== 'fit' ? t.x : (t.z || t.y));
        const given = div.data.find(t => t.meta === meta);
        const values = pick(given) && pick(given).length !== undefined
            ? pick(given) : pick(div._fullData.find(t => t.meta === meta));
        points[name] = Array.from(values).map(Number);
    }
    const readout = document.querySelector('[data-descent=readout]');
    return {
        step: Number(readout.getAttribute('data-step')),
        text: readout.textContent,
        path: document.querySelector('.gdv-player').getAttribute('data-path'),
        failed: document.querySelector('.gdv-player').getAttribute('data-player') === 'failed',
        playing: document.querySelector('.gdv-play').getAttribute('data-action') === 'pause',
        points: points,
    };
}"""
RECORD = """() => {
    window.__frames = [];
    window.addEventListener('descent:frame',
        e => window.__frames.push([performance.now(), e.detail.step]));
}"""


def open_app(page, base_url: str, query: str = "") -> dict:
    """Open the app (with a query string) and wait until the player has drawn its first step."""
    page.goto(f"{base_url}/{query}")
    wait_for_app(page)
    page.wait_for_function(READY, timeout=60_000)
    # Streamlit draws each chart twice as the page opens: between the two, a chart may hold no
    # data yet; the player then draws its step again on the new one.
    page.wait_for_function(
        f"() => {{ try {{ ({STATE})(); return true; }} catch (e) {{ return false; }} }}"
    )
    assert_no_exception(page)
    return page.evaluate(STATE)


def wait_step(page, predicate: str, timeout: float = 20_000) -> dict:
    """Wait until the readout's step satisfies a JS predicate of `s`, e.g. 's >= 30'."""
    page.wait_for_function(
        f"() => {{ const s = Number(document.querySelector('[data-descent=readout]')"
        f".getAttribute('data-step')); return {predicate}; }}",
        timeout=timeout,
    )
    return page.evaluate(STATE)


def focus_page(page) -> None:
    page.locator("h1").first.click()  # the page, not a control, has the focus


def chart_pictures(page) -> dict[str, bytes]:
    return {name: page.locator(f".st-key-gdv_{name}").screenshot() for name in VIEWS}


def test_play_moves_every_view_and_pause_stops(page, streamlit_server, artifacts_dir):
    start = open_app(page, streamlit_server, "?speed=fast")
    assert start["step"] == 0 and not start["failed"]
    assert len(start["points"]["contour"]) == 1  # only the start drawn
    before = chart_pictures(page)
    page.locator(".gdv-play").click()
    during = wait_step(page, "s >= 60")
    assert during["playing"]
    page.locator(".gdv-play").click()  # pause
    paused = page.evaluate(STATE)
    page.wait_for_timeout(1_000)
    assert page.evaluate(STATE)["step"] == paused["step"] and not paused["playing"]
    step = paused["step"]
    assert len(paused["points"]["surface"]) == len(paused["points"]["contour"]) == step + 1
    assert (
        paused["points"]["loss"][-1] == step and paused["points"]["data"] != start["points"]["data"]
    )
    after = chart_pictures(page)
    page.screenshot(path=str(artifacts_dir / "player-paused.png"), full_page=True)
    assert [name for name in VIEWS if before[name] == after[name]] == []  # every view moved
    assert_no_exception(page)


def test_keys_and_the_slider_reach_every_step(page, streamlit_server):
    open_app(page, streamlit_server)
    focus_page(page)
    for expected in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        wait_step(page, f"s === {expected}")
    page.keyboard.press("ArrowLeft")
    wait_step(page, "s === 2")
    page.keyboard.press("End")
    last = wait_step(page, "s === 300")
    assert last["points"]["loss"][-1] == 300 and "300 / 300" in last["text"]
    page.keyboard.press("Home")
    wait_step(page, "s === 0")
    page.evaluate(
        "() => { const s = document.querySelector('.gdv-bar input[type=range]');"
        " s.value = 150; s.dispatchEvent(new Event('input', {bubbles: true})); }"
    )  # what dragging the slider does
    scrubbed = wait_step(page, "s === 150")
    assert len(scrubbed["points"]["contour"]) == 151
    focus_page(page)
    page.keyboard.press("Space")
    wait_step(page, "s > 152")
    page.keyboard.press("Space")
    stopped = page.evaluate(STATE)["step"]
    page.wait_for_timeout(800)
    assert page.evaluate(STATE)["step"] == stopped


def test_playback_keeps_to_the_clock(page, streamlit_server):
    """At `fast` (30 steps/s) and `slow` (3 steps/s), steps advance with wall time."""
    for query, rate in (("?speed=fast", 30), ("?speed=slow", 3)):
        open_app(page, streamlit_server, query)
        page.evaluate(RECORD)
        page.locator(".gdv-play").click()
        page.wait_for_timeout(3_000)
        frames = page.evaluate("() => window.__frames")
        page.locator(".gdv-play").click()
        (t0, s0), (t1, s1) = frames[0], frames[-1]
        measured = (s1 - s0) / ((t1 - t0) / 1000)
        assert abs(measured - rate) <= 0.1 * rate + 1.5, (query, measured, len(frames))


def test_the_equation_shows_each_steps_numbers_from_the_trajectory(page, streamlit_server):
    """Paused on two steps, the update equation's numbers differ and are the trajectory CSV's."""
    X, y = synthetic_data([2.0, -3.4], 4.2, 1000)  # the app's defaults
    table = pd.read_csv(io.StringIO(trajectory_csv(run(X, y))))
    open_app(page, streamlit_server)
    texts = {}
    for step in (5, 6):
        page.evaluate(
            "n => { const s = document.querySelector('.gdv-bar input[type=range]');"
            " s.value = n; s.dispatchEvent(new Event('input', {bubbles: true})); }",
            step,
        )
        page.wait_for_function(
            f"() => document.querySelector('[data-descent=equation]')"
            f".getAttribute('data-step') === '{step}'"
        )
        texts[step] = page.locator("[data-descent=equation]").inner_text()
    assert texts[5] != texts[6] and "|B| = 10" in texts[6]
    for step, text in texts.items():
        shown = [float(x) for x in re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", text)]
        for column in ("w1", "w2", "b"):  # before and after the update
            for row in (step - 1, step):
                value = table[column][row]
                assert any(abs(v - value) <= 1e-4 * max(1, abs(value)) for v in shown), (
                    column,
                    row,
                    value,
                    text,
                )


def test_the_arrows_start_at_the_step_and_move_with_it(page, streamlit_server):
    """On the contour: the step taken and -lr x the gradient, from the point before the update."""
    open_app(page, streamlit_server, "?optimizer=momentum")
    arrows = {}
    for step in (3, 40):
        page.evaluate(
            "n => { const s = document.querySelector('.gdv-bar input[type=range]');"
            " s.value = n; s.dispatchEvent(new Event('input', {bubbles: true})); }",
            step,
        )
        wait_step(page, f"s === {step}")
        arrows[step] = page.evaluate(
            """() => {
                const gd = document.querySelector('.st-key-gdv_contour .js-plotly-plot');
                const out = {};
                for (const t of gd.data) {  // what the player gave each trace
                    if (t.meta && t.meta.startsWith('arrow_')) out[t.meta] = [Array.from(t.x), Array.from(t.y)];
                }
                const path = gd.data.find(t => t.meta === 'path2d');
                out.before = [path.x[path.x.length - 2], path.y[path.y.length - 2]];
                return out;
            }"""
        )
    for shown in arrows.values():
        assert set(shown) == {"arrow_step", "arrow_full", "arrow_batch", "before"}
        for name in ("arrow_step", "arrow_full", "arrow_batch"):
            xs, ys = shown[name]
            assert abs(xs[0] - shown["before"][0]) < 1e-5 and abs(ys[0] - shown["before"][1]) < 1e-5
    assert arrows[3]["arrow_step"] != arrows[40]["arrow_step"]
    assert len(arrows[3]["arrow_full"][0]) == 6  # shaft and a two-barbed head


def test_the_camera_stays_through_play_and_a_rerun(page, streamlit_server, artifacts_dir):
    open_app(page, streamlit_server, "?speed=fast")
    eye = "() => document.querySelector('.st-key-gdv_surface .js-plotly-plot')._fullLayout.scene.camera.eye"
    page.evaluate(
        "() => window.Plotly.relayout(document.querySelector('.st-key-gdv_surface .js-plotly-plot'),"
        " {'scene.camera.eye': {x: 2.1, y: -0.4, z: 0.6}})"
    )
    page.locator(".gdv-play").click()
    wait_step(page, "s >= 40")
    page.locator(".gdv-play").click()
    assert page.evaluate(eye) == {"x": 2.1, "y": -0.4, "z": 0.6}
    page.get_by_text("中文", exact=True).click()  # a rerun that draws every chart again
    wait_for_app(page)
    page.wait_for_function("() => document.querySelector('.gdv-play').title.includes('播放')")
    page.wait_for_timeout(1_000)
    kept = page.evaluate(eye)
    page.screenshot(path=str(artifacts_dir / "camera-after-rerun.png"), full_page=True)
    assert abs(kept["x"] - 2.1) < 1e-6 and abs(kept["y"] + 0.4) < 1e-6, kept


def test_a_rerun_mid_play_keeps_the_step_and_plays_on(page, streamlit_server):
    open_app(page, streamlit_server, "?speed=normal")
    page.locator(".gdv-play").click()
    before = wait_step(page, "s >= 15")
    page.get_by_text("中文", exact=True).click()  # every chart is drawn again, in Chinese
    wait_for_app(page)
    after = wait_step(page, f"s > {before['step'] + 10}")
    assert "迭代周期" in after["text"] and after["playing"]
    assert len(after["points"]["contour"]) == after["step"] + 1  # not the final path


def test_both_update_paths_move_the_3d_views(browser, streamlit_server):
    for force, path in ((False, "in-place"), (True, "restyle")):
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        if force:
            context.add_init_script("window.GDV_FORCE_RESTYLE = true;")
        page = context.new_page()
        start = open_app(page, streamlit_server)
        assert start["path"] == path
        before = {
            name: page.locator(f".st-key-gdv_{name}").screenshot() for name in ("surface", "data")
        }
        focus_page(page)
        page.keyboard.press("End")
        end = wait_step(page, "s === 300")
        assert (
            len(end["points"]["surface"]) == 301
            and end["points"]["data"] != start["points"]["data"]
        )
        page.wait_for_timeout(600)  # a restyled WebGL scene is painted on a later frame
        for name in ("surface", "data"):
            assert page.locator(f".st-key-gdv_{name}").screenshot() != before[name], (path, name)
        context.close()


def test_a_broken_plotly_leaves_the_final_state_and_says_so(browser, streamlit_server):
    context = browser.new_context()
    context.add_init_script(
        """window.GDV_FORCE_RESTYLE = true;
        let plotly;
        Object.defineProperty(window, 'Plotly', {
            configurable: true,
            get: () => plotly,
            set: value => { value.restyle = () => { throw new Error('no restyle here'); };
                            plotly = value; },
        });"""
    )
    page = context.new_page()
    page.goto(streamlit_server)
    wait_for_app(page)
    page.wait_for_selector(".gdv-player[data-player=failed]", timeout=60_000)
    message = page.locator(".gdv-message")
    assert message.is_visible() and "could not start" in message.inner_text()
    state = page.evaluate(STATE)
    assert len(state["points"]["contour"]) == 301  # the whole run, as built
    context.close()


def numbers(page) -> list[str]:
    """The five numbers under the charts, once all are drawn."""
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
    first = numbers(page)
    assert len(first) == 5 and first[1] == "4"
    shared = page.url  # the app mirrors every control in the address
    assert "lr=0.05" in shared and "optimizer=momentum" in shared and "lang=zh" in shared
    other = page.context.browser.new_context().new_page()
    other.goto(shared)
    wait_for_app(other)
    assert numbers(other) == first
    assert "迭代周期" in other.locator("body").inner_text()
    other.screenshot(path=str(artifacts_dir / "shared-link-zh.png"), full_page=True)
    other.context.close()


def test_chinese_text_draws_real_glyphs(page, streamlit_server):
    """With the CJK fonts installed, 中文 is drawn as characters, not as empty boxes."""
    open_app(page, streamlit_server, "?lang=zh")
    glyphs = page.evaluate(
        """() => {
            const draw = text => {
                const canvas = document.createElement('canvas');
                canvas.width = 64; canvas.height = 32;
                const ctx = canvas.getContext('2d');
                ctx.font = '24px sans-serif';
                ctx.fillText(text, 2, 26);
                return Array.from(ctx.getImageData(0, 0, 64, 32).data).join(',');
            };
            const missing = draw('\\u{10FFFD}');  // a private-use code point: always a box
            return {ti: draw('梯') !== missing, du: draw('度') !== missing,
                    differ: draw('梯') !== draw('度')};
        }"""
    )
    assert glyphs == {"ti": True, "du": True, "differ": True}


def boxes_inside(page) -> list[str]:
    """Titles, axis titles, legends and tick labels of every 2-D chart that stick out of it."""
    return page.evaluate(
        """() => {
            const out = [];
            for (const gd of document.querySelectorAll('.js-plotly-plot')) {
                const frame = gd.getBoundingClientRect();
                for (const el of gd.querySelectorAll('.gtitle, .xtitle, .ytitle, .legend, .xtick text, .ytick text')) {
                    const r = el.getBoundingClientRect();
                    if (r.width === 0) continue;
                    if (r.left < frame.left - 1 || r.right > frame.right + 1 ||
                        r.top < frame.top - 1 || r.bottom > frame.bottom + 1) {
                        out.push(el.getAttribute('class') + ': ' + (el.textContent || '').slice(0, 30));
                    }
                }
            }
            return out;
        }"""
    )


def test_layout_on_a_laptop_a_projector_and_a_phone(browser, streamlit_server, artifacts_dir):
    for width, height in ((1280, 800), (1920, 1080)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        open_app(page, streamlit_server)
        assert boxes_inside(page) == [], (width, boxes_inside(page))
        widths = page.evaluate(
            "() => ['surface', 'data'].map(n => document.querySelector(`.st-key-gdv_${n}`)"
            ".getBoundingClientRect().width)"
        )
        if width == 1920:
            assert min(widths) >= 0.4 * 1920, widths
        page.screenshot(path=str(artifacts_dir / f"layout-{width}.png"), full_page=True)
        context.close()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    open_app(page, streamlit_server)
    boxes = page.evaluate(
        """() => {
            const box = sel => { const r = document.querySelector(sel).getBoundingClientRect();
                                 return [r.left, r.top, r.right, r.bottom]; };
            return {
                views: ['surface', 'contour', 'data', 'loss'].map(n => box(`.st-key-gdv_${n}`)),
                bar: box('.gdv-bar'), readout: box('[data-descent=readout]'),
                sidebar: box('[data-testid=stSidebar]'),
            };
        }"""
    )
    page.screenshot(path=str(artifacts_dir / "layout-phone.png"), full_page=True)
    views = boxes["views"]
    for upper, lower in zip(views, views[1:], strict=False):
        assert lower[1] >= upper[3] - 1, views  # one view per row, each below the last
    assert all(v[2] - v[0] >= 300 for v in views), views
    assert boxes["bar"][3] <= boxes["readout"][1] + 1  # the readout is not covered
    assert boxes["sidebar"][2] <= 1, boxes["sidebar"]  # the sidebar starts folded
    assert boxes_inside(page) == []
    context.close()


def test_projection_mode_is_large_from_a_link(page, streamlit_server, artifacts_dir):
    open_app(page, streamlit_server, "?projection=1")
    sizes = page.evaluate(
        """() => {
            const px = el => parseFloat(getComputedStyle(el).fontSize);
            const texts = Array.from(document.querySelectorAll(
                '[data-testid="stMarkdownContainer"] p, [data-testid="stMetricLabel"] p'));
            const gd = document.querySelector('.st-key-gdv_loss .js-plotly-plot');
            return {
                body: Math.min(...texts.map(px)),
                readout: px(document.querySelector('[data-descent=readout]')),
                ticks: gd._fullLayout.xaxis.tickfont.size,
                sidebar: document.querySelector('[data-testid="stSidebar"]')
                    .getBoundingClientRect().right,
            };
        }"""
    )
    page.screenshot(path=str(artifacts_dir / "projection.png"), full_page=True)
    assert sizes["body"] >= 20 and sizes["ticks"] >= 16 and sizes["readout"] >= 20, sizes
    assert sizes["sidebar"] <= 1, sizes  # the controls are folded away, off screen
    assert_no_exception(page)


def test_exported_html_plays_without_a_network(browser, tmp_path, artifacts_dir):
    X, y = synthetic_data([2.0], 4.2, 200, noise=0.5)
    trajectory = run(X, y, epochs=2)
    data, spec = describe(X, y, np.array([2.0]), 4.2), TrainSpec()
    tl = make_timeline(trajectory, data, spec)
    view = ViewSpec(lang="en", landscape="contour", speed="fast")
    views = build_views(tl, trajectory, data, spec, view)
    blob = payload(tl, spec, view, charts={name: name for name in views})
    html = tmp_path / "run.html"
    html.write_text(standalone_html(views, blob, "run"), encoding="utf-8")
    context = browser.new_context()
    requests = []

    def block(route):
        requests.append(route.request.url)
        route.abort()

    context.route("http*://**/*", block)
    page = context.new_page()
    page.goto(html.as_uri())
    page.wait_for_function(READY, timeout=30_000)
    # plotly.js 4.1 of the file (4.2 in the app) has the internals of the in-place path too.
    assert page.evaluate(STATE)["path"] == "in-place"
    page.mouse.click(2, 2)  # the page, not one of the player's buttons
    page.keyboard.press("Space")  # play, with the file's own keyboard control
    state = wait_step(page, "s >= 20")
    page.keyboard.press("Space")
    page.screenshot(path=str(artifacts_dir / "offline-html.png"))
    assert requests == []  # nothing was fetched from a network
    assert len(state["points"]["contour"]) >= 21 and state["points"]["loss"][-1] >= 20
    context.close()
