"""A search's trials spread over a Ray cluster: Optuna's ask/tell in the search's job, each trial a
Ray task anywhere on the cluster, several at once.

Why ask/tell over Ray tasks rather than Ray Tune with its Optuna searcher: the search already is
ask/tell (:class:`~lstm_core.search.search.Search`), the same code judges trials with either
engine, and a trial stays an ordinary training; Tune would bring its own trial runner, its own
checkpoints and result folders, and a second way of pruning.

Each trial is a streaming generator task (:func:`trial_stream`): it yields the trial's validation
RMSE after every epoch, then its :class:`~lstm_core.search.trial.TrialOutcome`. The search hears
every epoch and asks its pruner; a trial to prune, or every trial when the person presses Stop,
is cancelled with ``ray.cancel``, which ends the training within its batch. Ray reuses its worker
processes from task to task, so TensorFlow is imported once per process, not once per trial.

Used when the search job itself runs on a Ray worker (the Ray engine): see
:func:`~lstm_core.search.search.run_search`.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lstm_core.config.checks import env_count
from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.search.trial import PRUNED, STOPPED_EARLY, TrialOutcome, run_trial

_limited = False  # this process's memory limit is set (once: Ray reuses a process for many tasks)


def trial_stream(config: ExperimentConfig, history: Series, block: int, origins: int,
                 env: dict[str, str]) -> Iterator[int | tuple[int, float] | TrialOutcome]:
    """A Ray task: one trial, yielding its process id, then ``(epoch, validation RMSE)`` after
    each epoch and its outcome at the end. Cancelled (pruned, or the search stopped), it stops
    its training."""
    global _limited
    from lstm_core.jobs.worker import limit_memory

    for name, value in env.items():
        os.environ.setdefault(name, value)  # before TensorFlow's first import in this process
    if not _limited:
        limit_memory(on_top=True)
        _limited = True
    reports: queue.Queue[tuple[int, float] | TrialOutcome] = queue.Queue()
    stop = threading.Event()

    def report(epoch: int, value: float) -> bool:
        reports.put((epoch, value))
        return False  # the search decides, and cancels this task

    def run() -> None:
        reports.put(run_trial(config, history, block, report=report, stop=stop, origins=origins))

    threading.Thread(target=run, name="lstm-lab-trial", daemon=True).start()
    yield os.getpid()
    try:
        while not isinstance(item := reports.get(), TrialOutcome):
            yield item
        yield item
    finally:  # ended early by ray.cancel: the training ends within its batch
        stop.set()


@dataclass
class _Running:
    number: int
    stream: Any  # Ray's ObjectRefGenerator
    started: float
    epochs: int = 0
    last: float | None = None
    pid: int = 0


Report = Callable[[int, int, float], bool]  # (trial number, epoch, value) -> prune?


class RayTrials:
    """Runs up to ``at_once`` trials at a time as Ray tasks of ``cpus`` CPUs each."""

    def __init__(self, at_once: int, cpus: int = 1) -> None:
        import ray

        self._ray = ray
        self.at_once = max(1, at_once)
        self._task = ray.remote(num_cpus=cpus, max_retries=0)(trial_stream)
        self._env = {"LSTM_LAB_TF_THREADS": str(cpus)} | {
            name: os.environ[name] for name in ("LSTM_LAB_WORKER_MEMORY_MB",) if name in os.environ}
        self._events: queue.Queue[tuple[int, Any]] = queue.Queue()
        self._running: dict[int, _Running] = {}

    @property
    def busy(self) -> int:
        return len(self._running)

    def start(self, number: int, config: ExperimentConfig, history: Series, block: int, origins: int) -> None:
        stream = self._task.remote(config, history, block, origins, self._env)
        self._running[number] = _Running(number, stream, time.perf_counter())
        threading.Thread(target=self._follow, args=(number, stream), daemon=True,
                         name="lstm-lab-trial-stream").start()

    def _follow(self, number: int, stream: Any) -> None:
        """Pass one trial's reports to the search's thread (a thread per trial, so none waits)."""
        try:
            for ref in stream:
                self._events.put((number, self._ray.get(ref)))
        except self._ray.exceptions.TaskCancelledError:
            self._events.put((number, None))
        except self._ray.exceptions.RayError as exc:
            from lstm_core.jobs.ray_engine import first_line

            self._events.put((number, TrialOutcome.failed(RuntimeError(first_line(exc)))))

    def next_outcome(self, report: Report, stopping: Callable[[], bool]) -> tuple[int, TrialOutcome]:
        """Wait until a trial ends: report each epoch on the way (cancelling the trials the pruner
        stops), and cancel every trial once ``stopping()``; the ended trial's number and outcome."""
        while True:
            try:
                number, item = self._events.get(timeout=0.5)
            except queue.Empty:
                if stopping():
                    self.cancel_all()
                continue
            running = self._running.get(number)
            if running is None:  # a report after the search let the trial go
                continue
            if isinstance(item, int):
                running.pid = item
                continue
            if isinstance(item, tuple):
                running.epochs, running.last = item
                if report(number, *item):
                    return number, self._end(running, PRUNED, running.last)
                continue
            del self._running[number]
            if item is None:  # cancelled by Stop
                return number, self._outcome(running, STOPPED_EARLY, None)
            return number, item

    def _end(self, running: _Running, state: str, score: float | None) -> TrialOutcome:
        self._running.pop(running.number, None)
        self._ray.cancel(running.stream)
        return self._outcome(running, state, score)

    @staticmethod
    def _outcome(running: _Running, state: str, score: float | None) -> TrialOutcome:
        return TrialOutcome(state, score, epochs_run=running.epochs, pid=running.pid,
                            seconds=time.perf_counter() - running.started,
                            message="stopped by the search" if state == STOPPED_EARLY else "")

    def cancel_all(self) -> None:
        for running in list(self._running.values()):
            self._ray.cancel(running.stream)


def ray_worker_trials() -> RayTrials | None:
    """Trials on the cluster when this process is a Ray worker (the search runs on the Ray engine):
    as many at once as the cluster has CPUs for, beside the one the search's own job holds
    (``LSTM_LAB_RAY_TRIALS_AT_ONCE`` overrides); None elsewhere."""
    import sys

    ray = sys.modules.get("ray")
    if ray is None or not ray.is_initialized():
        return None
    cpus = env_count("LSTM_LAB_RAY_CPUS_PER_JOB", 1)
    cluster = int(ray.cluster_resources().get("CPU", 1))
    return RayTrials(env_count("LSTM_LAB_RAY_TRIALS_AT_ONCE", max(1, cluster // cpus - 1)), cpus)

