"""The replica topology of deploy/ without Docker, on loopback: three `streamlit run app.py`
replicas on free ports behind Debian's haproxy running deploy/haproxy.cfg as it is (its
${NAME-default} variables point it at the replicas).

With CI=true this runs, and fails if haproxy is missing (.ci/run installs it); elsewhere it skips,
saying why.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import csv
import http.client
import io
import os
import re
import shutil
import signal
import tempfile
import time
import urllib.request
from collections import Counter

import pytest

from bench.load import REPLICAS, ProcessSample, Served, Session, serve
from tests import event_loop
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, wait_for_app

COOKIE = "LINREG_REPLICA"  # the sticky cookie deploy/haproxy.cfg inserts
QUERY = "n=200&epochs=2&lr=0.05"  # a small run: quick page loads
# What HAProxy compresses (deploy/haproxy.cfg, `compression type`): scripts, styles, the page.
TEXT = re.compile(r"text/|javascript|json|svg")


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but haproxy is missing; .ci/run installs Debian's haproxy package")
    pytest.skip("haproxy not found: install Debian's haproxy package to run the replica test")


def stats_rows(served: Served) -> list[dict[str, str]]:
    """HAProxy's statistics, a row per proxy and server."""
    with urllib.request.urlopen(f"{served.stats}/;csv", timeout=5) as response:
        return list(csv.DictReader(io.StringIO(response.read().decode().lstrip("# "))))


def replica_states(served: Served) -> dict[str, str]:
    """HAProxy's view of each replica: UP, DOWN, ..."""
    return {row["svname"]: row["status"] for row in stats_rows(served) if row["pxname"] == "apps"}


def bytes_to_visitors(served: Served) -> int:
    """What HAProxy has sent to browsers so far: files, pages and websocket frames, as sent,
    once every visitor's connection has closed. A websocket is a tunnel whose bytes HAProxy
    adds to `bout` only when it closes (read earlier, a first visit's frames are missing). Its
    `bout` counts a compressed response as it was before compression: the bytes that went into
    the compressor are counted as the bytes that came out of it."""
    deadline = time.monotonic() + 10
    while True:
        rows = stats_rows(served)
        (row,) = [r for r in rows if r["pxname"] == "web" and r["svname"] == "FRONTEND"]
        if row["scur"] == "0":
            return int(row["bout"]) - int(row["comp_in"]) + int(row["comp_out"])
        assert time.monotonic() < deadline, f"{row['scur']} connections still open after 10 s"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def topology():
    haproxy = haproxy_binary()
    with tempfile.TemporaryFile() as log, serve(log, haproxy) as served:
        deadline = time.monotonic() + 20
        while set(replica_states(served).values()) != {"UP"}:
            assert time.monotonic() < deadline, f"replicas not UP: {replica_states(served)}"
            time.sleep(0.2)
        yield served


BOUNDARY = "linreg-bench"


def multipart(content: bytes) -> bytes:
    """A file as a browser's form upload sends it."""
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
    return (
        f"{head}Content-Type: text/csv\r\n\r\n".encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def upload(tab: Session, cookies: dict, content: bytes = b"x,y\n1,2\n", announce=None):
    """PUT a file through the proxy to the upload route of this tab's session, with these cookies:
    the status, and who answered (a replica says "uvicorn" in its Server header, HAProxy
    nothing). With `announce`, only headers announcing the body's size so are sent."""
    body = multipart(content)
    connection = http.client.HTTPConnection(tab.base_url.removeprefix("http://"), timeout=20)
    try:
        connection.putrequest("PUT", f"/_stcore/upload_file/{tab.session_id}/probe")
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "X-Xsrftoken": cookies.get("_streamlit_xsrf", ""),
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            **(announce or {"Content-Length": str(len(body))}),
        }
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(None if announce else body)
        response = connection.getresponse()
        return response.status, response.getheader("Server", "haproxy")
    finally:
        connection.close()


def test_tabs_spread_over_the_replicas_and_each_sticks_to_its_own(topology):
    async def scenario():
        tabs = [Session(topology.url) for _ in range(6)]
        try:
            first = [await tab.load(QUERY, 60, digest=True) for tab in tabs]  # all stay open
            assert [p.error for p in first] == [None] * 6
            replica = [tab.cookies[COOKIE] for tab in tabs]
            assert Counter(replica) == dict.fromkeys(REPLICAS, 2), replica  # leastconn: 2 each
            assert len({p.chart_digest for p in first}) == 1  # one link, one run, any replica
            for tab, page, name in zip(tabs, first, replica, strict=True):
                again = await tab.load(QUERY, 60, resume=True)  # the tab reconnects
                assert again.error is None and tab.cookies[COOKIE] == name
                assert again.session_id == page.session_id  # its replica still had it
                assert upload(tab, tab.cookies) == (204, "uvicorn")
                # Another replica has no such session: without the cookie, uploads would fail.
                elsewhere = next(n for n in REPLICAS if n != name)
                assert upload(tab, {**tab.cookies, COOKIE: elsewhere}) == (400, "uvicorn")
        finally:
            await asyncio.gather(*(tab.close() for tab in tabs))

    event_loop.run(scenario())


