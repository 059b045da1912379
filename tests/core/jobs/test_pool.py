"""The server's training pool: trainings in workers, a limit, a queue, faults contained.

The same contract holds whichever engine runs the workers, so every test runs twice: with
worker processes on this machine (the default engine) and with Ray actors on a real Ray cluster
started for the tests (``ray start --head``, see tests/ray_cluster.py).

Most tests hand the pool small stand-in trainings (below: picklable functions that report
epochs without TensorFlow) in workers that don't preload TensorFlow, so they take seconds;
one trains a real tiny model end to end.
"""

from __future__ import annotations

import gc
import os
import time
import weakref
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from lstm_core import ExperimentConfig, generate
from lstm_core.jobs.job import FAILED, FINISHED, QUEUED, JobBusyError, TrainingJob
from lstm_core.jobs.pool import CANCELLED_IN_QUEUE, TrainingPool
from lstm_core.runs.progress import EpochProgress
from tests.ray_cluster import CPUS, launcher_for
from tests.waiting import wait_until

TIMEOUT = 120
ROOT = Path(__file__).resolve().parents[3]


def counting(epochs: int, seconds: float, *, progress, stop, on_stage) -> dict:
    """A stand-in training: one epoch every ``seconds``, until done or asked to stop."""
    on_stage("training")
    done = 0
    while done < epochs and not stop.is_set():
        time.sleep(seconds)
        done += 1
        progress(EpochProgress(done, epochs, 1.0 / done, None, seconds, done * seconds))
    return {"epochs": done, "pid": os.getpid()}


def failing(*, progress, stop, on_stage) -> None:
    raise ValueError("a bug inside the training")


def crashing(*, progress, stop, on_stage) -> None:
    os._exit(3)


@pytest.fixture(autouse=True)
def workers_import_this_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-ins are pickled by name, so the workers need the repository on their path,
    as pytest's ``pythonpath`` gives this process, whichever directory pytest runs in."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


@pytest.fixture(params=["local", "ray"])
def make_pool(request: pytest.FixtureRequest) -> Iterator[Callable[..., TrainingPool]]:
    """Makes pools on one engine (each test runs with both), shutting them down after the test."""
    launcher = launcher_for(request.param, request)
    made: list[TrainingPool] = []

    def make(**options) -> TrainingPool:
        made.append(TrainingPool(launcher=launcher, **options))
        return made[-1]

    yield make
    for pool in made:
        pool.shutdown()


@pytest.fixture
def pool(make_pool) -> TrainingPool:
    return make_pool(max_workers=1, preload=False)


def started(pool: TrainingPool, epochs: int = 1000, seconds: float = 0.05) -> TrainingJob:
    job = TrainingJob(pool=pool)
    job.start_work(partial(counting, epochs, seconds), epochs)
    return job


def test_a_real_training_runs_in_a_worker_process_and_reports_every_epoch(make_pool) -> None:
    pool = make_pool(max_workers=1)
    job = TrainingJob(pool=pool)
    job.start(ExperimentConfig(window=5, units=[4], epochs=3, patience=0), generate("sine", length=200))
    assert job.join(TIMEOUT)
    snap = job.snapshot()
    assert (snap.state, snap.error) == (FINISHED, None)
    assert snap.state is FINISHED  # the job's own states, passed on by the worker and the pool
    assert [e.epoch for e in snap.epochs] == [1, 2, 3]
    assert job.result.training.loss == [e.loss for e in snap.epochs]
    assert job.result.evaluation.test_metrics.rmse > 0
    assert job.result.threads == pool.threads  # TensorFlow sized by the pool


def test_trainings_beyond_the_limit_wait_in_a_queue_and_show_their_place(pool: TrainingPool) -> None:
    first = started(pool)
    second, third = started(pool), started(pool)
    wait_until(lambda: first.snapshot().epoch >= 1)
    assert pool.stats()["running"] == 1
    assert (second.snapshot().stage, second.snapshot().queue_position) == (QUEUED, 1)
    assert third.snapshot().queue_position == 2 and third.snapshot().epoch == 0
    second.stop()  # leaves the queue at once, having trained nothing
    assert second.join(1) and second.snapshot().state is FAILED  # the pool's verdict, in the job's states
    assert second.snapshot().error == CANCELLED_IN_QUEUE
    assert third.snapshot().queue_position == 1
    first.stop()
    assert first.join(TIMEOUT) and first.snapshot().state == FINISHED
    wait_until(lambda: third.snapshot().epoch >= 1)  # the freed slot goes to the next in line
    assert third.snapshot().queue_position is None
    third.stop()
    assert third.join(TIMEOUT) and third.result["pid"] == first.result["pid"]  # the same worker


