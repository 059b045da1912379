"""The classical yardsticks' cost beside a training's: prints one JSON object.

- ``cold``: AutoETS, AutoARIMA and AutoTheta on a 4,000-point half-hourly series (season 48,
  the last 20% as test part) in a fresh process with an empty numba cache folder: the
  statsforecast import plus the fits, what a new worker pays the first time;
- ``warm``: the same again in that process (nothing to import or compile);
- ``training``: a default training on the default series (``run_experiment(ExperimentConfig())``,
  which includes the yardsticks on that series) and its ``fit_seconds``, for comparison.

The issue's target: the Results page waits on the classical models no longer than on the
training itself. Run: ``python -m benchmarks.classical``.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

POINTS, SEASON, TEST_SHARE = 4000, 48, 0.2


def series() -> np.ndarray:
    from lstm_core.data.series import generate

    return generate("trend_seasonal", length=POINTS, period=SEASON, slope=0.002, noise_level=0.3,
                    data_seed=1).values


def yardsticks_twice() -> dict:
    """Run in the fresh process: import and fit (cold), then fit again (warm)."""
    from lstm_core.eval.classical import fit_yardsticks

    levels = series()
    times = np.arange(round(POINTS * (1 - TEST_SHARE)), POINTS)
    out = {}
    for run in ("cold", "warm"):
        started = time.perf_counter()
        fitted, notes = fit_yardsticks(levels, times, SEASON)
        out[run] = {"seconds": round(time.perf_counter() - started, 2), "notes": notes,
                    "models": {key: {"model": y.model.strip(), "seconds": round(y.seconds, 2)}
                               for key, y in fitted.items()}}
    return out


def training() -> dict:
    from lstm_core.config.settings import ExperimentConfig
    from lstm_core.runs.experiment import run_experiment

    started = time.perf_counter()
    result = run_experiment(ExperimentConfig())
    return {"seconds": round(time.perf_counter() - started, 2),
            "fit_seconds": round(result.training.fit_seconds, 2), "series_points": len(result.data.series),
            "test_rmse": {"lstm": result.evaluation.test_metrics.rmse}
            | {key: b.metrics.rmse for key, b in result.evaluation.baselines.items()}}


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(yardsticks_twice()))
        return
    with tempfile.TemporaryDirectory() as cache:
        env = os.environ | {"NUMBA_CACHE_DIR": cache}
        done = subprocess.run([sys.executable, "-m", "benchmarks.classical", "--child"], env=env,
                              capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures |= {"points": POINTS, "season": SEASON, "test_points": round(POINTS * TEST_SHARE),
                "training": training()}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
