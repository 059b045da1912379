"""Trainings of every session on one server, run in a few workers: processes of this machine
(the default engine, :class:`LocalProcesses`) or Ray actors on a cluster
(:mod:`lstm_core.jobs.ray_engine`, chosen by ``LSTM_LAB_RAY_ADDRESS``). The pool is the one
execution interface: whoever submits work (a page's job, a search, a backtest) never knows which
engine runs it; the queue, the fairness rules and the limits below hold for both.

A workshop server has tens of people and a handful of cores. :class:`TrainingPool` runs at most
``max_workers`` trainings at once (default: one per core), each in a process of its own
(:mod:`lstm_core.jobs.worker`) whose TensorFlow gets its share of the cores; further trainings wait
in a first-come queue whose places the pages show. The server process never imports TensorFlow:
its memory stays near its baseline however many trainings run, because a worker that has
trained ``recycle_after`` models, or sat idle for ``idle_seconds``, is ended and its memory with
it. A training that raises, or a worker that dies, ends that one training with a message; the
server and every other training go on.

The pool and its workers talk in the typed messages of :mod:`lstm_core.jobs.messages`. Whoever
submits a training passes a :class:`~lstm_core.jobs.messages.Listener` (a
:class:`~lstm_core.jobs.job.TrainingJob`), which each report reaches as a typed call. The pool
holds it only weakly: once a closed tab's session is gone, its job is collected and its training
cancelled (see :meth:`TrainingJob.start`).

Fairness and ceilings: a job may name its ``owner`` (a person: the app names one per browser, so
that all its tabs share it); an owner holds at most one running and one queued job, and its second
job waits for its first even when a slot is free, so one person cannot take every slot. A *wide*
job (a search) is lent the slots no other job needs, and gives them back as soon as one does: its
trials fill an idle server without holding anyone up (:meth:`TrainingPool.submit`). A job that
runs longer than ``max_seconds`` is stopped (it keeps what it trained so far, and its result says
it met the time limit), and one that does not stop within a grace period is ended with its
worker. Each worker process may use at most ``memory_mb`` of memory (``RLIMIT_DATA``): an
oversized job fails alone, with a message.
"""

from __future__ import annotations

import atexit
import gc
import itertools
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Protocol

from lstm_core.config.checks import env_count
from lstm_core.errors import LSTMLabError
from lstm_core.jobs.messages import (
    Ended,
    Exit,
    Failed,
    Finished,
    FromWorker,
    Lend,
    Listener,
    Ready,
    Report,
    RunTask,
    Stage,
    StopTask,
    ToWorker,
    Work,
)
from lstm_core.runs.progress import STOPPED, TrainingResult

LOGGER = logging.getLogger(__name__)
CANCELLED_IN_QUEUE = "stopped while waiting for a free training slot: nothing was trained"
SHUTTING_DOWN = "the server is shutting down"
HOUSEKEEPING_SECONDS = 5.0
STOP_GRACE_SECONDS = 60.0  # after a stop for the time limit, how long a job has to end by itself
PER_OWNER = 2  # one running and one queued job per owner


class OwnerLimitError(LSTMLabError):
    """An owner (a person: the app names one per browser) already holds a running and a queued job."""


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    if minutes >= 2:
        return f"{minutes:.0f} minutes"
    return f"{seconds:.0f} second" + ("s" if round(seconds) != 1 else "")


def _say_time_limit(result: Any, max_seconds: float) -> None:
    """A training the pool stopped for the time limit says so, where its worker wrote "stopped on
    request" (a training cannot tell one stop from another)."""
    training = getattr(result, "training", None)
    if isinstance(training, TrainingResult) and training.stop_reason == STOPPED:
        kept = f"; weights of epoch {training.best_epoch} kept" if training.best_epoch else ""
        training.message = (f"stopped at the time limit of {_minutes(max_seconds)} a job may run "
                            f"on this server, after {training.epochs_run} epoch(s){kept}")


@dataclass
class _Task:
    id: int
    work: Work
    listener: weakref.ref[Listener]
    owner: str | None = None
    wide: bool = False  # may use the idle slots beside its own (a search's trials)
    lent: int = 0  # how many it was last told it may use
    worker: _Worker | None = None
    started: float = 0.0  # when its worker began it (monotonic): its first report
    stop_sent: float = 0.0  # when it was stopped for the time limit

    def tell(self, report: Report) -> None:
        """Pass a report to the listener, unless its session is gone."""
        listener = self.listener()
        if listener is not None:
            report.tell(listener)


