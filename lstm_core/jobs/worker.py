"""A training process: ``python -m lstm_core.jobs.worker FD [preload]``, started by
:mod:`lstm_core.jobs.pool`.

It runs trainings one after another as the pool sends them over the socket FD, and sends back
what each reports: its stages, one :class:`~lstm_core.runs.progress.EpochProgress` per epoch, then
the result or an error message. With ``preload`` it imports TensorFlow and statsforecast as soon
as it is up, so the first training need not wait for them; the pool sizes TensorFlow's threads through the
environment (see :mod:`lstm_core.nn.backend`). TensorFlow's memory stays in this process, so the
pool frees it by ending the process.

The messages, both ways, are those of :mod:`lstm_core.jobs.messages`: in, ``RunTask``,
``StopTask``, ``Lend`` (a wide task's share of the idle slots) and ``Exit``; out, ``Ready``
once, then ``Stage`` and ``Epoch`` reports for each task, ended by ``Finished`` or ``Failed``.
"""

from __future__ import annotations

import os
import queue
import resource
import sys
import threading
from multiprocessing.connection import Connection
from typing import Protocol

from lstm_core.jobs.messages import (
    Epoch,
    Exit,
    Failed,
    Finished,
    FromWorker,
    Lend,
    Ready,
    RunTask,
    Slots,
    Stage,
    StopTask,
    ToWorker,
    Work,
)
from lstm_core.runs.progress import failure_message

STARTING = "starting"


class _Inbox:
    """Reads the pool's messages in a thread of its own, so a stop arrives during a training."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.tasks: queue.Queue[tuple[int, Work, threading.Event, Slots | None] | None] = queue.Queue()
        self.stops: dict[int, threading.Event] = {}
        self.slots: dict[int, Slots] = {}
        self.lock = threading.Lock()
        threading.Thread(target=self._read, name="lstm-lab-inbox", daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                message: ToWorker = self.conn.recv()
            except (EOFError, OSError):
                os._exit(0)  # the server is gone: nothing is left to train for
            match message:
                case RunTask(task_id, work, wide):  # always sent before any stop for the same task
                    with self.lock:
                        stop = self.stops[task_id] = threading.Event()
                        slots = self.slots[task_id] = Slots() if wide else None
                    self.tasks.put((task_id, work, stop, slots))
                case StopTask(task_id):
                    with self.lock:
                        stop = self.stops.get(task_id)
                    if stop is not None:
                        stop.set()
                case Lend(task_id, extra):
                    with self.lock:
                        slots = self.slots.get(task_id)
                    if slots is not None:
                        slots.extra = extra
                case Exit():
                    self.tasks.put(None)

    def finished(self, task_id: int) -> None:
        with self.lock:
            self.stops.pop(task_id, None)
            self.slots.pop(task_id, None)


class Sender(Protocol):
    """Where a task's reports go: the pool's socket, or a Ray actor's stream."""

    def send(self, message: FromWorker) -> None: ...


def run_task(conn: Sender, task_id: int, work: Work, stop: threading.Event,
             slots: Slots | None = None) -> None:
    """Run one training, forwarding its stages and epochs; end with its result or its error.
    A wide task also gets ``slots``: how many of the pool's slots it may use now."""
    conn.send(Stage(task_id, STARTING))  # the pool's clock for the time limit starts here
    wide = {} if slots is None else {"slots": slots}
    try:
        result = work(progress=lambda event: conn.send(Epoch(task_id, event)), stop=stop,
                      on_stage=lambda name: conn.send(Stage(task_id, name)), **wide)
    except Exception as exc:
        conn.send(Failed(task_id, failure_message(exc)))
        return
    try:
        conn.send(Finished(task_id, result))
    except Exception as exc:  # the result could not be pickled
        conn.send(Failed(task_id, failure_message(exc)))


def preload_libraries() -> None:
    """Import TensorFlow and statsforecast now, rather than in the first training."""
    from lstm_core.eval.classical import import_models
    from lstm_core.nn import backend  # noqa: F401  (TensorFlow, its threads sized from the environment)

    import_models()


def serve(conn: Connection, preload: bool) -> None:
    inbox = _Inbox(conn)
    if preload:
        preload_libraries()
    conn.send(Ready(os.getpid()))
    while (task := inbox.tasks.get()) is not None:
        run_task(conn, *task)
        inbox.finished(task[0])


def lower_priority() -> None:
    """Trainings are batch work: they get the CPU the server leaves, so pages stay quick to
    serve however many trainings run. Linux's idle scheduling class where there is one."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(10)


def data_memory() -> int:
    """This process's data memory now (bytes; Linux's VmData), what RLIMIT_DATA limits; 0 elsewhere."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def limit_memory(on_top: bool = False) -> None:
    """At most ``LSTM_LAB_WORKER_MEMORY_MB`` of data memory (the pool sets it): a training that
    would need more fails alone, with a MemoryError or its process ended, never the machine.
    ``on_top``: that much more than the process holds now (a Ray worker maps hundreds of MB for
    its own runtime before any training)."""
    megabytes = os.environ.get("LSTM_LAB_WORKER_MEMORY_MB", "")
    if megabytes.isdigit() and int(megabytes) > 0:
        limit = int(megabytes) * 2**20 + (data_memory() if on_top else 0)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def main(argv: list[str]) -> None:
    lower_priority()
    limit_memory()
    serve(Connection(int(argv[0])), preload="preload" in argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
