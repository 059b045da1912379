"""Several trials of a search at a time: :class:`Trials` is what the search's driver
(:func:`~lstm_core.search.search.run_search`) starts trials on and hears them from, whichever
engine runs them; :class:`LocalTrials` runs them on this machine, in the search's own training
slot and in the slots the training pool lends it while no other job needs them
(:class:`~lstm_core.jobs.messages.Slots`); :class:`~lstm_core.search.ray_trials.RayTrials` runs
them as Ray tasks anywhere on a cluster.

The driver asks its pruner after every epoch of every trial: a trial to prune is stopped at once
(its outcome says PRUNED, with the last figure it reported), and every trial is stopped when
the person presses Stop (their outcomes say STOPPED). A trial's events reach the driver through
one queue, as ``(trial number, item)``: ``(epoch, validation RMSE)`` after each epoch, the
process id it runs in, its :class:`~lstm_core.search.trial.TrialOutcome` at the end, or None
when it was cancelled before it could say how it ended.

On this machine the trial in the search's own slot trains in a thread of the search's worker
process (its TensorFlow is already imported); each lent slot gets a helper: a worker process of
the local engine (:mod:`lstm_core.jobs.worker`), with its memory limit, at the same low priority,
started on the first trial it takes and kept until the search ends. When the pool takes its
slots back, the helpers finish the trials they have and take no more.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.jobs.messages import Epoch, Exit, Failed, Finished, RunTask, Slots, StopTask
from lstm_core.search.trial import FAILED, PRUNED, STOPPED_EARLY, TrialOutcome, run_trial

Report = Callable[[int, int, float], bool]  # (trial number, epoch, value) -> prune?


@dataclass
class RunningTrial:
    number: int
    started: float
    epochs: int = 0
    last: float | None = None
    pid: int = 0
    runner: Any = None  # where it runs (LocalTrials)


class Trials:
    """Trials started by the driver, several at a time, and the events they send back."""

    def __init__(self) -> None:
        self._events: queue.Queue[tuple[int, Any]] = queue.Queue()
        self._running: dict[int, RunningTrial] = {}

    @property
    def at_once(self) -> int:
        """How many trials may run now."""
        raise NotImplementedError

    @property
    def busy(self) -> int:
        """How many trials take a place now."""
        return len(self._running)

    def start(self, number: int, config: ExperimentConfig, history: Series, block: int, origins: int,
              allowance: float | None = None) -> None:
        running = self._running[number] = RunningTrial(number, time.perf_counter())
        self._launch(running, config, history, block, origins, allowance)

    def _launch(self, running: RunningTrial, config: ExperimentConfig, history: Series, block: int,
                origins: int, allowance: float | None) -> None:
        raise NotImplementedError

    def _cancel(self, running: RunningTrial) -> None:
        """End a running trial's training (pruned, or the search stopped)."""
        raise NotImplementedError

    def _let_go(self, item: Any) -> bool:
        """True when an event of a trial the driver no longer follows frees a place."""
        return False

    def next_outcome(self, report: Report, stopping: Callable[[], bool]) -> tuple[int, TrialOutcome] | None:
        """Wait until a trial ends, reporting each epoch on the way (a trial the pruner stops is
        cancelled, and ends here), and cancel every trial once ``stopping()``: the ended trial's
        number and outcome; None when a place was freed without an outcome to tell."""
        while True:
            try:
                number, item = self._events.get(timeout=0.5)
            except queue.Empty:
                if stopping():
                    self.cancel_all()
                continue
            running = self._running.get(number)
            if running is None:  # a report after the search let the trial go
                if self._let_go(item):
                    return None
                continue
            if isinstance(item, int):
                running.pid = item
                continue
            if isinstance(item, tuple):
                running.epochs, running.last = item
                if report(number, *item):
                    del self._running[number]
                    self._cancel(running)
                    return number, self._outcome(running, PRUNED, running.last)
                continue
            del self._running[number]
            if item is None:  # cancelled by Stop
                return number, self._outcome(running, STOPPED_EARLY, None)
            return number, item

    @staticmethod
    def _outcome(running: RunningTrial, state: str, score: float | None) -> TrialOutcome:
        return TrialOutcome(state, score, epochs_run=running.epochs, pid=running.pid,
                            seconds=time.perf_counter() - running.started,
                            message="stopped by the search" if state == STOPPED_EARLY else "")

    def cancel_all(self) -> None:
        for running in list(self._running.values()):
            self._cancel(running)

    def close(self) -> None:
        """End whatever the trials ran in."""


def trial_task(config: ExperimentConfig, history: Series, block: int, origins: int,
               allowance: float | None = None, *, progress, stop, on_stage) -> TrialOutcome:
    """One trial as a worker's task: each epoch's ``(epoch, validation RMSE)`` goes out as its
    progress; the search decides on pruning and stops the task."""
    return run_trial(config, history, block, report=lambda epoch, value: progress((epoch, value)) or False,
                     stop=stop, origins=origins, allowance=allowance)


