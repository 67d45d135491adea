"""Readable from the back of a room and on a phone: large numbers on a projector, nothing cut at
a laptop's, a projector's or a phone's width, the player's bar in sight while the views scroll,
the update rule typeset. The README's pictures (docs/readable-*.png) are this file's."""

from __future__ import annotations

import pytest

from tests.browser.test_in_chromium import open_app, wait_step

# Everything whose text a user reads off a number or a label: cut if its text is wider than it.
CUT = """() => {
    const sel = ['[data-testid=stMetricValue] *', '[data-testid=stMetricLabel] *',
                 '.stButton button', '.stButton button *', '[data-testid=stDownloadButton] button',
                 '[data-testid=stDownloadButton] button *', '.gdv-table th', '.gdv-table td',
                 '.gdv-bar button', '[data-descent=readout]', '[data-descent=equation]'];
    const cut = [];
    for (const el of document.querySelectorAll(sel.join(', '))) {
        if (el.clientWidth === 0) continue;  // not shown (a folded sidebar)
        const r = el.getBoundingClientRect();
        if (el.scrollWidth > el.clientWidth + 1 || r.right > window.innerWidth + 1) {
            cut.push(`${el.tagName}.${el.className}: ${el.textContent.slice(0, 40)}` +
                     ` (${el.scrollWidth} > ${el.clientWidth}, right ${Math.round(r.right)})`);
        }
    }
    return cut;
}"""
# The smallest font size, in CSS pixels, of the text of each kind of number a teacher points at.
SIZES = """() => {
    const px = el => parseFloat(getComputedStyle(el).fontSize);
    const leaves = sel => Array.from(document.querySelectorAll(sel))
        .filter(el => el.children.length === 0 && el.textContent.trim());
    const smallest = sel => Math.min(...leaves(sel).map(px));
    const numbers = document.querySelector('[data-descent=equation] .gdv-numbers');
    return {
        metrics: smallest('[data-testid=stMetricValue], [data-testid=stMetricValue] *'),
        table: smallest('.gdv-table td, .gdv-table th'),
        ...(document.querySelector('.gdv-lines') ? {lines: smallest('.gdv-lines')} : {}),
        readout: px(document.querySelector('[data-descent=readout]')),
        ...(numbers && !numbers.closest('[hidden]') ? {numbers: px(numbers)} : {}),
    };
}"""
# Scroll the page to the loss view; where the player's bar and readout then are.
SCROLLED = """async () => {
    document.querySelector('.st-key-gdv_loss').scrollIntoView({block: 'center'});
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const box = el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
    return {head: box(document.querySelector('.gdv-head')),
            readout: box(document.querySelector('[data-descent=readout]')),
            height: window.innerHeight};
}"""
TYPESET = """() => {
    const eq = document.querySelector('[data-descent=equation]');
    return {formulas: eq.querySelectorAll('math').length,
            widths: Array.from(eq.querySelectorAll('math')).map(m => m.getBoundingClientRect().width),
            numbers: eq.querySelector('.gdv-numbers').textContent, text: eq.textContent};
}"""

SCREENS = [
    ("1280x800", {"width": 1280, "height": 800}, ""),
    ("390x844", {"width": 390, "height": 844}, ""),
    ("projection-en", {"width": 1920, "height": 1080}, "?projection=1"),
    ("projection-zh", {"width": 1920, "height": 1080}, "?projection=1&lang=zh"),
]


@pytest.mark.parametrize(("name", "viewport", "query"), SCREENS, ids=[s[0] for s in SCREENS])
def test_readable_on_a_laptop_a_phone_and_a_projector(
    browser, streamlit_server, artifacts_dir, name, viewport, query
):
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page = context.new_page()
    try:
        open_app(page, streamlit_server, query)
        page.evaluate("document.activeElement.blur()")  # the keys go to the page, no focus ring
        for _ in range(40):  # part way through the first epoch
            page.keyboard.press("ArrowRight")
        state = wait_step(page, "s === 40")
        assert ("第 40 步 / 共 300 步" if "zh" in query else "step 40 / 300") in state["text"]
        assert "w = [1.4481, -2.5843]" in state["text"], state["text"]
        assert page.evaluate(CUT) == []
        typeset = page.evaluate(TYPESET)
        assert typeset["formulas"] >= 2 and min(typeset["widths"]) > 20, typeset
        assert "_{" not in typeset["text"] and "w = [" in typeset["numbers"], typeset
        if query.startswith("?projection=1"):
            sizes = page.evaluate(SIZES)
            assert min(sizes.values()) >= 28, sizes
            page.screenshot(path=str(artifacts_dir / f"readable-{name}.png"))
            page.evaluate("document.querySelector('.gdv-table').scrollIntoView({block: 'end'})")
            page.screenshot(path=str(artifacts_dir / f"readable-{name}-numbers.png"))
        scrolled = page.evaluate(SCROLLED)
        head = scrolled["head"]  # with the loss view in the middle of the screen
        assert head[0] >= 0 and head[1] <= 0.45 * scrolled["height"], scrolled  # bar in sight
        if not query:
            page.screenshot(path=str(artifacts_dir / f"readable-{name}.png"))
    finally:
        context.close()


def test_the_compare_tables_numbers_are_large_on_a_projector(browser, streamlit_server):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{streamlit_server}/compare?projection=1")
        page.wait_for_selector(".gdv-table td", timeout=90_000)
        # The table is drawn before the charts; the readout comes with the player after them.
        page.wait_for_selector("[data-descent=readout]", timeout=90_000)
        sizes = page.evaluate(SIZES)
        assert sizes["table"] >= 28 and sizes["readout"] >= 28, sizes
        assert page.evaluate(CUT) == []
    finally:
        context.close()
