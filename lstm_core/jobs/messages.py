"""What the pool and a worker process tell each other, and the states a job goes through.

Every message is a small frozen dataclass, pickled across the socket between
:mod:`lstm_core.jobs.pool` and :mod:`lstm_core.jobs.worker`, so its fields must be picklable too:

- to the worker: :class:`RunTask` (always before any :class:`StopTask` or :class:`Lend` for the
  same task), :class:`StopTask`, :class:`Lend`, :class:`Exit`;
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
    """Run ``work``, a picklable training. A ``wide`` one (a search) may use the pool's idle
    slots beside its own: it is called with ``slots=``, a :class:`Slots` that :class:`Lend` updates."""

    task_id: int
    work: Work
    wide: bool = False


@dataclass(frozen=True)
class StopTask:
    """End the task within its current batch; ignored once it has ended."""

    task_id: int


@dataclass(frozen=True)
class Lend:
    """A wide task may now use ``extra`` slots beside its own (0: the pool needs them back)."""

    task_id: int
    extra: int


class Slots:
    """What a wide task may use: its own slot and ``extra`` idle ones the pool lends it, a figure
    that changes while it runs (the worker sets it as :class:`Lend` messages arrive)."""

    def __init__(self, extra: int = 0) -> None:
        self.extra = extra

    @property
    def total(self) -> int:
        return 1 + self.extra


@dataclass(frozen=True)
class Exit:
    """End the worker after its current training."""


ToWorker = RunTask | StopTask | Lend | Exit


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