def train_in_thread(config: ExperimentConfig, history: Series, block: int, origins: int,
                    allowance: float | None, put: Callable[[Any], None], stop: threading.Event) -> None:
    """Train one trial in a thread of this process, handing each epoch's ``(epoch, validation
    RMSE)`` and then its outcome to ``put``; a bug, not a bad setting, fails the trial alone."""
    def train() -> None:
        try:
            outcome = trial_task(config, history, block, origins, allowance, progress=put, stop=stop,
                                 on_stage=None)
        except Exception as exc:
            outcome = TrialOutcome.failed(exc)
        put(outcome)

    threading.Thread(target=train, name="lstm-lab-trial", daemon=True).start()


class _InThisProcess:
    """Trains one trial at a time in a thread of this process."""

    def __init__(self, events: queue.Queue) -> None:
        self._events = events
        self.pid = os.getpid()
        self.busy = False
        self._stop = threading.Event()

    def run(self, number: int, config: ExperimentConfig, history: Series, block: int, origins: int,
            allowance: float | None) -> None:
        self.busy, self._stop = True, threading.Event()

        def put(item: Any) -> None:
            if isinstance(item, TrialOutcome):
                self.busy = False  # before the search hears it: the place is free again
            self._events.put((number, item))

        train_in_thread(config, history, block, origins, allowance, put, self._stop)

    def stop(self) -> None:
        self._stop.set()

    close = stop  # nothing else to end: the thread is this process's


class _Helper:
    """Trains one trial at a time in a worker process of its own."""

    def __init__(self, events: queue.Queue) -> None:
        from lstm_core.jobs.pool import ProcessChannel

        self._events = events
        memory = os.environ.get("LSTM_LAB_WORKER_MEMORY_MB", "")
        self._channel = ProcessChannel(int(os.environ.get("LSTM_LAB_TF_THREADS", "") or 1),
                                       int(memory) if memory.isdigit() else 0, preload=True)
        self.pid = self._channel.pid
        self.busy = False
        self.alive = True
        self._number = -1
        threading.Thread(target=self._read, name="lstm-lab-trial-helper", daemon=True).start()

    def run(self, number: int, config: ExperimentConfig, history: Series, block: int, origins: int,
            allowance: float | None) -> None:
        self.busy, self._number = True, number
        try:
            task = partial(trial_task, config, history, block, origins, allowance)
            self._channel.send(RunTask(number, task))
        except (OSError, ValueError) as exc:  # it ended just now: the trial fails, the search goes on
            self.busy, self.alive = False, False
            self._events.put((number, TrialOutcome(FAILED, pid=self.pid, message=f"the trial's process "
                                                   f"could not be reached ({exc})")))

    def _read(self) -> None:
        for message in self._channel.receive():
            match message:
                case Epoch(number, item):
                    self._events.put((number, item))
                case Finished(number, outcome):
                    self.busy = False
                    self._events.put((number, outcome))
                case Failed(number, error):
                    self.busy = False
                    self._events.put((number, TrialOutcome(FAILED, message=error, pid=self.pid)))
        how = self._channel.close()
        self.alive = False
        if self.busy:
            self.busy = False
            self._events.put((self._number, TrialOutcome(
                FAILED, pid=self.pid, message=f"the trial's process stopped unexpectedly ({how}), "
                                              "perhaps out of memory")))

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # already gone: its reader reports it
            self._channel.send(StopTask(self._number))

    def close(self) -> None:
        self.stop()
        with contextlib.suppress(OSError, ValueError):
            self._channel.send(Exit())


class LocalTrials(Trials):
    """Trials on this machine: one in the search's own slot, one more in each slot the pool lends."""

    def __init__(self, slots: Slots) -> None:
        super().__init__()
        self._slots = slots
        self._runners: list[_InThisProcess | _Helper] = [_InThisProcess(self._events)]

    @property
    def at_once(self) -> int:
        return self._slots.total

    @property
    def busy(self) -> int:
        return sum(runner.busy for runner in self._runners)

    def _launch(self, running: RunningTrial, config: ExperimentConfig, history: Series, block: int,
                origins: int, allowance: float | None) -> None:
        self._runners = [r for r in self._runners if not isinstance(r, _Helper) or r.alive]
        runner = next((r for r in self._runners if not r.busy), None)
        if runner is None:
            runner = _Helper(self._events)
            self._runners.append(runner)
        running.runner, running.pid = runner, runner.pid
        runner.run(running.number, config, history, block, origins, allowance)

    def _cancel(self, running: RunningTrial) -> None:
        running.runner.stop()

    def _let_go(self, item: Any) -> bool:
        return isinstance(item, TrialOutcome)  # its runner is free again

    def close(self) -> None:
        for runner in self._runners:
            runner.close()
