"""The shared cache of runs: bounded in bytes, each value computed once however many sessions ask."""

import threading
import time

import pytest

from ui import byte_cache
from ui.byte_cache import ByteCache


def sized(budget: int, ttl: float = 60.0) -> ByteCache:
    return ByteCache(budget=budget, ttl=ttl, size=len)


def test_the_least_recently_used_values_leave_once_the_budget_is_full():
    cache = sized(budget=10)
    for key in "abc":
        cache.get_or_compute(key, lambda: b"xxxx")  # 4 bytes each: only two fit
    assert cache.get("a") is None and cache.get("b") == b"xxxx" and cache.nbytes == 8
    cache.get("b")  # b is now more recent than c
    cache.get_or_compute("d", lambda: b"yyyy")
    assert cache.get("c") is None and cache.get("b") is not None and cache.nbytes == 8
    cache.get_or_compute("huge", lambda: b"z" * 11)  # larger than the whole budget
    assert cache.get("huge") is None and len(cache) == 2


def test_a_value_older_than_the_ttl_is_computed_again(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(byte_cache.time, "monotonic", lambda: now[0])
    cache, computed = sized(budget=100, ttl=60), []
    cache.get_or_compute("k", lambda: computed.append(1) or b"v")
    now[0] += 59
    cache.get_or_compute("k", lambda: computed.append(2) or b"v")
    now[0] += 2
    cache.get_or_compute("k", lambda: computed.append(3) or b"v")
    assert computed == [1, 3] and cache.nbytes == 1


def test_sessions_asking_for_one_run_at_once_compute_it_once():
    cache, computed, waits = sized(budget=100), [], []
    started = threading.Event()

    def slow() -> bytes:
        computed.append(threading.get_ident())
        started.set()
        time.sleep(0.5)
        return b"run"

    results = []
    first = threading.Thread(target=lambda: results.append(cache.get_or_compute("k", slow)))
    first.start()
    started.wait(5)
    others = [
        threading.Thread(
            target=lambda: results.append(cache.get_or_compute("k", slow, lambda: waits.append(1)))
        )
        for _ in range(7)
    ]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(10)
    assert results == [b"run"] * 8 and len(computed) == 1
    assert len(waits) >= 7  # each waiting session was told, so its page can say so


def test_when_the_one_computing_gives_up_a_waiting_session_computes_it():
    cache = sized(budget=100)
    started, release = threading.Event(), threading.Event()

    def abandoned() -> bytes:
        started.set()
        release.wait(5)
        raise RuntimeError("the page has gone")

    def first():
        with pytest.raises(RuntimeError):
            cache.get_or_compute("k", abandoned)

    thread = threading.Thread(target=first)
    thread.start()
    started.wait(5)
    threading.Timer(0.3, release.set).start()
    assert cache.get_or_compute("k", lambda: b"mine") == b"mine"
    thread.join(5)


def test_a_waiting_session_that_leaves_stops_waiting():
    cache = sized(budget=100)
    started, release = threading.Event(), threading.Event()

    def slow() -> bytes:
        started.set()
        release.wait(5)
        return b"v"

    thread = threading.Thread(target=lambda: cache.get_or_compute("k", slow))
    thread.start()
    started.wait(5)

    def gone():
        raise KeyboardInterrupt  # what Streamlit's stop is to the code it interrupts

    begin = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        cache.get_or_compute("k", lambda: b"never", gone)
    assert time.monotonic() - begin < 1
    release.set()
    thread.join(5)
    assert cache.get("k") == b"v"
