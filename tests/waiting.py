"""The one way a test waits: for a condition, with a deadline, and a message when it is missed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Generous: a training of a tiny model takes seconds, but CI machines are shared and slow.
DEFAULT_TIMEOUT = 120.0


def wait_until(condition: Callable[[], T], timeout: float = DEFAULT_TIMEOUT, interval: float = 0.02,
               message: str | Callable[[], str] = "the condition never held",
               between: Callable[[], object] | None = None) -> T:
    """Call ``condition`` until it returns something true, and return that.

    ``between`` runs after each miss (an AppTest rerun, say). Past ``timeout`` seconds the test
    fails with ``message`` (a callable gives one that describes the state at that moment).
    """
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s: "
                                 f"{message() if callable(message) else message}")
        time.sleep(interval)
        if between is not None:
            between()
    return value
