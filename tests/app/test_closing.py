"""ui/closing.py: the jobs of a session whose browser has gone are stopped after a grace period,
not when (or if) Streamlit gets round to dropping the session."""

from __future__ import annotations

import time

from lstm_core.jobs.job import TrainingJob
from ui.closing import Watcher


def endless(*, progress, stop, on_stage) -> str:
    while not stop.wait(0.01):
        pass
    return "stopped"


def running_job() -> TrainingJob:
    job = TrainingJob()
    job.start_work(endless, 1)
    return job


def test_a_session_gone_longer_than_the_grace_has_its_jobs_stopped() -> None:
    connected = {"a": True, "b": True}
    watcher = Watcher(connected.__getitem__, grace=20, check_seconds=3600)  # checks driven by hand
    a, b, idle = running_job(), running_job(), TrainingJob()
    watcher.watch("a", [a, idle])
    watcher.watch("b", [b])
    now = time.monotonic()
    watcher.check(now)
    connected["a"] = False
    watcher.check(now + 1)  # gone for a moment (a reload, a network blip): nothing happens
    watcher.check(now + 15)
    assert a.running and b.running
    watcher.check(now + 22)  # gone for longer than the grace: stopped
    assert a.join(5) and a.result == "stopped"
    assert b.running and watcher.cancelled == ["a"]
    b.stop()
    assert b.join(5)


def test_a_session_that_comes_back_within_the_grace_keeps_its_jobs() -> None:
    connected = {"a": False}
    watcher = Watcher(connected.__getitem__, grace=20, check_seconds=3600)
    job = running_job()
    watcher.watch("a", [job])
    now = time.monotonic()
    watcher.check(now)
    connected["a"] = True
    watcher.check(now + 10)
    connected["a"] = False
    watcher.check(now + 25)  # gone again, but only for a moment this time
    assert job.running and watcher.cancelled == []
    job.stop()
    assert job.join(5)


def test_the_watcher_stops_jobs_by_itself_in_its_own_thread() -> None:
    watcher = Watcher(lambda _: False, grace=0.2, check_seconds=0.05)
    job = running_job()
    watcher.watch("gone", [job])
    assert job.join(10) and job.result == "stopped"
