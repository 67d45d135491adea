"""The hosted configuration as a viewer meets it: no traceback, and long runs that take turns and
stop when their page has gone."""

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from bench.load import ProcessSample, Session, free_port, serve, wait_healthy
from tests import event_loop

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-not-for-viewers"
SCRIPT = f"""
import streamlit as st

st.write("before")
def leak(token="{SECRET}"):
    raise ValueError("failed with " + token)
leak()
"""


def test_an_uncaught_exception_shows_no_type_message_or_traceback(tmp_path):
    script = tmp_path / "boom.py"
    script.write_text(SCRIPT)
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, server)
            page = event_loop.run(Session(url).load(timeout=60))
        finally:
            server.terminate()
            server.wait(timeout=10)
        log.seek(0)
        server_log = log.read().decode(errors="replace")
    assert len(page.exceptions) == 1, page
    shown = page.exceptions[0]
    assert SECRET not in str(shown) and "ValueError" not in str(shown), shown
    assert not shown.stack_trace, shown.stack_trace
    assert SECRET in server_log  # whoever runs the server still sees it


CAP = "n=100000&batch_size=1&epochs=20&lr=0.0001&seed={}"  # 2,000,000 updates: the engine's cap


@pytest.fixture(scope="module")
def app_server():
    """`streamlit run app.py` as deployed (the repository's config), on a free loopback port."""
    with tempfile.TemporaryFile() as log, serve(log) as served:
        yield served.url, served.replicas["app1"].pid


def cpu_seconds(pid: int) -> float:
    return ProcessSample.of([pid]).cpu_s


def test_a_visitor_who_leaves_during_a_long_run_stops_costing_cpu(app_server):
    url, pid = app_server

    async def leave_early():
        tab = Session(url)
        assert (await tab.load(timeout=60)).error is None  # warm: the next run starts at once
        assert (await tab.load(CAP.format(1), timeout=0.6)).error  # a tab closed mid-run
        await tab.close()

    event_loop.run(leave_early())
    left = cpu_seconds(pid)
    time.sleep(3)
    # The rest of the run would cost the server about a second of CPU; a chunk is 0.07 s.
    assert cpu_seconds(pid) - left < 0.3


def test_a_long_run_that_waits_for_its_turn_says_so(app_server):
    url, _ = app_server

    async def two_long_runs():
        tabs = [Session(url), Session(url)]
        try:
            return await asyncio.gather(
                *(t.load(CAP.format(k + 2), 60) for k, t in enumerate(tabs))
            )
        finally:
            await asyncio.gather(*(t.close() for t in tabs))

    pages = event_loop.run(two_long_runs())
    assert [p.error for p in pages] == [None, None]
    assert sorted(p.queued for p in pages) == [False, True]  # one computed, the other waited


def test_a_visitor_who_leaves_during_a_torch_run_stops_costing_cpu(app_server):
    """The PyTorch engine steps in Python: it checks for its page between chunks too."""
    url, pid = app_server
    torch_run = "n=10000&batch_size=1&epochs=1&engine=torch&lr=0.001&seed={}"  # about 1.5 s

    async def leave_early():
        tab = Session(url)
        assert (await tab.load("n=200&engine=torch", timeout=60)).error is None  # torch imported
        assert (await tab.load(torch_run.format(1), timeout=0.6)).error  # a tab closed mid-run
        await tab.close()

    event_loop.run(leave_early())
    left = cpu_seconds(pid)
    time.sleep(3)
    assert cpu_seconds(pid) - left < 0.3


def test_each_waiting_tab_is_shown_its_own_place_in_the_queue(app_server):
    url, _ = app_server

    async def three_long_runs():
        tabs = [Session(url) for _ in range(3)]
        try:
            pages = []
            for k, tab in enumerate(tabs):  # one after another: the queue's order is known
                pages.append(asyncio.create_task(tab.load(CAP.format(k + 10), 60)))
                await asyncio.sleep(0.3)
            return await asyncio.gather(*pages)
        finally:
            await asyncio.gather(*(t.close() for t in tabs))

    pages = event_loop.run(three_long_runs())
    assert [p.error for p in pages] == [None] * 3
    assert [p.place for p in pages] == [None, 1, 2]  # the first computed at once
