"""The frame app.py puts around every page, a guard for a page run without it, and one
Streamlit habit turned off.

Streamlit treats a folder named ``pages/`` as an old-style multipage app until some run of
the entry point has called ``st.navigation`` in this server process. So the very first
request after the server starts, if it asks for ``/model`` say, runs ``pages/model.py`` on
its own: no sidebar, no page config, the old navigation. A page that finds itself run that
way hands over to app.py, which sets the navigation up for good.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner import script_runner

from .session import session

ENTRY = "app.py"


@contextmanager
def entry() -> Iterator[None]:
    """Mark the run as going through app.py while the page runs inside it."""
    current = session()
    current.in_entry = True
    try:
        yield
    finally:
        current.in_entry = False


def require_entry() -> None:
    """Called first by every page: outside app.py, switch to it (and so to the navigation)."""
    if not session().in_entry:
        st.switch_page(ENTRY)


def keep_keras_state() -> None:
    """Stop Streamlit from resetting Keras after every script run.

    Once Keras is imported, Streamlit calls ``keras.backend.clear_session()`` at the end of
    each run, for scripts that build a model on every run. Here a background job builds and
    trains the model while the pages rerun twice a second to show its progress: the reset
    would pull Keras' global state from under the training, and hold the interpreter lock
    for a third of a second each time. The app has no other module that needs the cleanup.
    """
    script_runner._clean_problem_modules = _leave_modules_alone


def _leave_modules_alone() -> None:
    """Streamlit's per-run module cleanup, replaced by nothing (see :func:`keep_keras_state`)."""
