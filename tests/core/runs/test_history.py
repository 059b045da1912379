"""The run history: bounded, restorable, and a row per run with its errors and best yardstick."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core import ExperimentConfig, generate
from lstm_core.runs.experiment import ExperimentResult, run_experiment
from lstm_core.runs.history import RunHistory


@pytest.fixture(scope="module")
def result() -> ExperimentResult:
    config = ExperimentConfig(window=5, units=[3], epochs=1, patience=0, horizon=5)
    return run_experiment(config, generate("sine", length=120))


def test_the_history_keeps_the_latest_runs_only(result: ExperimentResult) -> None:
    history = RunHistory(limit=3)
    for _ in range(5):
        history.add(result, "sine", 1.0)
    assert len(history) == 3
    assert [run.number for run in history] == [3, 4, 5]
    assert history.get(1) is None and history.get(5) is not None
    assert history.rows()[-1]["test RMSE"] == result.evaluation.test_metrics.rmse


def test_a_restored_run_gives_back_the_same_result(result: ExperimentResult) -> None:
    restored = RunHistory().add(result, "sine", 1.0).restore()
    np.testing.assert_array_equal(restored.data.X_test, result.data.X_test)
    np.testing.assert_array_equal(restored.net.predict(restored.data.X_test),
                                  result.net.predict(result.data.X_test))
    assert restored.evaluation is result.evaluation and restored.config == result.config


def test_a_row_names_the_best_yardstick_classical_models_included(result: ExperimentResult) -> None:
    row = RunHistory().add(result, "sine", 1.0).row()
    baselines = result.evaluation.baselines
    assert {"auto_ets", "auto_arima", "auto_theta"} <= set(baselines)
    best = min(baselines.values(), key=lambda b: b.metrics.rmse)
    assert (row["best yardstick"], row["its RMSE"]) == (best.label, best.metrics.rmse)
