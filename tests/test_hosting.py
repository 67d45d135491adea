"""The hosted configuration as a viewer meets it: an uncaught exception shows no traceback."""

import subprocess
import sys
import tempfile
from pathlib import Path

from bench.load import Session, free_port, wait_healthy
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
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.address", "127.0.0.1"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
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
