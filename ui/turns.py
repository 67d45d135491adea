"""Heavy runs take turns: one at a time in this process, the others wait; light runs never wait.

A run at the engine's cap (`MAX_UPDATES` updates) takes about 1.5 s of CPU and holds about 0.35 GB
while it is computed and drawn. Its Python loop holds the GIL much of that time, so a second
heavy run at once in the same process gains nothing: with `bench/load.py`, 20 distinct runs at
the cap opened together took 28.8 s with two at a time and 30.7 s with one, and two at a time
raised the server's peak memory from 0.84 to 1.12 GB. Replicas (one per core) are how a server
computes several at once. Light runs (under HEAVY_SECONDS) never wait.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from linreg_core.limits import AT_ONCE

POLL_S = 0.1  # how often a waiting run's `wait` is called

# The runs waiting, first come first served: each waiting run's place is its index + 1.
_queue: deque[object] = deque()
_running = 0
_changed = threading.Condition()
# How deep this thread is in turns it holds: a page that takes one turn for all its heavy work
# (its data and its runs) runs that work's own turns inside it, without queueing again.
_held = threading.local()
# glibc keeps what a thread freed in that thread's own heap for reuse, and each session's script
# thread has its own: after 20 runs at the cap a server held 2.4 GB. malloc_trim hands the free
# pages back (0.47 GB after the same 20). Other C libraries (musl, macOS, Windows) have none.
_malloc_trim = getattr(ctypes.CDLL(None), "malloc_trim", None) if sys.platform == "linux" else None


@contextmanager
def turn(wait: Callable[[int], None] = lambda place: None) -> Iterator[None]:
    """Hold the turn for a heavy run, in the order runs asked for it. While others are ahead,
    call `wait(place)` at once and every POLL_S seconds, place 1 being the next to start; it may
    raise to give up waiting. The run's memory goes back to the system after. A thread that
    holds a turn already has it for whatever it runs inside."""
    depth = getattr(_held, "depth", 0)
    if depth:
        _held.depth = depth + 1
        try:
            yield
        finally:
            _held.depth = depth
        return
    with _first_turn(wait):
        _held.depth = 1
        try:
            yield
        finally:
            _held.depth = 0


@contextmanager
def _first_turn(wait: Callable[[int], None]) -> Iterator[None]:
    """The turn itself: queue, wait while others are ahead, run, let the next one go."""
    global _running
    ticket = object()
    with _changed:
        _queue.append(ticket)
    try:
        while True:
            with _changed:
                if _running < AT_ONCE and _queue[0] is ticket:
                    _queue.popleft()
                    _running += 1
                    break
                place = _queue.index(ticket) + 1
            wait(place)
            with _changed:
                _changed.wait(POLL_S)
    except BaseException:
        with _changed:
            _queue.remove(ticket)
            _changed.notify_all()
        raise
    try:
        yield
    finally:
        with _changed:
            _running -= 1
            _changed.notify_all()
        if _malloc_trim is not None:
            _malloc_trim(0)
