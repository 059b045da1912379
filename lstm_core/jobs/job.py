"""A training that runs in the background while a page (or anything else) reads its progress.

The training never touches a user interface: it runs :func:`lstm_core.runs.experiment.run_experiment`
(or any other training handed to :meth:`TrainingJob.start_work`) and publishes what happens (the
current stage, one :class:`EpochProgress` per epoch, the result or the error message) into the
job, behind a lock. A reader takes a consistent :class:`JobSnapshot` whenever it likes;
:meth:`TrainingJob.stop` asks the training to end within the current epoch, keeping the model and
the history so far.

With a :class:`~lstm_core.jobs.pool.TrainingPool` the training runs in one of the pool's worker
processes, waiting its turn in the server's queue; without one, in a thread of this process.

Importing this module does not import TensorFlow: the training imports it when it builds the model.
"""

from __future__ import annotations

import math
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.errors import LSTMLabError
from lstm_core.jobs.messages import FAILED, FINISHED, IDLE, RUNNING, JobState, Work
from lstm_core.jobs.pool import OwnerLimitError
from lstm_core.runs.experiment import ExperimentResult, run_experiment
from lstm_core.runs.progress import failure_message

if TYPE_CHECKING:
    from lstm_core.jobs.pool import TrainingPool
    from lstm_core.runs.progress import EpochProgress

Runner = Callable[..., ExperimentResult]

# A training thread waits this long before it starts: importing TensorFlow holds the interpreter
# lock for seconds, so the page that pressed Train gets a moment to show "training" first.
START_DELAY = 0.3
QUEUED = "waiting for a free training slot"
WORKER_STARTING = ("a training slot is starting for it (its worker process loads TensorFlow, about "
                   "10 s the first time)")


class JobBusyError(LSTMLabError):
    """A training was asked to start while the previous one still runs (or, in a pool, while its
    session already holds a running and a queued job)."""


@dataclass(frozen=True)
class JobSnapshot:
    """The job's state at one moment; safe to read from any thread."""

    state: JobState
    stage: str
    total_epochs: int
    epochs: tuple[EpochProgress, ...]
    elapsed: float
    stop_requested: bool
    error: str | None
    queue_position: int | None = None  # while queued: 1 = next to start

    @property
    def running(self) -> bool:
        return self.state == RUNNING

    @property
    def activity(self) -> str:
        """What the training is doing before its first epoch, in words, with its place in the queue."""
        if self.queue_position is not None:
            return f"{QUEUED} (number {self.queue_position} in the queue)"
        if self.stage == QUEUED:  # out of the queue, its worker not yet started: it is starting
            return WORKER_STARTING
        return self.stage

    @property
    def epoch(self) -> int:
        return len(self.epochs)

    @property
    def fraction(self) -> float:
        return min(1.0, self.epoch / self.total_epochs) if self.total_epochs else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left if every remaining epoch takes as long as the average one so far.

        Early stopping usually ends sooner, so this is an upper estimate.
        """
        if not self.epochs:
            return None
        mean = sum(e.seconds for e in self.epochs) / len(self.epochs)
        return mean * (self.total_epochs - self.epoch)

    @property
    def history(self) -> dict[str, list]:
        """The losses so far, as :attr:`TrainingResult.history` holds a finished training's."""
        return {"loss": [e.loss for e in self.epochs], "val_loss": [e.val_loss for e in self.epochs]}

    @property
    def best_epoch(self) -> int | None:
        """The epoch with the lowest validation loss (training loss without validation)."""
        finite = [(e.monitored, k + 1) for k, e in enumerate(self.epochs) if math.isfinite(e.monitored)]
        return min(finite)[1] if finite else None


