"""The load generator only ever loads a server on this machine."""

import pytest

from bench.load import Session


@pytest.mark.parametrize("url", ["http://192.0.2.1:8501", "http://[2001:db8::1]:8501", "http://"])
def test_a_target_off_this_machine_is_refused(url):
    with pytest.raises(SystemExit, match="bench.load"):
        Session(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8501", "http://localhost:8501", "http://[::1]:1"]
)
def test_loopback_targets_are_taken(url):
    assert Session(url).base_url == url
