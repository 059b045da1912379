"""The LSTM against every yardstick on the bundled examples, with the settings the app applies.

For each example (airline passengers, Nile flow, lynx trappings) one default training as the app
runs it when the example is picked, then the test RMSE of the LSTM and of each yardstick on the
same test points (one step ahead), the rollout RMSE over the test span where a model has one,
the classical models chosen, and the verdict. Prints one JSON object.
Run: ``PYTHONPATH=. .venv/bin/python benchmarks/yardsticks.py``.
"""

import json
import time

from lstm_core.data.examples import EXAMPLES
from lstm_core.runs.experiment import run_experiment
from lstm_core.runs.links import from_query


def example_figures(name: str) -> dict:
    config = from_query({"data": "example", "example": name}).config  # as picking it in the app
    started = time.perf_counter()
    result = run_experiment(config)
    evaluation = result.evaluation
    return {
        "test_points": len(evaluation.test_times),
        "season": evaluation.season_length,
        "transform": result.data.transform.name,
        "test_rmse": {"lstm": evaluation.test_metrics.rmse}
        | {key: b.metrics.rmse for key, b in evaluation.baselines.items()},
        "rollout_rmse": {"lstm": result.test_rollout.rmse}
        | {key: b.rollout.rmse for key, b in evaluation.baselines.items() if b.rollout is not None},
        "models": {key: b.model for key, b in evaluation.baselines.items() if b.model},
        "verdict": evaluation.verdict(),
        "seconds": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    print(json.dumps({name: example_figures(name) for name in EXAMPLES}, indent=1))