def test_the_limit_is_a_limit_on_simultaneous_trainings(make_pool) -> None:
    pool = make_pool(max_workers=2, preload=False)
    jobs = [started(pool) for _ in range(3)]
    wait_until(lambda: all(j.snapshot().epoch >= 1 for j in jobs[:2]))
    assert pool.stats()["running"] == 2 and pool.stats()["queued"] == 1
    assert jobs[2].snapshot().queue_position == 1
    # TensorFlow's threads: a share of this machine's cores, or the CPUs each Ray actor declares
    assert pool.threads == (1 if pool.launcher.name == "ray" else max(1, (os.cpu_count() or 1) // 2))
    for job in jobs:
        job.stop()
    assert all(job.join(TIMEOUT) for job in jobs)
    assert len({job.result["pid"] for job in jobs[:2]}) == 2


def test_an_exception_inside_a_training_is_reported_and_the_pool_goes_on(pool: TrainingPool) -> None:
    job = TrainingJob(pool=pool)
    job.start_work(failing, 1)
    assert job.join(TIMEOUT)
    assert job.snapshot().error == "the training failed unexpectedly: ValueError: a bug inside the training"
    after = started(pool, epochs=2, seconds=0.01)
    assert after.join(TIMEOUT) and after.snapshot().state == FINISHED


def test_a_crashed_training_process_fails_only_its_own_training(pool: TrainingPool) -> None:
    job = TrainingJob(pool=pool)
    job.start_work(crashing, 1)
    waiting = started(pool, epochs=2, seconds=0.01)
    assert job.join(TIMEOUT)
    assert job.snapshot().state == FAILED
    error = job.snapshot().error
    assert "stopped unexpectedly" in error and "other trainings are not affected" in error
    if pool.launcher.name == "local":
        assert "the training process stopped unexpectedly (exit code 3)" in error
    else:
        assert "the Ray worker stopped unexpectedly (The actor died" in error
    assert waiting.join(TIMEOUT) and waiting.snapshot().state == FINISHED  # a new worker took over
    assert pool.stats()["started_workers"] == 2


def test_workers_are_replaced_after_some_trainings_so_memory_cannot_pile_up(make_pool) -> None:
    pool = make_pool(max_workers=1, recycle_after=2, preload=False)
    pids = []
    for _ in range(3):
        job = started(pool, epochs=1, seconds=0.01)
        assert job.join(TIMEOUT)
        pids.append(job.result["pid"])
    assert pids[0] == pids[1] != pids[2]


def test_idle_workers_are_ended(make_pool) -> None:
    pool = make_pool(max_workers=1, idle_seconds=0.3, preload=False)
    assert started(pool, epochs=1, seconds=0.01).join(TIMEOUT)
    wait_until(lambda: pool.stats()["workers"] == 0, timeout=10)


def test_a_collected_job_cancels_its_training(pool: TrainingPool) -> None:
    """A closed tab's session is dropped; its job goes with it, and the training stops."""
    job = started(pool)
    collected = weakref.ref(job)
    wait_until(lambda: collected().snapshot().epoch >= 1)
    del job
    gc.collect()
    assert collected() is None
    wait_until(lambda: pool.stats()["running"] == 0, timeout=10)
    follower = started(pool, epochs=1, seconds=0.01)
    assert follower.join(TIMEOUT) and follower.snapshot().state == FINISHED


def hogging(megabytes: int, *, progress, stop, on_stage) -> int:
    """A stand-in training that needs ``megabytes`` of memory at once."""
    return len(bytearray(megabytes * 2**20))


def ignoring_stop(*, progress, stop, on_stage) -> None:
    """A stand-in training that never looks at its stop event."""
    time.sleep(600)


def owned(pool: TrainingPool, owner: str, epochs: int = 1000) -> TrainingJob:
    job = TrainingJob(pool=pool, owner=owner)
    job.start_work(partial(counting, epochs, 0.05), epochs)
    return job


def test_a_session_holds_one_running_and_one_queued_job_however_many_slots_are_free(make_pool) -> None:
    pool = make_pool(max_workers=2, preload=False)
    first, second = owned(pool, "alice"), owned(pool, "alice")
    wait_until(lambda: first.snapshot().epoch >= 1)
    # A slot is free, yet alice's second job waits for her first: she cannot take both slots.
    assert second.snapshot().queue_position == 1 and second.snapshot().epoch == 0
    with pytest.raises(JobBusyError, match="one job running and one waiting"):
        owned(pool, "alice")
    other = owned(pool, "bob")  # someone else gets the free slot at once, ahead of alice's
    wait_until(lambda: other.snapshot().epoch >= 1)
    assert pool.stats()["running"] == 2
    first.stop()
    assert first.join(TIMEOUT)
    wait_until(lambda: second.snapshot().epoch >= 1)  # then alice's next one runs
    third = owned(pool, "alice")  # and she may queue one again
    assert third.snapshot().queue_position == 1
    for job in (second, third, other):
        job.stop()
    assert all(job.join(TIMEOUT) for job in (second, third, other))


def lending(*, progress, stop, on_stage, slots) -> list[int]:
    """A stand-in wide job (a search): reports how many extra slots it may use whenever that changes."""
    seen: list[int] = []
    while not stop.is_set():
        if not seen or seen[-1] != slots.extra:
            seen.append(slots.extra)
            progress(EpochProgress(len(seen), 1000, float(slots.extra), None, 0.0, 0.0))
        time.sleep(0.02)
    return seen


def test_a_wide_job_borrows_the_idle_slots_until_other_jobs_need_them(make_pool) -> None:
    pool = make_pool(max_workers=3, preload=False)
    wide = TrainingJob(pool=pool, owner="alice")
    wide.start_work(lending, 1000, wide=True)
    lent = lambda: wide.snapshot().epochs[-1].loss if wide.snapshot().epochs else None  # noqa: E731
    wait_until(lambda: lent() == 2)  # both other slots are idle
    bob = owned(pool, "bob")
    wait_until(lambda: bob.snapshot().epoch >= 1)
    wait_until(lambda: lent() == 1)  # bob runs at once; his slot is taken back
    carol = owned(pool, "carol")
    wait_until(lambda: carol.snapshot().epoch >= 1 and lent() == 0)
    assert pool.stats()["running"] == 3
    plain = owned(pool, "dave")  # a job waits in the queue: nothing is lent meanwhile
    bob.stop()
    wait_until(lambda: plain.snapshot().epoch >= 1)
    assert lent() == 0
    for job in (carol, plain):
        job.stop()
        assert job.join(TIMEOUT)
    wait_until(lambda: lent() == 2)  # the slots come back once they are idle
    wide.stop()
    assert wide.join(TIMEOUT) and wide.snapshot().state == FINISHED
    assert wide.result[0] in (0, 2) and wide.result[-1] == 2 and 0 in wide.result  # what the job saw


def test_a_job_past_the_time_limit_is_stopped_and_keeps_what_it_did(make_pool) -> None:
    pool = make_pool(max_workers=1, preload=False, max_seconds=1, housekeeping_seconds=0.2)
    job = started(pool, epochs=100_000, seconds=0.05)
    assert job.join(TIMEOUT)
    snap = job.snapshot()
    assert snap.state == FINISHED and 0 < job.result["epochs"] < 100_000
    assert snap.elapsed < 30


def test_a_job_that_ignores_the_time_limit_is_ended_with_its_worker_alone(make_pool) -> None:
    pool = make_pool(max_workers=1, preload=False, max_seconds=1, housekeeping_seconds=0.2,
                        stop_grace=1)
    job = TrainingJob(pool=pool)
    job.start_work(ignoring_stop, 1)
    assert job.join(TIMEOUT)
    assert job.snapshot().state == FAILED
    assert "ran past the limit of 1 second per job" in job.snapshot().error
    after = started(pool, epochs=2, seconds=0.01)
    assert after.join(TIMEOUT) and after.snapshot().state == FINISHED


def test_a_job_that_needs_more_memory_than_a_worker_may_use_fails_alone(make_pool) -> None:
    pool = make_pool(max_workers=1, preload=False, memory_mb=400)
    job = TrainingJob(pool=pool)
    job.start_work(partial(hogging, 1000), 1)
    assert job.join(TIMEOUT)
    assert job.snapshot().state == FAILED
    assert "more memory than one job may use" in job.snapshot().error
    fits = TrainingJob(pool=pool)
    fits.start_work(partial(hogging, 50), 1)
    assert fits.join(TIMEOUT) and fits.result == 50 * 2**20


def test_the_engine_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, ray_address: str) -> None:
    from lstm_core.jobs.pool import engine_from_environment

    monkeypatch.delenv("LSTM_LAB_RAY_ADDRESS", raising=False)
    assert engine_from_environment().name == "local"
    monkeypatch.setenv("LSTM_LAB_RAY_ADDRESS", ray_address)
    engine = engine_from_environment()
    assert engine.name == "ray" and engine.slots() == CPUS  # one slot per CPU of the test cluster


SERVER = """
import json, os, sys
from lstm_core import ExperimentConfig, generate
from lstm_core.jobs.job import TrainingJob
from lstm_core.jobs.pool import engine_from_environment, TrainingPool
pool = TrainingPool(launcher=engine_from_environment(), max_workers=1)
job = TrainingJob(pool=pool)
job.start(ExperimentConfig(window=5, units=[4], epochs=2, patience=0), generate("sine", length=200))
assert job.join(300), job.snapshot()
print(json.dumps({"engine": pool.launcher.name, "rmse": job.result.evaluation.test_metrics.rmse,
                  "tensorflow": "tensorflow" in sys.modules, "keras": "keras" in sys.modules}))
pool.shutdown()
"""


@pytest.mark.parametrize("engine", ["local", "ray"])
def test_the_server_never_imports_tensorflow_whichever_engine_trains(engine: str, request) -> None:
    """A fresh process plays the server: it chooses its engine from the environment, as the app
    does, trains through it, and holds the result without TensorFlow or Keras loaded."""
    import json
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key != "LSTM_LAB_RAY_ADDRESS"}
    if engine == "ray":
        env["LSTM_LAB_RAY_ADDRESS"] = request.getfixturevalue("ray_address")
    done = subprocess.run([sys.executable, "-c", SERVER], env=env, capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["engine"] == engine and found["rmse"] > 0
    assert not found["tensorflow"] and not found["keras"]
