"""An open page outlives a server restart: it reconnects, and the first change made on it counts."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import (
    APP_PATH,
    REPO_ROOT,
    _free_port,
    _healthy,
    assert_no_exception,
    wait_for_app,
)

EPOCHS = ".st-key-ctl_epochs input[type=range]"


class Server:
    """`streamlit run app.py` on one port, that can be stopped and started again there."""

    def __init__(self, log):
        self.port, self.log, self.process = _free_port(), log, None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(APP_PATH),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
            ],
            cwd=REPO_ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while not _healthy(f"{self.url}/_stcore/health"):
            assert self.process.poll() is None and time.monotonic() < deadline, "no server"
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def server():
    with tempfile.TemporaryFile() as log:
        served = Server(log)
        served.start()
        try:
            yield served
        finally:
            served.stop()


def wait_for_epochs(page, epochs: int) -> None:
    """Wait until the run shown has this many epochs (its Epoch metric), and its run has ended."""
    try:
        page.wait_for_function(
            "n => { const m = document.querySelectorAll('[data-testid=stMetricValue]');"
            " return m.length > 1 && m[1].innerText === String(n); }",
            arg=epochs,
            timeout=30_000,
        )
    except PlaywrightTimeout:
        shown = epochs_shown(page)
        raise AssertionError(f"(slider, link, run) = {shown}: not {epochs} epochs") from None
    wait_for_app(page)


def epochs_shown(page) -> tuple[str, list[str] | None, str]:
    """The Epochs slider's value, the link's epochs, and the epoch count of the run shown."""
    metric = page.locator('[data-testid="stMetricValue"]').nth(1).inner_text()
    link = parse_qs(urlsplit(page.url).query).get("epochs")
    return page.locator(EPOCHS).get_attribute("value"), link, metric


def test_after_a_restart_the_first_change_on_the_open_page_is_kept(page, server):
    page.goto(f"{server.url}/?epochs=3")
    wait_for_epochs(page, 3)  # the whole page is drawn before the server goes
    reconnected = []
    page.on("websocket", lambda socket: reconnected.append(socket))
    server.stop()
    server.start()
    deadline = time.monotonic() + 20
    while not reconnected:  # the page's own reconnect (about a second after the server is back)
        assert time.monotonic() < deadline, "the page did not reconnect"
        page.wait_for_timeout(200)
    page.wait_for_timeout(500)
    page.locator(EPOCHS).focus()
    page.keyboard.press("ArrowRight")  # epochs 3 -> 4, the first change after the restart
    wait_for_epochs(page, 4)
    assert_no_exception(page)
    assert epochs_shown(page) == ("4", ["4"], "4")
    page.locator(EPOCHS).focus()
    page.keyboard.press("ArrowRight")  # and the next one, as before the restart
    wait_for_epochs(page, 5)
    assert epochs_shown(page) == ("5", ["5"], "5")


def test_after_a_restart_a_lost_csv_is_asked_for_again_not_replaced(page, server, tmp_path):
    csv = tmp_path / "houses.csv"
    csv.write_text("area,price\n" + "".join(f"{a},{3 * a + 7 + a % 3}\n" for a in range(40)))
    page.goto(f"{server.url}/?epochs=3")
    wait_for_epochs(page, 3)
    page.locator(".st-key-ctl_source label").filter(has_text="My CSV").click()
    page.locator(".st-key-upload_file input[type=file]").set_input_files(str(csv))
    page.wait_for_selector(".st-key-upload_features", timeout=30_000)
    wait_for_app(page)
    reconnected = []
    page.on("websocket", lambda socket: reconnected.append(socket))
    server.stop()
    server.start()
    deadline = time.monotonic() + 20
    while not reconnected:
        assert time.monotonic() < deadline, "the page did not reconnect"
        page.wait_for_timeout(200)
    page.wait_for_timeout(500)
    page.locator(EPOCHS).focus()
    page.keyboard.press("ArrowRight")  # the first change after the restart
    lost = page.get_by_text("no longer on the server")
    lost.wait_for(timeout=30_000)
    wait_for_app(page)
    assert_no_exception(page)
    assert page.locator("[data-testid=stPlotlyChart]").count() == 0  # no data in its name
    assert page.locator("[data-testid=stMetricValue]").count() == 0
