"""What survives Play at each frame speed, and how fast frames really go, in headless Chromium.

Run by hand: .venv/bin/python -m bench.animation_speed

For the book's run (landscape "both", 2 features) and each speed in figures.SPEEDS, it writes the
figure as standalone HTML, plays it for a few seconds in Debian's Chromium (software WebGL, no
GPU), and prints how many contour lines and 3-D surfaces are drawn while playing and the time
each frame actually took. Needs /usr/bin/chromium.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from linreg_core import loss_quadratic, run, synthetic_data
from linreg_viz import figures
from linreg_viz.exports import standalone_html
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

STATE = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    return {
        lines: Array.from(document.querySelectorAll('.subplot.xy .scatterlayer path.js-line'))
            .filter(p => (p.getAttribute('d') || '').length > 20).length,
        surfaces: gd._fullData.filter(t => t.type === 'surface').length,
        active: gd._fullLayout.sliders[0].active,
    };
}"""


def main(seconds: float = 4.0) -> None:
    X, y = synthetic_data([2.0, -3.4], 4.2, 1000)
    trajectory, quad = run(X, y), loss_quadratic(X, y)
    print(f"{'speed':8s} {'asked ms':>8s} {'got ms':>7s} {'lines min':>9s} {'surfaces':>8s}")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for speed, asked in figures.SPEEDS.items():
            figure = figures.build_visualiser(
                trajectory, quad, X, y, true_w=np.array([2.0, -3.4]), true_b=4.2, speed=speed
            )
            html = Path(folder) / f"{speed}.html"
            html.write_text(standalone_html(figure, speed), encoding="utf-8")
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(html.as_uri())
            page.wait_for_selector(".subplot.xy .scatterlayer path.js-line")
            page.locator(".updatemenu-button").first.click()
            start, samples = time.perf_counter(), []
            while time.perf_counter() - start < seconds:
                samples.append(page.evaluate(STATE))
                page.wait_for_timeout(100)
            elapsed = time.perf_counter() - start
            frames = max(samples[-1]["active"], 1)
            print(
                f"{speed:8s} {asked:8d} {1000 * elapsed / frames:7.0f} "
                f"{min(s['lines'] for s in samples):9d} {min(s['surfaces'] for s in samples):8d}"
            )
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
