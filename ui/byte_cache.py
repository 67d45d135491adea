"""A cache that every session shares, bounded in bytes, each value computed once however many ask.

Streamlit's `st.cache_resource` bounds entries and age, not bytes, and a page cannot ask it
whether a call will be quick; this cache can say both. Under one lock: the least recently used
values leave once the sizes add up past the budget, a value older than `ttl` is computed
again, and a value that several sessions ask for at once is computed by the first of them while
the others wait for it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
POLL_S = 0.1  # how often a waiting caller's `wait` is called


class ByteCache(Generic[V]):
    """Values by key, at most `budget` bytes of them (as `size` counts), each kept `ttl` seconds."""

    def __init__(self, budget: int, ttl: float, size: Callable[[V], int]):
        self.budget, self.ttl, self.size = budget, ttl, size
        self._values: OrderedDict[Hashable, tuple[V, int, float]] = OrderedDict()
        self._computing: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()
        self.nbytes = 0

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: Hashable) -> V | None:
        """The value for `key` if it is here and fresh, else None."""
        with self._lock:
            return self._fresh(key)

    def get_or_compute(
        self, key: Hashable, compute: Callable[[], V], wait: Callable[[], None] = lambda: None
    ) -> V:
        """The value for `key`, computed by `compute()` if no one has it or is computing it.

        A caller that finds another computing it calls `wait()` every POLL_S seconds until that
        one is done; `wait` may raise to give up. If the one computing fails, the next caller
        computes it. A value larger than the whole budget is returned but not kept.
        """
        while True:
            with self._lock:
                value = self._fresh(key)
                if value is not None:
                    return value
                done = self._computing.get(key)
                if done is None:
                    done = self._computing[key] = threading.Event()
                    break
            while not done.wait(POLL_S):
                wait()
        try:
            value = compute()
            self._keep(key, value, self.size(value))
            return value
        finally:
            with self._lock:
                del self._computing[key]
            done.set()

    def _fresh(self, key: Hashable) -> V | None:
        entry = self._values.get(key)
        if entry is None:
            return None
        value, size, born = entry
        if time.monotonic() - born > self.ttl:
            del self._values[key]
            self.nbytes -= size
            return None
        self._values.move_to_end(key)
        return value

    def _keep(self, key: Hashable, value: V, size: int) -> None:
        if size > self.budget:
            return
        with self._lock:
            self.nbytes += size
            self._values[key] = (value, size, time.monotonic())
            while self.nbytes > self.budget:
                _, (_, dropped, _) = self._values.popitem(last=False)
                self.nbytes -= dropped
