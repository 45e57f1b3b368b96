"""A per-call wall-clock limit for code that may hang on hostile input."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TimeLimitExceeded(Exception):
    pass


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    raise TimeLimitExceeded()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TimeLimitExceeded`` inside the block after ``seconds``.

    Uses SIGALRM, which interrupts pure-Python loops and returns from most C
    calls; it needs the main thread (true for the local executor and for Ray
    workers, which run tasks on their main thread). Elsewhere the block runs
    unlimited rather than failing.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
