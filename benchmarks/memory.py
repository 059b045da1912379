"""Resident memory of one process after 1 and after 20 consecutive default trainings.

The trainings run the way the server runs them for a session: through TrainingJob, one
after another, each new result replacing the last (as a session keeps only its latest).
"""

import gc
import json
import os
import time

from lstm_core.config import ExperimentConfig
from lstm_core.experiment import load_series
from lstm_core.jobs import TrainingJob
from tests.app_server import resident_mb

TRAININGS = 20


def main() -> None:
    config = ExperimentConfig()
    series = load_series(config.source)
    job = TrainingJob()
    baseline = resident_mb(os.getpid())
    after: dict[int, float] = {}
    began = time.perf_counter()
    for run in range(1, TRAININGS + 1):
        job.start(config, series)
        job.join()
        assert job.result is not None, job.snapshot().error
        gc.collect()
        after[run] = resident_mb(os.getpid())
    print(json.dumps({
        "benchmark": "memory",
        "trainings": TRAININGS,
        "rss_before_mb": round(baseline),
        "rss_after_1_mb": round(after[1]),
        f"rss_after_{TRAININGS}_mb": round(after[TRAININGS]),
        "growth_from_1_to_20_mb": round(after[TRAININGS] - after[1]),
        "seconds": round(time.perf_counter() - began),
        "target": "growth_from_1_to_20_mb < 150",
    }))


if __name__ == "__main__":
    main()