class Channel(Protocol):
    """How the pool talks to one worker, wherever it runs: a process of this machine
    (:class:`ProcessChannel`) or a Ray actor (:mod:`lstm_core.jobs.ray_engine`)."""

    kind: str  # the worker, in words: "training process", "Ray worker"

    @property
    def pid(self) -> int | None: ...
    def send(self, message: ToWorker) -> None: ...
    def receive(self) -> Iterator[FromWorker]: ...
    def close(self) -> str: ...
    def kill(self) -> None: ...


class Launcher(Protocol):
    """Starts workers for a pool: the engine that runs the trainings."""

    name: str

    def slots(self) -> int: ...
    def threads(self, max_workers: int) -> int: ...
    def start(self, threads: int, memory_mb: int, preload: bool) -> Channel: ...


class ProcessChannel:
    """A worker process of this machine, spoken to over a socket pair."""

    kind = "training process"

    def __init__(self, threads: int, memory_mb: int, preload: bool) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ, LSTM_LAB_TF_THREADS=str(threads), LSTM_LAB_WORKER_MEMORY_MB=str(memory_mb))
        command = [sys.executable, "-m", "lstm_core.jobs.worker", str(child.fileno())]
        self.process = subprocess.Popen(command + (["preload"] if preload else []),
                                        pass_fds=(child.fileno(),), env=env, stdin=subprocess.DEVNULL)
        child.close()
        self.conn = Connection(parent.detach())

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def send(self, message: ToWorker) -> None:
        self.conn.send(message)

    def receive(self) -> Iterator[FromWorker]:
        while True:
            try:
                yield self.conn.recv()
            except (EOFError, OSError):
                return

    def close(self) -> str:
        """Wait for the process to end (it has closed its end); how it ended, in words."""
        self.conn.close()
        return f"exit code {self.process.wait()}"

    def kill(self) -> None:
        self.process.kill()


