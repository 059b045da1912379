"""The person's session: one ExperimentConfig, the dataset it describes, the training job.

Everything lives in ``st.session_state``, so sessions never see each other's data or models.
The config is the one source of truth: widgets are seeded from it on every run and write
back to it through their ``on_change`` callback (see :func:`bound`), so a setting changed on
one page (an example's suggested window, say) shows on every other page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.csv.load import CsvPreview, inspect_csv
from lstm_core.data.examples import EXAMPLES
from lstm_core.data.series import GENERATORS, Series
from lstm_core.errors import LSTMLabError
from lstm_core.jobs.job import JobBusyError, JobSnapshot, TrainingJob
from lstm_core.jobs.pool import shared_pool
from lstm_core.runs.experiment import ExperimentResult, load_series
from lstm_core.runs.history import Run, RunHistory

GENERATE, EXAMPLE, UPLOAD = "Generate", "Example", "Upload CSV"
MODES = (GENERATE, EXAMPLE, UPLOAD)

# Settings that change only what is drawn after training, not the model.
NOT_TRAINED_ON = ("horizon",)


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Dataset:
    """A loaded series and the key of the settings it was loaded with."""

    series: Series
    label: str
    key: str


def config() -> ExperimentConfig:
    return st.session_state.setdefault("config", ExperimentConfig())


def job() -> TrainingJob:
    """The session's training job; its trainings run in the server's shared pool of workers."""
    if "job" not in st.session_state:
        st.session_state["job"] = TrainingJob(pool=shared_pool())
    return st.session_state["job"]


def prewarm() -> None:
    """Have a training process ready (TensorFlow loaded) before the person presses Train."""
    shared_pool().prewarm()


def mode() -> str:
    return st.session_state.setdefault("data_mode", GENERATE)


def upload() -> Upload | None:
    return st.session_state.get("upload")


def bound(key: str, value: Any, put: Callable[[Any], None]) -> dict[str, Any]:
    """Widget arguments that show ``value`` and hand a change to ``put``.

    Use as ``st.slider(..., **bound(...))``. The widget's state is reset to ``value`` on
    every run, so the config, not the widget, holds the setting across pages.
    """
    st.session_state[key] = value
    return {"key": key, "on_change": lambda: put(st.session_state[key])}


def config_field(name: str) -> dict[str, Any]:
    """:func:`bound` for the setting ``name`` of the session's config: "window", "source.target"."""
    *path, attribute = name.split(".")

    def owner() -> Any:
        found: Any = config()
        for part in path:
            found = getattr(found, part)
        return found

    return bound(f"config.{name}", getattr(owner(), attribute),
                 lambda value: setattr(owner(), attribute, value))


def _dataset_key(current: ExperimentConfig, chosen_mode: str, chosen: Upload | None) -> str:
    parts = {"mode": chosen_mode, "source": current.source.__dict__,
             "upload": chosen.digest if chosen and chosen_mode == UPLOAD else None}
    return json.dumps(parts, sort_keys=True, default=str)


def _load(current: ExperimentConfig, chosen_mode: str, chosen: Upload | None) -> tuple[Series, str]:
    source = current.source
    if chosen_mode == GENERATE:
        return load_series(source), f"{source.generator} (generated)"
    if chosen_mode == EXAMPLE:
        example = next(e for e in EXAMPLES.values() if str(e.path) == source.csv_path)
        return load_series(source), example.title
    if chosen is None:
        raise LSTMLabError("upload a CSV file to use your own data")
    # load_csv reads bytes as well as a path: the upload is cleaned with exactly the options
    # (duplicates, missing values, day/month order) that a file on disk would be.
    return load_series(replace(source, csv_path=chosen.data)), chosen.name


def preview(chosen: Upload) -> CsvPreview:
    """What the uploaded file holds (columns, time, first rows), read once per file."""
    cached = st.session_state.get("upload_preview")
    if cached is None or cached[0] != chosen.digest:
        cached = (chosen.digest, inspect_csv(chosen.data))
        st.session_state["upload_preview"] = cached
    return cached[1]


