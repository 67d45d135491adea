"""Fixtures for real-browser tests: a Streamlit server running app.py and Debian's Chromium.

Every test under tests/browser/ gets the `browser` marker. With CI=true a missing Chromium
fails the run; elsewhere the tests skip, saying why.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_PATH = REPO_ROOT / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT_S = 60.0
VIEWPORT = {"width": 1600, "height": 1000}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def serve() -> Iterator[str]:
    """Run `streamlit run app.py` from the repo root on a free port; yield its base URL."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    # The server's output goes to a file, not a pipe, so a chatty server never blocks.
    with tempfile.TemporaryFile(mode="w+b") as log:
        command = [sys.executable, "-m", "streamlit", "run", str(APP_PATH)]
        command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
        command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
        proc = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)

        def server_output() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")[-5000:]

        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while not _healthy(f"{base_url}/_stcore/health"):
                if proc.poll() is not None:
                    pytest.fail(
                        f"streamlit exited with code {proc.returncode} before it was healthy."
                        f"\nOutput:\n{server_output()}"
                    )
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"streamlit did not answer {base_url}/_stcore/health within "
                        f"{SERVER_START_TIMEOUT_S:.0f} s.\nOutput:\n{server_output()}"
                    )
                time.sleep(0.25)
            yield base_url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def streamlit_server() -> Iterator[str]:
    """One server for the session's tests."""
    with serve() as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}; browser tests must run")
        pytest.skip(
            "Chromium not found at /usr/bin/chromium; "
            "install Debian's chromium package to run browser tests"
        )
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """test-artifacts/ at the repo root (git-ignored): screenshots and other evidence."""
    path = REPO_ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def wait_for_app(page, timeout_ms: float = 60_000) -> None:
    """Wait until the Streamlit app is mounted and its script run has finished.

    Streamlit 1.67 marks the root `[data-testid="stApp"]` with `data-test-script-state`
    (initial / running / rerunRequested / stopRequested / notRunning / compilationError);
    while a run is in progress `[data-testid="stStatusWidget"]` also says "Running".
    Call it again after every interaction that triggers a rerun.
    """
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout_ms)
    # Give a just-triggered rerun a moment to register before waiting for it to end.
    page.wait_for_timeout(300)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (app === null) return false;
            const state = app.getAttribute('data-test-script-state');
            if (state !== 'notRunning' && state !== 'compilationError') return false;
            const status = document.querySelector('[data-testid="stStatusWidget"]');
            return status === null || !/running/i.test(status.innerText || '');
        }""",
        timeout=timeout_ms,
    )


def assert_no_exception(page) -> None:
    """Fail with the message if the app shows an exception box."""
    boxes = page.locator('[data-testid="stException"]')
    if boxes.count():
        texts = "\n---\n".join(boxes.nth(i).inner_text() for i in range(boxes.count()))
        raise AssertionError(f"The app shows {boxes.count()} exception(s):\n{texts}")


@pytest.fixture
def app_page(page, streamlit_server):
    """A page with the app loaded, finished running and without exceptions."""
    page.goto(streamlit_server)
    wait_for_app(page)
    assert_no_exception(page)
    return page
