"""The pool's and the worker's messages: each crosses the socket intact, each report reaches the
listener as its own typed call, and the job states are one enum that the whole package shares."""

from __future__ import annotations

import pickle
from types import ModuleType
from typing import Any, get_args

import pytest

from lstm_core.jobs import job, messages, pool, worker
from lstm_core.jobs.messages import (
    Epoch,
    Exit,
    Failed,
    Finished,
    FromWorker,
    JobState,
    Lend,
    Ready,
    Report,
    RunTask,
    Stage,
    StopTask,
    ToWorker,
)
from lstm_core.runs.progress import EpochProgress

PROGRESS = EpochProgress(1, 3, 0.5, 0.6, 0.1, 0.1)


def stand_in(*, progress, stop, on_stage) -> None:
    """A training as the pool sends it: a module-level function, pickled by reference."""


EXAMPLES = [RunTask(7, stand_in), RunTask(8, stand_in, wide=True), StopTask(7), Lend(8, 1), Exit(),
            Ready(1234), Stage(7, "training"),
            Epoch(7, PROGRESS), Finished(7, {"rmse": 0.25}), Failed(7, "disk on fire")]


def test_every_message_type_has_an_example_below() -> None:
    assert {type(m) for m in EXAMPLES} == set(get_args(ToWorker)) | set(get_args(FromWorker))


@pytest.mark.parametrize("message", EXAMPLES, ids=lambda m: type(m).__name__)
def test_a_message_survives_the_socket(message: ToWorker | FromWorker) -> None:
    assert pickle.loads(pickle.dumps(message)) == message


class Recorder:
    """A listener that notes each call it gets."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def on_stage(self, stage: str) -> None:
        self.calls.append(("on_stage", stage))

    def on_epoch(self, progress: EpochProgress) -> None:
        self.calls.append(("on_epoch", progress))

    def on_end(self, state: JobState, result: Any = None, error: str | None = None) -> None:
        self.calls.append(("on_end", state, result, error))


@pytest.mark.parametrize(("report", "call"), [
    (Stage(7, "training"), ("on_stage", "training")),
    (Epoch(7, PROGRESS), ("on_epoch", PROGRESS)),
    (Finished(7, {"rmse": 0.25}), ("on_end", JobState.FINISHED, {"rmse": 0.25}, None)),
    (Failed(7, "disk on fire"), ("on_end", JobState.FAILED, None, "disk on fire")),
], ids=["stage", "epoch", "finished", "failed"])
def test_each_report_reaches_the_listener_as_its_own_call(report: Report, call: tuple[Any, ...]) -> None:
    listener = Recorder()
    report.tell(listener)
    assert listener.calls == [call]
    if call[0] == "on_end":
        assert type(listener.calls[0][1]) is JobState


@pytest.mark.parametrize("module", [messages, job, pool, worker], ids=lambda m: m.__name__)
def test_the_job_states_are_defined_once(module: ModuleType) -> None:
    """A name anywhere in the package whose value is a state's is that state, not a second string."""
    states = {state.value for state in JobState}
    for name, value in vars(module).items():
        if isinstance(value, str) and value in states:
            assert value is JobState(value), f"{module.__name__}.{name} is a second {value!r}"


def test_the_job_offers_the_states_of_the_one_enum() -> None:
    assert all(getattr(job, state.name) is state for state in JobState)
