"""The ringed minibatch in a real Chromium: it is the step's batch, and it moves with the player."""

from __future__ import annotations

from tests.browser.test_in_chromium import open_app, wait_step

BATCH = """() => {
    const gd = document.querySelector('.st-key-gdv_data .js-plotly-plot');
    const ring = gd.data.find(t => t.meta === 'batch');
    const data = gd._fullData[0];
    const xs = Array.from(ring.x).map(Number);
    const known = new Set(Array.from(data.x).map(v => Number(v).toFixed(4)));
    let drawn = null;  // 2-D: the ring markers on screen
    for (const group of gd.querySelectorAll('.scatterlayer .trace')) {
        const bound = group.__data__;
        if (bound && bound[0] && bound[0].trace.meta === 'batch') {
            drawn = group.querySelectorAll('path.point').length;
        }
    }
    return {
        rows: document.querySelector('[data-descent=readout]').getAttribute('data-batch'),
        text: document.querySelector('[data-descent=readout]').textContent,
        x: xs,
        onData: xs.every(v => known.has(v.toFixed(4))),
        drawn: drawn,
    };
}"""


def seek(page, step: int) -> dict:
    page.evaluate(
        "n => { const s = document.querySelector('.gdv-bar input[type=range]');"
        " s.value = n; s.dispatchEvent(new Event('input', {bubbles: true})); }",
        step,
    )
    wait_step(page, f"s === {step}")
    return page.evaluate(BATCH)


def test_the_ringed_batch_is_each_steps_and_moves_on_play(page, streamlit_server):
    for query, flat in (("?d=1", True), ("", False)):
        open_app(page, streamlit_server, query)
        five, six = seek(page, 5), seek(page, 6)
        assert five["rows"] != six["rows"] and five["x"] != six["x"]
        for shown in (five, six):
            assert len(shown["x"]) == 10 and shown["onData"], shown
            assert "batch of 10" in shown["text"]
        page.locator(".gdv-play").click()
        playing = wait_step(page, "s >= 25")
        during = page.evaluate(BATCH)
        page.locator(".gdv-play").click()
        assert during["rows"] != six["rows"] and len(during["x"]) == 10, playing
        if flat:  # moved as SVG while playing: ten rings on screen, at the batch's points
            assert during["drawn"] == 10
