"""Cell type × forecast strategy on the default sine and the airline example.

Every combination of network (LSTM, GRU, plain RNN, MLP) and strategy (recursive, direct)
trained with otherwise the same settings: the defaults on the default sine, the example's own
settings on airline passengers. For each: the test RMSE (one step ahead), the rollout from the
start of the test part (its error at horizon 1 and at its last step, and its RMSE), the
parameters and the seconds of fitting. The horizon of a direct model is the test part's
length, so its rollout over the test part is one block of outputs.

    PYTHONPATH=. .venv/bin/python benchmarks/cells.py [--data sine|airline]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

from lstm_core.config.fields import CELLS, STRATEGIES, model_name
from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.examples import EXAMPLES
from lstm_core.data.windows import prepare
from lstm_core.runs.experiment import load_series, run_experiment


def base(data: str) -> ExperimentConfig:
    config = ExperimentConfig()
    if data == "airline":
        EXAMPLES["airline_passengers"].apply_to(config)
    return config


def measure(config: ExperimentConfig) -> dict:
    result = run_experiment(config)
    errors = result.test_rollout.error_by_horizon
    return {
        "model": model_name(config),
        "test_rmse": round(result.evaluation.test_metrics.rmse, 4),
        "rollout_error_h1": round(float(errors[0]), 4),
        "rollout_error_last": round(float(errors[-1]), 4),
        "rollout_rmse": round(result.test_rollout.rmse, 4),
        "parameters": int(sum(w.size for w in result.weights)),
        "fit_seconds": round(result.training.fit_seconds, 1),
        "epochs_run": result.training.epochs_run,
        "best_yardstick": (best := result.evaluation.ranked()[0]).label,
        "best_yardstick_rmse": round(best.metrics.rmse, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=("sine", "airline"), action="append")
    args = parser.parse_args()
    for data in args.data or ("sine", "airline"):
        config = base(data)
        test_points = len(prepare(load_series(config.source), config).test_times)
        rows = [measure(replace(config, cell=cell, strategy=strategy, horizon=test_points))
                for strategy in STRATEGIES for cell in CELLS]
        print(json.dumps({"benchmark": "cells", "data": data, "test_points": test_points, "runs": rows}),
              flush=True)


if __name__ == "__main__":
    main()
