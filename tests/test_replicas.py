"""The replica topology of deploy/ without Docker, on loopback: three `streamlit run app.py`
replicas on free ports behind Debian's haproxy running deploy/haproxy.cfg as it is (its
${NAME-default} variables point it at the replicas).

With CI=true this runs, and fails if haproxy is missing (.ci/run installs it); elsewhere it skips,
saying why.
"""

from __future__ import annotations

import asyncio
import csv
import http.client
import io
import os
import shutil
import signal
import tempfile
import time
import urllib.request
from collections import Counter

import pytest

from bench.load import REPLICAS, Served, Session, serve
from tests.event_loop import run_apart

COOKIE = "LINREG_REPLICA"  # the sticky cookie deploy/haproxy.cfg inserts
QUERY = "n=200&epochs=2&lr=0.05"  # a small run: quick page loads


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but haproxy is missing; .ci/run installs Debian's haproxy package")
    pytest.skip("haproxy not found: install Debian's haproxy package to run the replica test")


def replica_states(served: Served) -> dict[str, str]:
    """HAProxy's view of each replica: UP, DOWN, ..."""
    with urllib.request.urlopen(f"{served.stats}/;csv", timeout=5) as response:
        rows = csv.DictReader(io.StringIO(response.read().decode().lstrip("# ")))
        return {row["svname"]: row["status"] for row in rows if row["pxname"] == "apps"}


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

    run_apart(scenario())


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

    run_apart(scenario())


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

    run_apart(scenario())