class LocalProcesses:
    """The default engine: worker processes on this machine, one training each, sharing its cores."""

    name = "local"

    def slots(self) -> int:
        return env_count("LSTM_LAB_MAX_TRAININGS", os.cpu_count() or 1)

    def threads(self, max_workers: int) -> int:
        """Each concurrent training gets its share of the cores, so they don't thrash each other."""
        return max(1, (os.cpu_count() or 1) // max_workers)

    def start(self, threads: int, memory_mb: int, preload: bool) -> Channel:
        return ProcessChannel(threads, memory_mb, preload)


@dataclass
class _Worker:
    """One worker, its channel and the thread that sends to it."""

    channel: Channel
    outbox: queue.Queue[ToWorker | None] = field(default_factory=queue.Queue)
    task: _Task | None = None
    trainings: int = 0
    idle_since: float = field(default_factory=time.monotonic)
    retiring: bool = False
    ended: threading.Event = field(default_factory=threading.Event)  # its reader has seen it end

    def post(self, message: ToWorker) -> None:
        """Queue a message: sending may wait while the worker is busy importing TensorFlow."""
        self.outbox.put(message)

    def send_all(self) -> None:
        while (message := self.outbox.get()) is not None:
            try:
                self.channel.send(message)
            except (OSError, ValueError):  # the worker is gone; its reader reports it
                return

    def retire(self) -> None:
        self.retiring = True
        self.post(Exit())
        self.outbox.put(None)


class TrainingPool:
    """At most ``max_workers`` trainings at once, the others queued; see the module's docstring.

    Defaults come from the environment: ``LSTM_LAB_MAX_TRAININGS`` (the number of cores),
    ``LSTM_LAB_RECYCLE_AFTER`` (10 trainings), ``LSTM_LAB_WORKER_IDLE_SECONDS`` (600),
    ``LSTM_LAB_MAX_JOB_SECONDS`` (3600: a job's wall time once it runs) and
    ``LSTM_LAB_WORKER_MEMORY_MB`` (4096: each worker's data memory).
    """

    def __init__(self, max_workers: int | None = None, recycle_after: int | None = None,
                 idle_seconds: float | None = None, preload: bool = True,
                 max_seconds: float | None = None, memory_mb: int | None = None,
                 housekeeping_seconds: float | None = None, stop_grace: float | None = None,
                 launcher: Launcher | None = None) -> None:
        self.launcher = launcher or LocalProcesses()
        self.max_workers = max_workers or self.launcher.slots()
        self.recycle_after = recycle_after or env_count("LSTM_LAB_RECYCLE_AFTER", 10)
        self.idle_seconds = idle_seconds or env_count("LSTM_LAB_WORKER_IDLE_SECONDS", 600)
        self.threads = self.launcher.threads(self.max_workers)
        self.preload = preload
        self.max_seconds = max_seconds or env_count("LSTM_LAB_MAX_JOB_SECONDS", 3600)
        self.memory_mb = memory_mb or env_count("LSTM_LAB_WORKER_MEMORY_MB", 4096)
        self.stop_grace = stop_grace or STOP_GRACE_SECONDS
        self.housekeeping_seconds = housekeeping_seconds or min(
            HOUSEKEEPING_SECONDS, self.idle_seconds / 2, self.max_seconds / 4)
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._pending: deque[_Task] = deque()
        self._tasks: dict[int, _Task] = {}
        self._ids = itertools.count(1)
        self._closed = threading.Event()
        self.started_workers = 0
        threading.Thread(target=self._housekeeping, name="lstm-lab-pool", daemon=True).start()

    # -- what sessions call ---------------------------------------------------------------

    def submit(self, work: Work, listener: Listener, owner: str | None = None, wide: bool = False) -> int:
        """Queue ``work(progress=, stop=, on_stage=)`` (picklable); returns the task's id. A
        ``wide`` work is also called with ``slots=`` (:class:`~lstm_core.jobs.messages.Slots`):
        while it runs, the slots no other job needs are lent to it, and taken back as soon as
        another job starts (its extra work then ends with what it is doing: it starts no more).

        Raises :class:`OwnerLimitError` when ``owner`` already has a running and a queued job.
        """
        task = _Task(next(self._ids), work, weakref.ref(listener), owner, wide)
        with self._lock:
            if self._closed.is_set():
                raise RuntimeError("the training pool is shut down")
            if owner is not None and self._held_by(owner) >= PER_OWNER:
                raise OwnerLimitError(
                    "you already have one job running and one waiting (in this tab or another of "
                    "this browser): stop one of them or wait for the running one to end")
            self._tasks[task.id] = task
            self._pending.append(task)
            self._dispatch()
        return task.id

    def cancel(self, task_id: int) -> None:
        """Stop a training: a queued one ends at once, a running one within its current batch."""
        with self._lock:
            task = self._tasks.get(task_id)
            if task is None:
                return
            if task.worker is not None:
                task.worker.post(StopTask(task_id))
                return
            self._pending.remove(task)
            del self._tasks[task_id]
        task.tell(Failed(task_id, CANCELLED_IN_QUEUE))

    def position(self, task_id: int) -> int | None:
        """1 for the next training to start, 2 for the one after, ...; None once it runs or ended."""
        with self._lock:
            for place, task in enumerate(self._pending, start=1):
                if task.id == task_id:
                    return place
        return None

    def prewarm(self) -> None:
        """Start a worker now if there is none, so the first training needn't wait for TensorFlow."""
        with self._lock:
            if not self._workers and not self._closed.is_set():
                self._spawn()

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "workers": len(self._workers),
                "running": sum(w.task is not None for w in self._workers),
                "queued": len(self._pending),
                "started_workers": self.started_workers,
                "worker_pids": [w.channel.pid for w in self._workers],
                "engine": self.launcher.name,
                "max_workers": self.max_workers,
                "threads_per_training": self.threads,
            }

    def shutdown(self) -> None:
        """End every worker (their trainings with them) and refuse new trainings."""
        with self._lock:
            self._closed.set()
            workers, self._workers = self._workers, []
            pending, self._pending = list(self._pending), deque()
        for worker in workers:
            if worker.task is not None:
                worker.post(StopTask(worker.task.id))
            worker.retire()
        for worker in workers:
            if not worker.ended.wait(5):
                worker.channel.kill()
        for task in pending:
            task.tell(Failed(task.id, SHUTTING_DOWN))

    # -- inside the pool (call with the lock held) --------------------------------------------

    def _idle_worker(self) -> _Worker | None:
        return next((w for w in self._workers if w.task is None and not w.retiring), None)

    def _held_by(self, owner: str) -> int:
        return sum(task.owner == owner for task in self._tasks.values())

    def _next_task(self) -> _Task | None:
        """The first queued task whose owner has nothing running."""
        running = {w.task.owner for w in self._workers if w.task is not None}
        return next((t for t in self._pending if t.owner is None or t.owner not in running), None)

    def _dispatch(self) -> None:
        while (task := self._next_task()) is not None:
            worker = self._idle_worker()
            if worker is None:
                if len(self._workers) >= self.max_workers:
                    return
                worker = self._spawn()
            self._pending.remove(task)
            task.worker, worker.task = worker, task
            worker.post(RunTask(task.id, task.work, task.wide))
        self._lend()

    def _lend(self) -> None:
        """Lend the slots no job waits for to the first running wide task; take them back once
        another job runs."""
        running = [w.task for w in self._workers if w.task is not None]
        spare = 0 if self._next_task() is not None else max(0, self.max_workers - len(running))
        for task in sorted((t for t in running if t.wide), key=lambda t: t.id):
            extra, spare = spare, 0
            if task.lent != extra and task.worker is not None:
                task.lent = extra
                task.worker.post(Lend(task.id, extra))

    def _spawn(self) -> _Worker:
        worker = _Worker(self.launcher.start(self.threads, self.memory_mb, self.preload))
        self._workers.append(worker)
        self.started_workers += 1
        threading.Thread(target=worker.send_all, name="lstm-lab-send", daemon=True).start()
        threading.Thread(target=self._read, args=(worker,), name="lstm-lab-read", daemon=True).start()
        return worker

    # -- the threads ------------------------------------------------------------------------

    def _read(self, worker: _Worker) -> None:
        """Forward one worker's reports to the listeners, until the worker ends."""
        for message in worker.channel.receive():
            if isinstance(message, Ready):
                continue
            task = self._tasks.get(message.task_id)
            if task is None:
                continue
            if not task.started:  # the time limit counts from here, not from a worker's start-up
                task.started = time.monotonic()
            if isinstance(message, Ended):
                self._finish(worker, task)
                if task.stop_sent and isinstance(message, Finished):
                    _say_time_limit(message.result, self.max_seconds)
            task.tell(message)
        self._lost(worker)

    def _finish(self, worker: _Worker, task: _Task) -> None:
        with self._lock:
            self._tasks.pop(task.id, None)
            worker.task, task.worker = None, None
            worker.trainings += 1
            worker.idle_since = time.monotonic()
            if worker.trainings >= self.recycle_after:
                self._workers.remove(worker)
                worker.retire()
            self._dispatch()

    def _lost(self, worker: _Worker) -> None:
        """The worker's connection closed: it retired, or it died (then its training fails)."""
        how = worker.channel.close()
        with self._lock:
            task = worker.task
            if worker in self._workers:
                self._workers.remove(worker)
            if task is not None:
                self._tasks.pop(task.id, None)
            if not worker.retiring:
                worker.outbox.put(None)
            if not self._closed.is_set():
                self._dispatch()
        worker.ended.set()
        if task is None:
            return
        if self._closed.is_set():
            task.tell(Failed(task.id, SHUTTING_DOWN))
        elif task.stop_sent:
            task.tell(Failed(task.id, f"ended: it ran past the limit of {_minutes(self.max_seconds)} "
                                      "per job and did not stop; try fewer epochs or a smaller model"))
        else:
            task.tell(Failed(task.id, f"the {worker.channel.kind} stopped unexpectedly ({how}), "
                                      "perhaps out of memory: try a smaller model or fewer windows; "
                                      "other trainings are not affected"))

    def _housekeeping(self) -> None:
        """End workers idle too long and jobs past their time; collect garbage so closed
        sessions' jobs cancel their trainings."""
        while not self._closed.wait(self.housekeeping_seconds):
            now = time.monotonic()
            with self._lock:
                busy = bool(self._tasks)
                for worker in [w for w in self._workers
                               if w.task is None and now - w.idle_since > self.idle_seconds]:
                    self._workers.remove(worker)
                    worker.retire()
                overdue = [w for w in self._workers if w.task is not None and w.task.started
                           and now - w.task.started > self.max_seconds]
            for worker in overdue:
                self._enforce_time_limit(worker, now)
            if busy:
                gc.collect()

    def _enforce_time_limit(self, worker: _Worker, now: float) -> None:
        """Stop a job past ``max_seconds``; end its worker if it has not stopped after the grace."""
        task = worker.task
        if task is None:
            return
        if not task.stop_sent:
            task.stop_sent = now
            task.tell(Stage(task.id, f"stopping: a job may run for at most "
                                     f"{_minutes(self.max_seconds)} on this server"))
            worker.post(StopTask(task.id))
        elif now - task.stop_sent > self.stop_grace:
            worker.channel.kill()  # its reader reports the job as failed; the others go on


_shared: TrainingPool | None = None
_shared_lock = threading.Lock()


def engine_from_environment() -> Launcher:
    """Ray when ``LSTM_LAB_RAY_ADDRESS`` names a cluster (``auto``, ``host:port``, ``local``),
    else worker processes on this machine. A cluster that cannot be reached is said in the log,
    and the trainings run here."""
    address = os.environ.get("LSTM_LAB_RAY_ADDRESS", "").strip()
    if not address:
        return LocalProcesses()
    try:
        from lstm_core.jobs.ray_engine import RayCluster

        return RayCluster(address)
    except Exception as exc:
        LOGGER.error("LSTM_LAB_RAY_ADDRESS=%s: cannot use the Ray cluster (%s); "
                     "trainings run on this machine instead", address, exc)
        return LocalProcesses()


def shared_pool() -> TrainingPool:
    """The server's one pool, made on first use and shut down when the server exits; its engine
    comes from the environment (:func:`engine_from_environment`)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = TrainingPool(launcher=engine_from_environment())
            atexit.register(_shared.shutdown)
        return _shared
