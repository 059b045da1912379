"""Recursive against direct forecasts on the tutorial's set-up: does the long forecast fade?

The "fading_rollout" preset (a sine of period 100 with ±0.05 uniform noise, 1000 samples,
windows of 25, one LSTM(300), a 400-step horizon) trained twice, once with each strategy,
everything else equal. Each forecasts the 400 steps past the end of the data; the true wave
there is the same sine without noise. The figure is the share of the true amplitude the
forecast keeps over its steps 300-400: half its range there (max - min) / 2, over the true
amplitude 1.0. The target (issue: direct forecasts) is at least 0.8 for the direct strategy.

    PYTHONPATH=. .venv/bin/python benchmarks/strategies.py [--epochs N]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

import numpy as np

from lstm_core.config.presets import PRESETS
from lstm_core.data.series import generate
from lstm_core.runs.experiment import run_experiment

LATE = slice(300, 400)  # the forecast's steps 300-400


def measure(strategy: str, epochs: int | None) -> dict:
    config = PRESETS["fading_rollout"].apply()
    config = replace(config, strategy=strategy, epochs=epochs or config.epochs)
    params = dict(config.source.params)
    length = int(params.get("length", 1000))
    clean = params | {"length": length + config.horizon, "noise": "none"}
    truth = generate("sine", **clean).values[length:]
    began = time.perf_counter()
    result = run_experiment(config)
    seconds = time.perf_counter() - began
    late = result.forecast[LATE]
    amplitude = float(truth.max() - truth.min()) / 2
    return {
        "strategy": strategy,
        "late_amplitude_share": round(float(late.max() - late.min()) / 2 / amplitude, 3),
        "forecast_rmse": round(float(np.sqrt(np.mean((result.forecast - truth) ** 2))), 4),
        "late_forecast_rmse": round(float(np.sqrt(np.mean((late - truth[LATE]) ** 2))), 4),
        "test_rmse": round(result.evaluation.test_metrics.rmse, 4),
        "epochs_run": result.training.epochs_run,
        "fit_seconds": round(result.training.fit_seconds, 1),
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, help="most epochs (default: the preset's)")
    args = parser.parse_args()
    runs = [measure(strategy, args.epochs) for strategy in ("recursive", "direct")]
    direct = runs[1]["late_amplitude_share"]
    print(json.dumps({"benchmark": "strategies", "set_up": "preset fading_rollout: LSTM(300), window 25, "
                      "sine of period 100 with ±0.05 uniform noise, 400 steps past the end",
                      "runs": runs, "target": "direct keeps >= 0.8 of the amplitude over steps 300-400",
                      "target_met": direct >= 0.8}))


if __name__ == "__main__":
    main()
