"""Run a coroutine to completion from a test, whatever event loop the thread already runs.

Playwright's sync API (the browser tests' session-scoped fixtures) keeps an asyncio loop running
in the main thread for the whole session; `asyncio.run` refuses to start inside it. A thread of
its own gives the coroutine a fresh loop.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run(coroutine):
    """asyncio.run(coroutine), in a thread with its own event loop; its result or its exception."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
