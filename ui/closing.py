"""A closed tab's work is cancelled within a minute, whatever else the server does.

Streamlit keeps a session whose browser tab went away for a while (its
``server.disconnectedSessionTTL``) and drops it only when its session store is next written,
so waiting for the session, and with it its jobs, to be collected can take minutes or never
happen on an idle server. Instead, one watcher thread asks Streamlit every few seconds which
sessions still have a connected browser; a session that has been without one for
``LSTM_LAB_TAB_CLOSED_SECONDS`` (20 s, long enough to survive a reload or a network blip, which
reconnect to the same session) has its jobs stopped: a queued one leaves the queue, a running
one ends within its current batch.

Outside a real server (AppTest, scripts) there is no Streamlit runtime and nothing is watched.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable

from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lstm_core.jobs.job import TrainingJob

LOGGER = logging.getLogger(__name__)
CHECK_SECONDS = 5.0


def _grace() -> float:
    value = os.environ.get("LSTM_LAB_TAB_CLOSED_SECONDS", "")
    return float(value) if value.replace(".", "", 1).isdigit() and float(value) > 0 else 20.0


class Watcher:
    """Stops the jobs of sessions that have had no connected browser for ``grace`` seconds."""

    def __init__(self, is_connected: Callable[[str], bool], grace: float,
                 check_seconds: float = CHECK_SECONDS) -> None:
        self.is_connected = is_connected
        self.grace = grace
        self.check_seconds = min(check_seconds, grace / 2)
        self._lock = threading.Lock()
        self._jobs: dict[str, list[weakref.ref[TrainingJob]]] = {}
        self._gone_since: dict[str, float] = {}
        self.cancelled: list[str] = []  # session ids whose jobs were stopped, for the log and tests
        threading.Thread(target=self._run, name="lstm-lab-closed-tabs", daemon=True).start()

    def watch(self, session_id: str, jobs: Iterable[TrainingJob]) -> None:
        with self._lock:
            self._jobs[session_id] = [weakref.ref(job) for job in jobs]

    def check(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            watched = list(self._jobs.items())
        for session_id, refs in watched:
            jobs = [job for ref in refs if (job := ref()) is not None]
            if not jobs:
                self._forget(session_id)
                continue
            if self.is_connected(session_id):
                self._gone_since.pop(session_id, None)
                continue
            since = self._gone_since.setdefault(session_id, now)
            running = [job for job in jobs if job.running]
            if now - since >= self.grace and running:
                for job in running:
                    job.stop()
                LOGGER.info("stopped %d job(s) of a closed tab", len(running))
                self.cancelled.append(session_id)

    def _forget(self, session_id: str) -> None:
        with self._lock:
            self._jobs.pop(session_id, None)
        self._gone_since.pop(session_id, None)

    def _run(self) -> None:
        while True:
            time.sleep(self.check_seconds)
            try:
                self.check()
            except Exception:  # the watcher must outlive any one bad check
                LOGGER.exception("checking for closed tabs failed")


_watcher: Watcher | None = None
_watcher_lock = threading.Lock()


def _connected(session_id: str) -> bool:
    return not runtime.exists() or runtime.get_instance().is_active_session(session_id)


def watch_jobs(jobs: Iterable[TrainingJob]) -> None:
    """Have this run's session's ``jobs`` stopped once its tab has been closed a while."""
    global _watcher
    context = get_script_run_ctx()
    if context is None or not runtime.exists():
        return
    with _watcher_lock:
        if _watcher is None:
            _watcher = Watcher(_connected, _grace())
    _watcher.watch(context.session_id, jobs)
