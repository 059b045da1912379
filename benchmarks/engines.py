"""The Ray engine against the local pool: one default training's overhead, and a search's throughput.

1. One default training (the noisy sine, the default LSTM) submitted to a fresh pool of one worker
   ("cold": the worker starts and imports TensorFlow first) and then again to the same pool
   ("warm"), on each engine: seconds from submit to the first epoch's report and to the result.
2. A search of ``--trials`` trials (default 40) on airline passengers as one job of the pool: on
   the local pool with 1 slot (trials one after another in the job's worker) and with 2 slots
   (the idle slot lent to the search: a helper process trains a second trial at a time; this is
   the app's default on a 2-core server), and on a one-machine Ray cluster
   with its trials running 1 and 2 at a time (Ray tasks beside the search's own job, which holds
   a CPU of its own while it waits): trials per minute, wall seconds, and the winner's test RMSE.

Each Ray cluster is started here with ``ray start --head`` and stopped after (tests/ray_cluster.py).
This process plays the server: it never imports TensorFlow.

    PYTHONPATH=. .venv/bin/python benchmarks/engines.py [--trials 40] [--skip-search]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from functools import partial

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.examples import EXAMPLES
from lstm_core.jobs.job import FINISHED, TrainingJob
from lstm_core.jobs.pool import Launcher, LocalProcesses, TrainingPool
from lstm_core.runs.experiment import load_series
from lstm_core.search.job import search_job
from lstm_core.search.search import Budget
from tests.ray_cluster import local_ray_cluster
from tests.waiting import wait_until

TIMEOUT = 1800


def timed(pool: TrainingPool, start) -> dict[str, float]:
    """Seconds from submitting a job to its first report of progress and to its end."""
    job = TrainingJob(pool=pool)
    began = time.perf_counter()
    start(job)
    wait_until(lambda: job.snapshot().epoch >= 1 or not job.running, timeout=TIMEOUT, interval=0.01)
    first = time.perf_counter() - began
    assert job.join(TIMEOUT) and job.snapshot().state == FINISHED, job.snapshot().error
    return {"to_first_report": round(first, 2), "total": round(time.perf_counter() - began, 2),
            "result": job.result}


def training(launcher: Launcher) -> dict[str, dict[str, float]]:
    config = ExperimentConfig()
    series = load_series(config.source)
    pool = TrainingPool(launcher=launcher, max_workers=1)
    try:
        runs = {name: timed(pool, lambda job: job.start(config, series)) for name in ("cold", "warm")}
    finally:
        pool.shutdown()
    for run in runs.values():
        run["test_rmse"] = round(run.pop("result").evaluation.test_metrics.rmse, 4)
    return runs


def search(launcher: Launcher, trials: int, slots: int = 1) -> dict[str, float]:
    config = ExperimentConfig()
    EXAMPLES["airline_passengers"].apply_to(config)
    series = load_series(config.source)
    pool = TrainingPool(launcher=launcher, max_workers=slots)
    try:
        run = timed(pool, lambda job: job.start_work(
            partial(search_job, config, series, Budget(trials=trials), config.seed), trials, wide=True))
    finally:
        pool.shutdown()
    outcome = run.pop("result")
    minutes = run["total"] / 60
    return {"trials": len(outcome.trials), "seconds": run["total"],
            "trials_per_minute": round(len(outcome.trials) / minutes, 1),
            "processes": len({row["pid"] for row in outcome.trials}),
            "pruned": sum(row["state"] == "pruned" for row in outcome.trials),
            "test_rmse": round(outcome.final.evaluation.test_metrics.rmse, 2)}


def ray(cpus: int, **environment: str):
    """A Ray cluster of ``cpus`` CPUs, and the pool's launcher connected to it."""
    import ray as ray_module

    from lstm_core.jobs.ray_engine import RayCluster

    cluster = local_ray_cluster(cpus, **environment)
    address = cluster.__enter__()
    return cluster, RayCluster(address), ray_module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40, help="trials of each search")
    parser.add_argument("--skip-search", action="store_true", help="only the training's overhead")
    parser.add_argument("--local-search-only", action="store_true", help="only the local pool's searches")
    args = parser.parse_args()
    if args.local_search_only:
        report = {"benchmark": "engines", "search": {
            f"local_{slots}_slots": search(LocalProcesses(), args.trials, slots) for slots in (1, 2)}}
        print(json.dumps(report))
        return
    report: dict = {"benchmark": "engines", "training": {"local": training(LocalProcesses())}}
    cluster, launcher, _ = ray(2)
    try:
        report["training"]["ray"] = training(launcher)
    finally:
        cluster.__exit__(None, None, None)
    print(json.dumps(report), flush=True)
    if not args.skip_search:
        report["search"] = {f"local_{slots}_slots": search(LocalProcesses(), args.trials, slots)
                            for slots in (1, 2)}
        for at_once in (1, 2):
            cluster, launcher, _ = ray(1 + at_once, LSTM_LAB_RAY_TRIALS_AT_ONCE=str(at_once))
            try:
                report["search"][f"ray_{at_once}_at_once"] = search(launcher, args.trials)
            finally:
                cluster.__exit__(None, None, None)
            print(json.dumps(report), flush=True)
    report["tensorflow_in_this_process"] = "tensorflow" in sys.modules
    print(json.dumps(report))


if __name__ == "__main__":
    main()
