"""A failed job: one line for the person, and the traceback of an unexpected error in the log."""

from __future__ import annotations

import logging

import pytest

from lstm_core.errors import ConfigError
from lstm_core.runs.progress import failure_message


def raised(exc: Exception) -> Exception:
    try:
        raise exc
    except Exception as caught:  # noqa: BLE001 - the point: an exception with its traceback
        return caught


def test_an_unexpected_error_is_one_line_for_the_person_and_a_traceback_in_the_log(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="lstm_core.runs.progress"):
        text = failure_message(raised(KeyError("weights")))
    assert text == "the training failed unexpectedly: KeyError: 'weights'"
    (record,) = caplog.records
    assert record.exc_info is not None and "raise exc" in caplog.text  # the traceback's line


def test_our_own_errors_are_told_as_they_are_and_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="lstm_core.runs.progress"):
        message = "window must be at least 1"
        assert failure_message(raised(ConfigError(message))) == message
        assert "more memory" in failure_message(raised(MemoryError()))
    assert caplog.records == []
