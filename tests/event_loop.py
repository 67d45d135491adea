"""asyncio.run for tests that share the process with Playwright's sync API: once a browser test
has started it, its event loop runs in the main thread for the rest of the session, and
asyncio.run refuses to start a loop there. A thread of its own has no loop running."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_apart(coroutine):
    """asyncio.run(coroutine) in a thread of its own; its result or its exception."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()
