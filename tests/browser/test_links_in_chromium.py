"""A shared link cannot put a live link, an image or HTML into the app's warnings (real Chromium)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from tests.browser.conftest import assert_no_exception, wait_for_app

LINK = "[Log in again](https://example.org/login)"
PIXEL = "![x](http://127.0.0.1:9/pixel.png)"
HTML = "<img src=http://127.0.0.1:9/html.png>"


def test_link_values_show_as_text_and_fetch_nothing(page, streamlit_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    query = {"lr": LINK, "seed": PIXEL, "noise": HTML, "epochs": "5" * 10_000}
    page.goto(
        streamlit_server + "/?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
    )
    wait_for_app(page)
    assert_no_exception(page)
    alerts = page.locator('[data-testid="stAlert"]')
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=stAlert]').length >= n", arg=4
    )
    text = "\n".join(alerts.nth(i).inner_text() for i in range(alerts.count()))
    assert f"lr={LINK[:40]}…" in text and f"seed={PIXEL}" in text and f"noise={HTML}" in text
    assert f"epochs={'5' * 40}…" in text and "5" * 41 not in text
    assert alerts.locator("a").count() == 0 and alerts.locator("img").count() == 0
    hosts = {urlsplit(url).netloc for url in requested}
    assert not hosts & {"127.0.0.1:9", "example.org"}, hosts


def test_a_link_whose_data_and_run_are_refused_shows_the_default_run_and_says_why(
    page, streamlit_server
):
    query = "w1=0&w2=0&b=1e-200&noise=0&optimizer=rmsprop&rmsprop_centered=1&rmsprop_alpha=0"
    page.goto(f"{streamlit_server}/?{query}")
    wait_for_app(page)
    assert_no_exception(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length >= 4", timeout=60_000
    )
    text = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("b=1e-200" in t and "default data are shown instead" in t for t in text), text
    assert any("alpha=0.0 is not allowed" in t for t in text), text
    page.wait_for_function("() => location.search.includes('b=4.2')")
    assert "rmsprop" not in page.url
