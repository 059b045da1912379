"""A search as one job of the pool, on either engine: in a local worker its trials run in that
worker, and also in a helper process for each slot of the pool that no other job needs; on a real
Ray cluster (started for the tests) they run as Ray tasks, two at a time beside the search's own
job, in other processes; Stop ends it everywhere, and the best trial so far is still trained and
scored."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import generate
from lstm_core.jobs.job import FINISHED, TrainingJob
from lstm_core.jobs.pool import TrainingPool
from lstm_core.search.job import SearchOutcome, search_job
from lstm_core.search.search import Budget
from lstm_core.search.trial import COMPLETE, PRUNED
from tests.ray_cluster import launcher_for
from tests.waiting import wait_until

TIMEOUT = 300
CONFIG = ExperimentConfig(seed=3)


@pytest.fixture(params=[("local", 1), ("local", 2), ("ray", 1)], ids=["local", "local-2-slots", "ray"])
def pool(request: pytest.FixtureRequest) -> Iterator[TrainingPool]:
    engine, slots = request.param
    made = TrainingPool(launcher=launcher_for(engine, request), max_workers=slots)
    yield made
    made.shutdown()


def searched(pool: TrainingPool, trials: int, epochs: int) -> TrainingJob:
    series = generate("trend_seasonal", length=120, period=12, amplitude=3.0, noise_level=0.3)
    job = TrainingJob(pool=pool)
    job.start_work(partial(search_job, CONFIG, series, Budget(trials=trials), CONFIG.seed, epochs), trials,
                   wide=True)
    return job


def test_a_search_runs_its_trials_where_its_engine_puts_them(pool: TrainingPool) -> None:
    job = searched(pool, trials=4, epochs=3)
    assert job.join(TIMEOUT), job.snapshot()
    assert job.snapshot().state == FINISHED, job.snapshot().error
    outcome: SearchOutcome = job.result
    assert len(outcome.trials) == 4 and len(job.snapshot().epochs) == 4  # a row for each, as it ended
    assert {row["state"] for row in outcome.trials} <= {COMPLETE, PRUNED}
    assert outcome.final.evaluation.test_metrics.rmse > 0 and not outcome.stopped
    processes = {row["pid"] for row in outcome.trials}
    if pool.launcher.name == "ray":
        assert len(processes) >= 2  # two at a time, in Ray's worker processes
    else:  # the search's own worker, and a helper for the slot no other job needs
        assert len(processes) == pool.max_workers


def test_stop_ends_a_search_and_keeps_the_best_so_far(pool: TrainingPool) -> None:
    job = searched(pool, trials=40, epochs=40)
    wait_until(lambda: len(job.snapshot().epochs) >= 1, timeout=TIMEOUT)  # a trial has ended
    job.stop()
    assert job.join(TIMEOUT)
    outcome: SearchOutcome = job.result
    assert outcome.stopped and len(outcome.trials) < 40
    assert "running" not in {row["state"] for row in outcome.trials}
    assert outcome.final.evaluation.test_metrics.rmse > 0
