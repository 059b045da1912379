"""What the pool and a worker process tell each other, and the states a job goes through.

Every message is a small frozen dataclass, pickled across the socket between
:mod:`lstm_core.jobs.pool` and :mod:`lstm_core.jobs.worker`, so its fields must be picklable too:

- to the worker: :class:`RunTask` (always before any :class:`StopTask` for the same task),
  :class:`StopTask`, :class:`Exit`;
- from the worker: :class:`Ready` once it is up, then for each task :class:`Stage` and
  :class:`Epoch` reports, ended by :class:`Finished` or :class:`Failed`.

A report reaches whoever submitted the training, its :class:`Listener`, as a typed call made by
the report's ``tell(listener)``. The pool ends a training with a :class:`Failed` of its own when
the training is cancelled in the queue or its worker dies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum, auto
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lstm_core.runs.progress import EpochProgress


class JobState(StrEnum):
    """Where a job is. A member equals its value: ``JobState.FAILED == "failed"``."""

    IDLE = auto()
    RUNNING = auto()
    FINISHED = auto()
    FAILED = auto()


# The members under their own names, as the pages compare them: ``snapshot.state == FAILED``.
IDLE, RUNNING, FINISHED, FAILED = JobState


class Listener(Protocol):
    """Whoever submitted a training (a :class:`~lstm_core.jobs.job.TrainingJob`)."""

    def on_stage(self, stage: str) -> None: ...
    def on_epoch(self, progress: EpochProgress) -> None: ...
    def on_end(self, state: JobState, result: Any = None, error: str | None = None) -> None: ...


# -- to the worker ----------------------------------------------------------------------------

# A training of any kind, called with keyword arguments progress, stop and on_stage.
Work = Callable[..., Any]


@dataclass(frozen=True)
class RunTask:
    """Run ``work``, a picklable training."""

    task_id: int
    work: Work


@dataclass(frozen=True)
class StopTask:
    """End the task within its current batch; ignored once it has ended."""

    task_id: int


@dataclass(frozen=True)
class Exit:
    """End the worker after its current training."""


ToWorker = RunTask | StopTask | Exit


# -- from the worker --------------------------------------------------------------------------


@dataclass(frozen=True)
class Ready:
    pid: int


@dataclass(frozen=True)
class Stage:
    task_id: int
    name: str

    def tell(self, listener: Listener) -> None:
        listener.on_stage(self.name)


@dataclass(frozen=True)
class Epoch:
    task_id: int
    progress: EpochProgress

    def tell(self, listener: Listener) -> None:
        listener.on_epoch(self.progress)


@dataclass(frozen=True)
class Finished:
    task_id: int
    result: Any

    def tell(self, listener: Listener) -> None:
        listener.on_end(JobState.FINISHED, result=self.result)


@dataclass(frozen=True)
class Failed:
    task_id: int
    error: str

    def tell(self, listener: Listener) -> None:
        listener.on_end(JobState.FAILED, error=self.error)


Ended = Finished | Failed
Report = Stage | Epoch | Ended
FromWorker = Ready | Report
