"""Driving the app in Streamlit's AppTest: open pages, set up a tiny model, train, read the page.

The fixtures that hand a test an app (``app``, ``fresh_app``) are in conftest.py.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lstm_core.jobs.job import TrainingJob
from tests.waiting import wait_until
from ui.session import SESSION_KEY, Memo, Session

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
RUN_TIMEOUT = 30
TRAINING_TIMEOUT = 120

class NavigationOnly(PagesManager):
    """AppTest's pages manager, minus Streamlit's old multipage mode.

    AppTest forgets between runs that app.py calls ``st.navigation``; with a folder named
    ``pages/`` beside app.py it then runs the page alone instead of app.py around it. The
    server remembers, so this makes AppTest run every page inside app.py as the server does
    (ui/frame.py covers the server's own first run).
    """

    def __init__(self, *args, **kwargs) -> None:
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


def session_of(at: AppTest) -> Session:
    """The app's one session object, as the pages see it."""
    return at.session_state[SESSION_KEY]


def computed(memo: Memo, key: Hashable, of: object) -> Any:
    """What the page has worked out for ``key`` (and ``of``); failing if it has not."""
    return memo.get(key, lambda: pytest.fail(f"nothing worked out for {key!r}"), of=of)


def unescaped(markdown: str) -> str:
    """The text a Markdown body shows, for bodies escaped by ui.widgets.plain."""
    return re.sub(r"\\(.)", r"\1", markdown)


def messages(at: AppTest) -> list[str]:
    """Every error and warning box on the page, as the person reads it."""
    return [unescaped(box.value) for box in [*at.error, *at.warning]]


def healthy(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert messages(at) == []
    return at


def open_page(at: AppTest, name: str) -> AppTest:
    return at.switch_page(f"pages/{name}.py").run()


def tiny_model(at: AppTest, epochs: int = 2) -> None:
    """A 200-sample sine and a model that trains in a second: window 5, 4 units."""
    open_page(at, "data")
    at.number_input(key="param.sine.length").set_value(200).run()
    open_page(at, "model")
    at.number_input(key="config.window").set_value(5).run()
    at.number_input(key="config.units.0").set_value(4).run()
    at.number_input(key="config.epochs").set_value(epochs).run()


def train_button(at: AppTest):
    return next(b for b in at.button if b.label == "Train")


def stop_button(at: AppTest):
    return next(b for b in at.button if b.label == "Stop")


def wait_for_training(at: AppTest, job: TrainingJob | None = None) -> AppTest:
    """Rerun the page, as its polling fragment does, until ``job`` (the main training) has ended."""
    job = job or session_of(at).training.job
    wait_until(lambda: not job.running, TRAINING_TIMEOUT, interval=0.2, between=at.run,
               message=lambda: f"the training did not end: {job.snapshot()}")
    return at.run()


def new_app(params: dict[str, str] | None = None) -> AppTest:
    """A new session of the app, opened with ``params`` as its link's query parameters.

    Needs :class:`NavigationOnly` in place of AppTest's pages manager (the fixtures in
    conftest.py set it).
    """
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def stop_jobs(at: AppTest) -> None:
    """End the session's trainings, so none outlives its test."""
    if SESSION_KEY in at.session_state:
        current = session_of(at)
        for job in (current.training.job, current.lab.job, current.backtest.job):
            job.stop()
            job.join(TRAINING_TIMEOUT)


def sidebar_text(at: AppTest) -> str:
    parts = [t.value for t in at.sidebar.text] + [m.value for m in at.sidebar.markdown]
    return "\n".join(parts + [c.value for c in at.sidebar.caption])