def dataset() -> Dataset | None:
    """The series the config describes, loaded once per change of source; None if it fails.

    The failure's message is kept for :func:`dataset_error`.
    """
    current, chosen_mode, chosen = config(), mode(), upload()
    key = _dataset_key(current, chosen_mode, chosen)
    cached: Dataset | None = st.session_state.get("dataset")
    if st.session_state.get("dataset_key") == key:
        return cached
    st.session_state["dataset_key"] = key
    try:
        series, label = _load(current, chosen_mode, chosen)
    except LSTMLabError as exc:
        st.session_state["dataset"], st.session_state["dataset_error"] = None, str(exc)
        return None
    st.session_state["dataset"] = Dataset(series, label, key)
    st.session_state["dataset_error"] = None
    return st.session_state["dataset"]


def dataset_error() -> str | None:
    return st.session_state.get("dataset_error")


def use_generator(name: str) -> None:
    """Switch to generator ``name`` with its default parameters."""
    source = config().source
    source.kind, source.generator, source.params = "generate", name, GENERATORS[name].defaults()
    source.csv_path = source.target = source.date_col = None
    source.features = []
    st.session_state["data_mode"] = GENERATE


def use_example(name: str) -> None:
    """Switch to the bundled example ``name`` and apply the settings that suit it."""
    example, current = EXAMPLES[name], config()
    source = current.source
    source.kind, source.csv_path = "csv", str(example.path)
    source.target, source.date_col, source.features = example.target, example.date_col, []
    for setting, value in example.settings.items():
        setattr(current, setting, value)
    st.session_state["data_mode"] = EXAMPLE


def use_upload(chosen: Upload) -> None:
    """Keep ``chosen`` and point the config at it, with the columns the file suggests.

    Raises DataError (and keeps nothing) when the file cannot give a series.
    """
    found = preview(chosen)
    st.session_state["upload"] = chosen
    source = config().source
    source.kind, source.csv_path = "csv", chosen.name
    source.target, source.date_col, source.features = found.default_target, found.time_column, []
    st.session_state["data_mode"] = UPLOAD


def drop_upload() -> None:
    st.session_state["upload"] = None


def start_training(data: Dataset) -> str | None:
    """Start the job on ``data``; the refusal message when one already runs, else None."""
    try:
        job().start(config(), data.series)
    except JobBusyError as exc:
        return str(exc)
    st.session_state["training_on"] = (_trained_on(data), data.label)
    return None


def _trained_on(data: Dataset) -> str:
    settings = {k: v for k, v in config().to_dict().items() if k not in NOT_TRAINED_ON}
    return json.dumps([data.key, settings], sort_keys=True, default=str)


def history() -> RunHistory:
    """The session's finished trainings, the latest 20."""
    return st.session_state.setdefault("history", RunHistory())


def result() -> ExperimentResult | None:
    """The current result: the latest finished training, or a run restored from the history.

    None while a training runs. A training's result joins the history the first time it is
    seen here.
    """
    current_job = job()
    if current_job.running:
        return None
    finished = current_job.result
    if finished is not None and st.session_state.get("recorded") is not finished:
        st.session_state["recorded"] = st.session_state["result"] = finished
        st.session_state["trained_on"], label = st.session_state.get("training_on", (None, ""))
        history().add(finished, label, current_job.snapshot().elapsed)
    return st.session_state.get("result")


def restore(run: Run) -> None:
    """Make ``run`` current again: its result, and its settings in every widget."""
    adopt(run.restore())


def use_config(config: ExperimentConfig) -> None:
    """Put ``config`` in every widget, with the data mode its source calls for."""
    st.session_state["config"] = ExperimentConfig.from_dict(config.to_dict())
    source = config.source
    if source.kind == "generate":
        st.session_state["data_mode"] = GENERATE
    elif any(str(e.path) == source.csv_path for e in EXAMPLES.values()):
        st.session_state["data_mode"] = EXAMPLE
    else:
        st.session_state["data_mode"] = UPLOAD


def adopt(chosen: ExperimentResult) -> None:
    """Make ``chosen`` the current result, its settings current too."""
    st.session_state["result"] = chosen
    use_config(chosen.config)
    data = dataset()
    st.session_state["trained_on"] = _trained_on(data) if data is not None else None


def snapshot() -> JobSnapshot:
    return job().snapshot()


def stale() -> bool:
    """True when the shown results come from other data or other settings than the current ones."""
    data = st.session_state.get("dataset")
    if result() is None or data is None:
        return result() is not None
    return st.session_state.get("trained_on") != _trained_on(data)


def sequence_job() -> TrainingJob:
    """The sequence lab's training job, apart from the main experiment's."""
    if "sequence_job" not in st.session_state:
        st.session_state["sequence_job"] = TrainingJob(pool=shared_pool())
    return st.session_state["sequence_job"]