def test_the_proxy_refuses_an_upload_over_the_limit_before_a_replica_sees_it(topology):
    async def scenario():
        tab = Session(topology.url)
        try:
            assert (await tab.load(QUERY, 60)).error is None
            limit = 10 * 2**20  # server.maxUploadSize, for the whole body
            over = {"Content-Length": str(limit + 1)}
            assert upload(tab, tab.cookies, announce=over) == (413, "haproxy")
            unsaid = {"Transfer-Encoding": "chunked"}
            assert upload(tab, tab.cookies, announce=unsaid) == (411, "haproxy")
            largest = b"1" * (limit - len(multipart(b"")))  # what a replica still takes
            assert upload(tab, tab.cookies, largest) == (204, "uvicorn")
        finally:
            await tab.close()

    event_loop.run(scenario())


def test_a_tab_whose_replica_dies_gets_the_same_run_from_another(topology):
    async def scenario():
        tab = Session(topology.url)
        try:
            before = await tab.load(QUERY, 60, digest=True)
            assert before.error is None
            dead = tab.cookies[COOKIE]
            topology.replicas[dead].send_signal(signal.SIGKILL)  # mid-session
            await asyncio.wait_for(tab.ws.wait_closed(), 10)  # the tab was on that one
            after = await tab.load(QUERY, 60, resume=True, digest=True)  # same cookie and link
            assert after.error is None, after.error
            assert tab.cookies[COOKIE] != dead
            assert after.session_id != before.session_id  # its session died with the replica
            assert after.chart_digest == before.chart_digest  # the link replays the same run
        finally:
            await tab.close()

    event_loop.run(scenario())


def test_a_first_visit_costs_a_replica_its_page_not_its_files(topology):
    """Two visitors, each a fresh Chromium profile (an empty browser cache), open the same link
    one after the other on warm replicas. The second's first visit, all its files and the
    page's run included, costs the replicas under 0.1 CPU-s, Streamlit's files coming from
    HAProxy's cache; and its text (scripts, styles, the page) comes gzipped: the wire carries
    under half of what those files hold. All it is sent, fonts and the websocket's frames
    included, is at most 4 MB, as HAProxy counts it."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: the first visit needs a real browser")
    from playwright.sync_api import sync_playwright

    # the replicas alive (an earlier test may have killed one)
    pids = [process.pid for process in topology.replicas.values() if process.poll() is None]

    async def warm() -> None:  # every replica has run the link once: its code and run are warm
        for name in REPLICAS:
            tab = Session(topology.url, {COOKIE: name})
            try:
                assert (await tab.load(QUERY, 60)).error is None
            finally:
                await tab.close()

    event_loop.run(warm())

    def visit(browser) -> tuple[int, int]:
        """The bytes a first visit took off the wire, and what its files hold once decoded."""
        context = browser.new_context(viewport=VIEWPORT)
        responses, frames = [], []
        try:
            page = context.new_page()
            page.on("response", lambda response: responses.append(response))
            page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f)))
            page.goto(f"{topology.url}/?{QUERY}")
            wait_for_app(page)
            page.wait_for_selector(".js-plotly-plot", timeout=60_000)
            text = [r for r in responses if r.ok and TEXT.search(r.headers.get("content-type", ""))]
            sizes = [response.request.sizes() for response in text]
            wire = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)
            files = sum(len(response.body()) for response in text)
        finally:
            context.close()
        return wire, files

    def two_visits() -> tuple[float, int, int, int]:
        """The second visit's CPU on the replicas, its text's bytes on the wire and decoded, and
        all it was sent, as HAProxy counts it."""
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                visit(browser)  # the first visitor of the day: the files are read once
                # Idle replicas still answer health checks and keep their loops: that is not the
                # visit's cost, so their idle rate, measured just before, is taken off.
                idle, start = ProcessSample.of(pids), time.monotonic()
                time.sleep(3)
                before = ProcessSample.of(pids)
                idle_rate = (before.cpu_s - idle.cpu_s) / (time.monotonic() - start)
                start, sent = time.monotonic(), bytes_to_visitors(topology)
                wire, files = visit(browser)
                cpu = ProcessSample.of(pids).cpu_s - before.cpu_s
                cpu -= idle_rate * (time.monotonic() - start)
                sent = bytes_to_visitors(topology) - sent
            finally:
                browser.close()
        return cpu, wire, files, sent

    # Playwright's sync API runs its own event loop: in a thread of its own, since the browser
    # tests' session may hold one on this thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        cpu, wire, files, sent = pool.submit(two_visits).result()
    assert cpu < 0.1, f"a first visit cost the replicas {cpu:.3f} CPU-s"
    assert files > 4e6 and wire < files / 2, f"{wire / 1e6:.2f} MB sent for {files / 1e6:.2f} MB"
    assert sent <= 4e6, f"a first visit took {sent / 1e6:.2f} MB off the wire"
