"""The pages in real Chromium: st.navigation's menu in the session's language, each page at its
own URL path, the controls and the language kept in the address from page to page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from linreg_viz.i18n import TABLE
from tests.browser.conftest import assert_no_exception, serve, wait_for_app
from ui.navigation import PAGES

NAV = '[data-testid="stSidebarNav"] a'


@pytest.fixture(scope="module")
def fresh_server():
    """A server of its own, so that a test makes its first run."""
    with serve() as base_url:
        yield base_url


def menu(page) -> list[tuple[str, str]]:
    """(title, URL path) of each entry of the sidebar's navigation."""
    links = page.locator(NAV)
    return [
        (links.nth(i).inner_text().strip(), urlsplit(links.nth(i).get_attribute("href")).path)
        for i in range(links.count())
    ]


def address(page) -> tuple[str, dict[str, str]]:
    """The page's URL path and its query, one value a name."""
    url = urlsplit(page.url)
    return url.path, {name: values[-1] for name, values in parse_qs(url.query).items()}


def test_a_servers_first_run_for_a_page_opens_it_under_the_pages_menu(page, fresh_server):
    # Streamlit runs a pages/ folder's script on its own until a run calls st.navigation.
    page.goto(fresh_server + "/guide?lang=zh")
    wait_for_app(page)
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text() == TABLE["guide_title"]["zh"]
    assert menu(page) == [(TABLE[key]["zh"], "/" + url_path) for _, url_path, key in PAGES]
    assert page.get_by_text("Page not found").count() == 0
    path, query = address(page)
    assert path == "/guide" and query["lang"] == "zh" and query["epochs"] == "3"


def test_the_menu_keeps_the_controls_and_the_language_from_page_to_page(page, streamlit_server):
    page.goto(streamlit_server + "/?lr=0.1&epochs=4")
    wait_for_app(page)
    page.locator(NAV, has_text=TABLE["page_closed_form"]["en"]).click()
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == TABLE["closed_form_title"]["en"]
    path, query = address(page)
    assert path == "/closed_form" and (query["lr"], query["epochs"]) == ("0.1", "4")
    page.get_by_text("中文", exact=True).click()
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == TABLE["closed_form_title"]["zh"]
    assert [title for title, _ in menu(page)] == [TABLE[key]["zh"] for _, _, key in PAGES]
    assert address(page) == ("/closed_form", {**query, "lang": "zh"})
    page.locator(NAV, has_text=TABLE["page_visualiser"]["zh"]).click()
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot")
    assert address(page) == ("/", {**query, "lang": "zh"})
    assert_no_exception(page)
