"""The fixtures of the app's tests: a session of the app, fresh or from a link, tidied after."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import streamlit.testing.v1.app_test as app_test
from streamlit.testing.v1 import AppTest

from tests.app.driving import NavigationOnly, new_app, stop_jobs


@pytest.fixture(autouse=True)
def navigation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_test, "PagesManager", NavigationOnly)


@pytest.fixture
def app() -> Iterator[AppTest]:
    """The app's first page in a new session."""
    at = new_app()
    yield at
    stop_jobs(at)


@pytest.fixture
def fresh_app() -> Iterator[Callable[[dict[str, str]], AppTest]]:
    """Opens more sessions, each from a link's query parameters; their trainings end with the test."""
    opened: list[AppTest] = []

    def open_link(params: dict[str, str]) -> AppTest:
        opened.append(new_app(params))
        return opened[-1]

    yield open_link
    for at in opened:
        stop_jobs(at)
