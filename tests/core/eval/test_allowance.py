"""The time allowance: a block past it is interrupted where it is, and nothing is left armed."""

import signal
import threading
import time

import pytest

from lstm_core.eval.allowance import OverAllowance, can_interrupt, time_allowance

CAP = 20.0  # the busy loops' own end: an allowance that failed to interrupt shows as a slow test


def busy(seconds: float = CAP) -> None:
    """Pure Python work with no sleep to interrupt: what a statsforecast fit looks like to a signal."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def assert_nothing_left_armed(handler) -> None:
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler


def test_a_block_past_its_allowance_is_interrupted_where_it_is():
    handler = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(OverAllowance), time_allowance(0.2):
        busy()
    assert time.monotonic() - started < 2.0
    assert_nothing_left_armed(handler)


def test_a_librarys_except_exception_does_not_swallow_it():
    def fit_that_catches_its_failures():
        try:
            busy()
        except Exception:  # noqa: BLE001 - what a library does around one candidate model
            return "swallowed"

    with pytest.raises(OverAllowance), time_allowance(0.2):
        fit_that_catches_its_failures()


def test_a_block_within_its_allowance_ends_as_usual_and_disarms():
    handler = signal.getsignal(signal.SIGALRM)
    with time_allowance(5.0):
        busy(0.05)
    assert_nothing_left_armed(handler)
    busy(0.1)  # nothing fires after the block


def test_off_the_main_thread_the_block_runs_to_its_end():
    outcome = {}

    def in_thread():
        outcome["can_interrupt"] = can_interrupt()
        try:
            with time_allowance(0.05):
                busy(0.3)
            outcome["ended"] = True
        except OverAllowance:
            outcome["ended"] = False

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join(timeout=CAP)
    assert outcome == {"can_interrupt": False, "ended": True}
    assert can_interrupt()
