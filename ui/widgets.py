"""Small display helpers the pages share: messages, live panels, links to the next step."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import streamlit as st

from lstm_core.config.settings import DataMode
from lstm_core.jobs.job import JobSnapshot, TrainingJob
from lstm_core.runs.experiment import ExperimentResult

from . import view
from .session import Dataset, session

# How often a panel that shows a running training redraws itself.
POLL_SECONDS = 1.0
# While a training waits in the queue only its place changes: its panel redraws less often, so
# a full server's queue costs the server and the waiting people's browsers little.
QUEUED_POLL_SECONDS = 3.0

# The data modes as the Data page names them.
MODE_LABELS = {DataMode.GENERATE: "Generate", DataMode.EXAMPLE: "Example", DataMode.UPLOAD: "Upload CSV"}

PAGES = {
    "data": "pages/data.py",
    "model": "pages/model.py",
    "results": "pages/results.py",
    "forecast": "pages/forecast.py",
    "history": "pages/history.py",
    "search": "pages/search.py",
}


_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: str) -> str:
    """``text`` escaped so that Markdown shows it literally: no link, image, emphasis or HTML.

    Streamlit renders alerts and captions as Markdown; messages that quote a column or a file
    name go through here (CommonMark lets a backslash escape any ASCII punctuation).
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def capitalized(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def sentence(message: str) -> str:
    """A library message ("the window is too long ...") as a sentence for the page."""
    message = capitalized(message)
    return message if not message or message.endswith((".", "!", "?")) else message + "."


def show_problems(problems: Iterable[str]) -> None:
    """Each problem as its own error box, in plain text: messages may quote column names."""
    for problem in problems:
        st.error(plain(sentence(problem)), icon=":material/error:")


def poll_seconds(snap: JobSnapshot) -> float | None:
    """How often a panel showing this training redraws itself; None once it has ended."""
    if not snap.running:
        return None
    return QUEUED_POLL_SECONDS if snap.queue_position is not None else POLL_SECONDS


def new_page_run() -> None:
    """Called by app.py before each page: no panel on the new run's page shows anything live yet."""
    session().live_jobs = set()


def shown_live(job: TrainingJob | None = None) -> bool:
    """Whether a panel on this run's page already redraws ``job`` (the session's main one) as it
    runs: the sidebar then states it without redrawing it a second time."""
    current = session()
    return id(job or current.training.job) in current.live_jobs


def live(render: Callable[[], None], job: TrainingJob | None = None) -> None:
    """Draw ``render`` now and, while a training runs, again every POLL_SECONDS
    (QUEUED_POLL_SECONDS while it waits in the queue).

    The training watched is ``job``, or the session's main one. When it starts after waiting,
    and when it ends, the whole app reruns once, so every panel (the sidebar, the buttons)
    shows the new state, the polling takes its new pace, and at the end it stops.
    """
    current = session()
    watched = job or current.training.job
    every = poll_seconds(watched.snapshot())
    if every is None and current.unfiled():
        every = POLL_SECONDS  # it ended after this run filed the finished trainings: rerun to file it
    if every is not None:
        current.live_jobs.add(id(watched))

    @st.fragment(run_every=every)
    def panel() -> None:
        if every is not None and poll_seconds(watched.snapshot()) != every:
            st.rerun()
        view.apply()  # a fragment's rerun may run in a new thread
        render()

    panel()


def next_step(page: str, label: str) -> None:
    st.page_link(PAGES[page], label=label, icon=":material/arrow_forward:")


def usable_dataset() -> Dataset | None:
    """The session's series; when there is none, a pointer to the Data page instead."""
    dataset = session().dataset()
    if dataset is None:
        st.info("Choose a usable series on the Data page first.")
        next_step("data", "Go to the Data page")
    return dataset


def duration(seconds: float) -> str:
    """Seconds as "42 s" or "3 min 05 s"."""
    seconds = round(seconds)
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min {seconds % 60:02d} s"


def fit_duration(result: ExperimentResult) -> str:
    """How long fitting the model took, said the same way on every page."""
    return f"Fitting took {duration(result.training.fit_seconds)}"


def trained_result(what: str):
    """The session's trained result, or None after saying why there is none yet.

    ``what`` names what the page will show, e.g. "its results" or "the forecast".
    """
    trained = session().result()
    if trained is None:
        if session().training.job.running:
            st.info(f"A training is running: {what} will appear here when it ends.",
                    icon=":material/hourglass_top:")
        else:
            st.info("No model yet: train one first.", icon=":material/info:")
            next_step("model", "Go to Model & training")
    return trained
