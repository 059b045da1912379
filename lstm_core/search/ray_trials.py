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
from collections.abc import Iterator
from typing import Any

from lstm_core.config.checks import env_count
from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.search.parallel import RunningTrial, Trials, train_in_thread
from lstm_core.search.trial import TrialOutcome

_limited = False  # this process's memory limit is set (once: Ray reuses a process for many tasks)


def trial_stream(config: ExperimentConfig, history: Series, block: int, origins: int,
                 allowance: float | None,
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
    # the search decides on pruning
    train_in_thread(config, history, block, origins, allowance, reports.put, stop)
    yield os.getpid()
    try:
        while not isinstance(item := reports.get(), TrialOutcome):
            yield item
        yield item
    finally:  # ended early by ray.cancel: the training ends within its batch
        stop.set()


class RayTrials(Trials):
    """Runs up to ``at_once`` trials at a time as Ray tasks of ``cpus`` CPUs each."""

    def __init__(self, at_once: int, cpus: int = 1) -> None:
        import ray

        super().__init__()
        self._ray = ray
        self._at_once = max(1, at_once)
        self._task = ray.remote(num_cpus=cpus, max_retries=0)(trial_stream)
        self._env = {"LSTM_LAB_TF_THREADS": str(cpus)} | {
            name: os.environ[name] for name in ("LSTM_LAB_WORKER_MEMORY_MB",) if name in os.environ}

    @property
    def at_once(self) -> int:
        return self._at_once

    def _launch(self, running: RunningTrial, config: ExperimentConfig, history: Series, block: int,
                origins: int, allowance: float | None) -> None:
        running.runner = stream = self._task.remote(config, history, block, origins, allowance, self._env)
        threading.Thread(target=self._follow, args=(running.number, stream), daemon=True,
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

    def _cancel(self, running: RunningTrial) -> None:
        self._ray.cancel(running.runner)


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