class TrainingJob:
    """One session's training: at most one run at a time, in ``pool`` or else in a daemon thread.

    ``runner`` is :func:`run_experiment` unless a test replaces it; :meth:`start_work` runs any
    other training (the sequence lab's) with the same progress, stop and error handling. In a
    pool, the training and its work must be picklable, and a job that is garbage-collected
    (its session ended) cancels its training.
    """

    def __init__(self, runner: Runner = run_experiment, pool: TrainingPool | None = None,
                 owner: str | None = None) -> None:
        self._runner = runner
        self._pool = pool
        self.owner = owner  # the session it belongs to: the pool runs one of its jobs at a time
        self._task_id: int | None = None
        self._cancel_on_collect: weakref.finalize | None = None
        self._ended = threading.Event()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._training: Work | None = None
        self._state, self._stage, self._error = IDLE, "", None
        self._epochs: list[EpochProgress] = []
        self._started = self._end_time = 0.0
        self._total_epochs = 0
        self.config: ExperimentConfig | None = None
        self.series: Series | None = None
        self.result: ExperimentResult | Any = None  # start_work: whatever its training returns

    @property
    def running(self) -> bool:
        with self._lock:
            return self._state == RUNNING

    def start(self, config: ExperimentConfig, series: Series) -> None:
        """Train on ``series`` with a copy of ``config``; refuse while a run is under way."""
        frozen = ExperimentConfig.from_dict(config.to_dict())
        self._launch(partial(self._runner, frozen, series=series), frozen.epochs, frozen, series)

    def start_work(self, work: Work, total_epochs: int, wide: bool = False) -> None:
        """Run ``work(progress=..., stop=..., on_stage=...)``, a training of ``total_epochs``
        epochs of any kind, in the background; its return value becomes :attr:`result`. A
        ``wide`` work may use the pool's idle slots too (see :meth:`TrainingPool.submit`)."""
        self._launch(work, total_epochs, wide=wide)

    def _launch(self, work: Work, total_epochs: int, config: ExperimentConfig | None = None,
                series: Series | None = None, wide: bool = False) -> None:
        with self._lock:
            if self._state == RUNNING:
                raise JobBusyError(
                    f"a training is already running (epoch {len(self._epochs)} of "
                    f"{self._total_epochs}): stop it or wait for it to end"
                )
            self._training = work
            self.config, self.series, self.result = config, series, None
            self._state, self._error = RUNNING, None
            self._stage = "starting" if self._pool is None else QUEUED
            self._epochs, self._total_epochs = [], total_epochs
            self._started, self._end_time = time.monotonic(), 0.0
            self._stop.clear()
            self._ended.clear()
            if self._pool is None:
                self._thread = threading.Thread(target=self._work, name="lstm-lab-training", daemon=True)
                self._thread.start()
        if self._pool is not None:
            try:
                self._task_id = self._pool.submit(work, self, self.owner, wide)
            except OwnerLimitError as exc:
                with self._lock:
                    self._state, self._stage, self._training = IDLE, "", None
                self._ended.set()
                raise JobBusyError(str(exc)) from exc
            self._cancel_on_collect = weakref.finalize(self, self._pool.cancel, self._task_id)

    def stop(self) -> None:
        """Ask the training to end after the current batch; the epoch so far is kept.

        A training still waiting in the pool's queue ends at once, having trained nothing.
        """
        self._stop.set()
        if self._pool is not None and self._task_id is not None and self.running:
            self._pool.cancel(self._task_id)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the training to end; True when it has."""
        if self.running:
            self._ended.wait(timeout)
        return not self.running

    def snapshot(self) -> JobSnapshot:
        queued = self._queue_position()
        with self._lock:
            end = self._end_time or time.monotonic()
            return JobSnapshot(
                state=self._state,
                stage=self._stage,
                total_epochs=self._total_epochs,
                epochs=tuple(self._epochs),
                elapsed=end - self._started if self._started else 0.0,
                stop_requested=self._stop.is_set(),
                error=self._error,
                queue_position=queued if self._stage == QUEUED else None,
            )

    def _queue_position(self) -> int | None:
        if self._pool is None or self._task_id is None:
            return None
        return self._pool.position(self._task_id)

    def _work(self) -> None:
        self._stop.wait(START_DELAY)
        try:
            result = self._training(progress=self.on_epoch, stop=self._stop, on_stage=self.on_stage)
        except Exception as exc:  # the page shows a message, never a traceback
            self.on_end(FAILED, error=failure_message(exc))
        else:
            self.on_end(FINISHED, result=result)

    # What the training reports, from its thread or from the pool's (a messages.Listener).

    def on_stage(self, stage: str) -> None:
        with self._lock:
            self._stage = stage

    def on_epoch(self, progress: EpochProgress) -> None:
        with self._lock:
            self._epochs.append(progress)

    def on_end(self, state: JobState, result: ExperimentResult | Any = None,
               error: str | None = None) -> None:
        with self._lock:
            self.result, self._error = result, error
            self._state, self._stage = state, ""
            self._end_time = time.monotonic()
        if self._cancel_on_collect is not None:
            self._cancel_on_collect.detach()
        self._ended.set()
