"""A time allowance for work that offers no way to stop it, such as a statsforecast fit.

The fits are long calls into statsforecast (Python around C++ and numba) with no stop request
and no progress callback, so the only way to end one early is to raise an exception inside it.
:func:`time_allowance` does that with SIGALRM: the interval timer fires once the allowance is
spent, and its handler raises :class:`OverAllowance` in the main thread at the next Python
bytecode (a C++ or numba step in progress finishes first: about a second at most in a fit).
Signal handlers run only in the main thread, which is where the pool's local workers and the
command line run a job; a Ray actor runs a job in a thread of its own, where the block runs
with no limit but the job's own.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class OverAllowance(BaseException):  # noqa: N818 - named for what happened, as KeyboardInterrupt is
    """The allowance ran out. A BaseException, as KeyboardInterrupt is: a library's
    ``except Exception`` around one candidate model must not take it for that model's failure."""


def can_interrupt() -> bool:
    """Whether :func:`time_allowance` can end its block early here (the main thread, with SIGALRM)."""
    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_allowance(seconds: float) -> Iterator[None]:
    """Run the block with ``seconds`` to spend: past them, :class:`OverAllowance` is raised in it.

    Where :func:`can_interrupt` is false the block runs to its end. Nothing else in LSTM Lab
    uses SIGALRM or the real-time interval timer; a block inside a block is not supported.
    """
    if not can_interrupt():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.siginterrupt(signal.SIGALRM, False)  # other threads' system calls resume after it
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous or signal.SIG_DFL)  # None: not set from Python


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise OverAllowance
