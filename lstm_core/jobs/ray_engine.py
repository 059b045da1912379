"""The Ray engine: the training pool's workers as Ray actors, anywhere on a Ray cluster.

Chosen by ``LSTM_LAB_RAY_ADDRESS`` (see :func:`lstm_core.jobs.pool.shared_pool`): ``auto`` for the
cluster this machine belongs to (``ray start --head`` or ``ray start --address=...``), ``host:port``
for another, ``local`` for a private one-machine cluster started by the server itself. The pool
keeps doing what it does with local processes (the queue and its places, one running and one
queued job per session, the time limit, recycling and idle workers, cancelling a closed tab's
job); only where a worker runs changes:

- each worker is a :class:`Trainer` actor that declares ``LSTM_LAB_RAY_CPUS_PER_JOB`` CPUs
  (default 1; TensorFlow gets as many threads), so Ray places it on a node with room;
- the pool runs at most as many at once as the cluster has CPUs for (``LSTM_LAB_MAX_TRAININGS``
  overrides), the others wait in its queue, whose places the pages show;
- a training's reports (stages, one per epoch, the result) stream back as they happen: the
  actor's ``run`` is a generator, each report one item of Ray's streaming generator;
- Stop, a tab closed and the time limit reach the running training through the actor's ``stop``
  (the actor runs two calls at once), a wide task's share of the idle slots through its
  ``lend``; a worker past the grace is ended with ``ray.kill``;
- an actor that dies (its process killed, out of memory, its node lost) fails its own training
  with a message; the pool starts another actor for the next.

The server process imports Ray (not TensorFlow): the actors import TensorFlow where they run.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Iterator
from typing import Any

from lstm_core.config.checks import env_count
from lstm_core.jobs.messages import (
    Failed,
    Finished,
    FromWorker,
    Lend,
    Ready,
    RunTask,
    Slots,
    StopTask,
    ToWorker,
    Work,
)
from lstm_core.jobs.worker import limit_memory, lower_priority, preload_libraries, run_task
from lstm_core.runs.progress import failure_message

LOGGER = logging.getLogger(__name__)
NAMESPACE = "lstm-lab"


def first_line(exc: BaseException) -> str:
    """A Ray error's first line: the rest is its traceback and where to look in the logs."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


class _Queue(queue.Queue):
    """A queue that a task's reports are sent to (the worker's ``Sender``)."""

    def send(self, message: FromWorker) -> None:
        self.put(message)


class Trainer:
    """One worker, as a Ray actor: runs trainings one after another as the pool hands them over,
    each in a thread of its own while ``run`` streams its reports; ``stop`` may come at any time
    (two calls at once: ``max_concurrency=2``)."""

    def __init__(self, env: dict[str, str], preload: bool) -> None:
        os.environ.update(env)  # TensorFlow's threads and the memory limit, read from here
        lower_priority()
        limit_memory(on_top=True)
        if preload:
            preload_libraries()
        self._lock = threading.Lock()
        self._stops: dict[int, threading.Event] = {}
        self._stopped: set[int] = set()  # stops that came before their run
        self._slots: dict[int, Slots] = {}
        self._lent: dict[int, int] = {}  # lends that came before their run

    def ready(self) -> int:
        return os.getpid()

    def run(self, task_id: int, work: Work, wide: bool = False) -> Iterator[FromWorker]:
        stop = threading.Event()
        with self._lock:
            slots = Slots(self._lent.pop(task_id, 0)) if wide else None
            self._stops[task_id] = stop
            if slots is not None:
                self._slots[task_id] = slots
            if task_id in self._stopped:
                stop.set()
        reports = _Queue()
        threading.Thread(target=run_task, args=(reports, task_id, work, stop, slots), name="lstm-lab-task",
                         daemon=True).start()
        try:
            while True:
                message = reports.get()
                yield message
                if isinstance(message, (Finished, Failed)):
                    return
        finally:
            with self._lock:
                self._stops.pop(task_id, None)
                self._slots.pop(task_id, None)
                self._stopped.discard(task_id)

    def stop(self, task_id: int) -> None:
        with self._lock:
            event = self._stops.get(task_id)
            if event is None:
                self._stopped.add(task_id)
            else:
                event.set()

    def lend(self, task_id: int, extra: int) -> None:
        with self._lock:
            slots = self._slots.get(task_id)
            if slots is None:
                self._lent[task_id] = extra
            else:
                slots.extra = extra


class RayChannel:
    """The pool's side of one :class:`Trainer` actor."""

    kind = "Ray worker"

    def __init__(self, actor_class: Any, threads: int, memory_mb: int, preload: bool) -> None:
        import ray

        self._ray = ray
        env = {"LSTM_LAB_TF_THREADS": str(threads), "LSTM_LAB_WORKER_MEMORY_MB": str(memory_mb)}
        self.actor = actor_class.options(num_cpus=threads).remote(env, preload)
        self._inbox: queue.Queue[ToWorker] = queue.Queue()
        self._pid: int | None = None
        self._how = "its actor ended"

    @property
    def pid(self) -> int | None:
        return self._pid

    def send(self, message: ToWorker) -> None:
        if isinstance(message, StopTask):
            self.actor.stop.remote(message.task_id)  # reaches it while it trains
        elif isinstance(message, Lend):
            self.actor.lend.remote(message.task_id, message.extra)
        else:
            self._inbox.put(message)

    def receive(self) -> Iterator[FromWorker]:
        exceptions = self._ray.exceptions
        try:
            self._pid = self._ray.get(self.actor.ready.remote())
            yield Ready(self._pid)
            while isinstance(message := self._inbox.get(), RunTask):
                try:
                    for ref in self.actor.run.remote(message.task_id, message.work, message.wide):
                        yield self._ray.get(ref)
                except exceptions.RayTaskError as exc:  # the actor lives: a report could not travel
                    yield Failed(message.task_id, failure_message(exc.cause or exc))
        except exceptions.RayError as exc:  # the actor died, or could not start
            self._how = first_line(exc)

    def close(self) -> str:
        self.kill()
        return self._how

    def kill(self) -> None:
        try:
            self._ray.kill(self.actor, no_restart=True)
        except Exception as exc:  # already gone, or the cluster is
            LOGGER.debug("ray.kill: %s", exc)


class RayCluster:
    """The pool's launcher for Ray: connects to the cluster at ``address`` once, then starts a
    :class:`Trainer` actor for each worker the pool asks for."""

    name = "ray"

    def __init__(self, address: str) -> None:
        import ray

        self.address = address
        if not ray.is_initialized():
            if address == "local":
                ray.init(namespace=NAMESPACE, include_dashboard=False, log_to_driver=False,
                         logging_level=logging.WARNING)
            else:
                ray.init(address=address, namespace=NAMESPACE, log_to_driver=False,
                         logging_level=logging.WARNING)
        self._ray = ray
        self.cpus_per_job = env_count("LSTM_LAB_RAY_CPUS_PER_JOB", 1)
        self._actor_class = ray.remote(max_concurrency=2, max_restarts=0)(Trainer)

    def slots(self) -> int:
        cpus = int(self._ray.cluster_resources().get("CPU", 1))
        return env_count("LSTM_LAB_MAX_TRAININGS", max(1, cpus // self.cpus_per_job))

    def threads(self, max_workers: int) -> int:
        return self.cpus_per_job

    def start(self, threads: int, memory_mb: int, preload: bool) -> RayChannel:
        return RayChannel(self._actor_class, threads, memory_mb, preload)
