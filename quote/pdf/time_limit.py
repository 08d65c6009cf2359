"""A time limit for rendering, so that one oversized document cannot hold a worker.

``with time_limit(20): render_offer(...)`` raises ``RenderTimeout`` when the
block runs longer. It uses the interval timer (``SIGALRM``), which only the
main thread of a process can use: under gunicorn's sync workers every request
runs there. In any other thread (a threaded development server) the block runs
without a limit, and gunicorn's worker timeout remains the outer bound.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class RenderTimeout(Exception):
    """Rendering took longer than its limit."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"rendering took longer than {seconds:g} s")


def can_limit_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``RenderTimeout`` in the block after ``seconds`` (None or 0: no limit)."""
    if not seconds or not can_limit_time():
        yield
        return

    state = {"running": True, "expired": False}

    def expired(_signum, _frame):
        if state["running"]:  # a signal handled after the block ended changes nothing
            state["expired"] = True
            raise RenderTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        state["running"] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    # The handler's exception can be swallowed where Python cannot raise it (inside a
    # garbage collector callback, for one); the block still ran too long.
    if state["expired"]:
        raise RenderTimeout(seconds)
