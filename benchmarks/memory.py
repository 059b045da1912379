"""Resident memory after 1 and after 20 consecutive default trainings, as the server runs them.

The trainings go through a TrainingJob in the server's training pool, one after another, each
new result replacing the last (as a session keeps only its latest). This process plays the
server: it holds the jobs and results and never imports TensorFlow; the trainings run in the
pool's worker process, which is replaced after every ``recycle_after`` trainings (10) so what
TensorFlow leaves behind cannot pile up. Reported: this process, the live workers, and both.
"""

import contextlib
import gc
import json
import os
import sys
import time

from lstm_core.config.settings import ExperimentConfig
from lstm_core.jobs.job import TrainingJob
from lstm_core.jobs.pool import TrainingPool
from lstm_core.runs.experiment import load_series
from tests.browser.app_server import resident_mb

TRAININGS = 20


def workers_mb(pool: TrainingPool) -> float:
    total = 0.0
    for pid in pool.stats()["worker_pids"]:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):  # ended meanwhile
            total += resident_mb(pid)
    return total


def main() -> None:
    config = ExperimentConfig()
    series = load_series(config.source)
    pool = TrainingPool(max_workers=1)
    job = TrainingJob(pool=pool)
    baseline = resident_mb(os.getpid())
    server: dict[int, float] = {}
    workers: dict[int, float] = {}
    began = time.perf_counter()
    for run in range(1, TRAININGS + 1):
        job.start(config, series)
        job.join()
        assert job.result is not None, job.snapshot().error
        gc.collect()
        server[run], workers[run] = resident_mb(os.getpid()), workers_mb(pool)
    seconds = time.perf_counter() - began
    tensorflow_in_server = "tensorflow" in sys.modules
    stats = pool.stats()
    pool.shutdown()
    total = {run: server[run] + workers[run] for run in server}
    print(json.dumps({
        "benchmark": "memory",
        "trainings": TRAININGS,
        "server_rss_before_mb": round(baseline),
        "server_rss_after_1_mb": round(server[1]),
        f"server_rss_after_{TRAININGS}_mb": round(server[TRAININGS]),
        "growth_from_1_to_20_mb": round(server[TRAININGS] - server[1]),
        "workers_rss_after_1_mb": round(workers[1]),
        f"workers_rss_after_{TRAININGS}_mb": round(workers[TRAININGS]),
        "largest_server_plus_workers_mb": round(max(total.values())),
        "worker_processes_started": stats["started_workers"],
        "tensorflow_in_server": tensorflow_in_server,
        "seconds": round(seconds),
        "target": "growth_from_1_to_20_mb < 150",
    }))


if __name__ == "__main__":
    main()
