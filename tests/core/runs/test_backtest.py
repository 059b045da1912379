"""Rolling-origin backtests: where the origins sit, what is scored, reuse, stop and refusals."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig, SourceConfig
from lstm_core.data.series import Series, generate
from lstm_core.errors import ConfigError
from lstm_core.runs.backtest import FIXED, LSTM, BacktestResult, BacktestSpec, run_backtest

CONFIG = ExperimentConfig(source=SourceConfig(params={"length": 200}), window=5, units=[4], epochs=2,
                          patience=0, season_length=20, transform="none", seed=1)
SPEC = BacktestSpec(origins=3, horizon=4)


@pytest.fixture(scope="module")
def series() -> Series:
    return generate("sine", length=200, period=20, noise_level=0.1)


@pytest.fixture(scope="module")
def result(series: Series) -> BacktestResult:
    return run_backtest(CONFIG, series, SPEC)


class EpochCounter:
    """A progress listener that asks to stop once ``after`` epochs have been reported."""

    def __init__(self, after: int | None = None) -> None:
        self.epochs, self.after = 0, after

    def __call__(self, event) -> None:
        self.epochs += 1

    def is_set(self) -> bool:
        return self.after is not None and self.epochs > self.after


def test_the_origins_end_where_the_test_part_begins(result: BacktestResult) -> None:
    assert result.complete and result.test_start == 160  # 200 points, test share 0.2
    assert result.origins.tolist() == [148, 152, 156]
    assert len(result.levels) == result.test_start


def test_changing_the_test_part_changes_nothing(series: Series, result: BacktestResult) -> None:
    changed = series.values.copy()
    changed[result.test_start:] *= 100
    other = run_backtest(CONFIG, Series(changed), SPEC)
    assert other.models == result.models
    for key in result.models:
        np.testing.assert_array_equal(other.forecasts[key], result.forecasts[key])


def test_every_model_is_scored_by_origin_and_by_step(result: BacktestResult) -> None:
    assert result.models[:4] == [LSTM, "naive", "seasonal_naive", "linear_ar"]
    assert {"auto_ets", "auto_arima", "auto_theta"} <= set(result.models)
    for key in result.models:
        assert result.forecasts[key].shape == result.errors(key).shape == (3, 4)
        assert result.rmse_by_step(key).shape == (4,) and result.rmse_by_origin(key).shape == (3,)
    assert set(result.summary()) == set(result.models)


def test_the_naive_errors_are_those_worked_out_by_hand(result: BacktestResult) -> None:
    levels = result.levels
    truth = np.array([levels[o:o + 4] for o in (148, 152, 156)])
    np.testing.assert_array_equal(result.actual, truth)
    naive = np.array([[levels[o - 1]] * 4 for o in (148, 152, 156)])
    np.testing.assert_allclose(result.rmse_by_step("naive"), np.sqrt(np.mean((naive - truth) ** 2, axis=0)))
    seasonal = np.array([levels[o - 20:o - 16] for o in (148, 152, 156)])
    np.testing.assert_allclose(result.forecasts["seasonal_naive"], seasonal)
    by_origin = np.sqrt(np.mean((naive - truth) ** 2, axis=1))
    assert result.summary()["naive"] == pytest.approx((by_origin.mean(), by_origin.std()))


def test_the_summary_is_json(result: BacktestResult) -> None:
    summary = json.loads(json.dumps(result.to_dict()))
    assert summary["origins"] == [148, 152, 156] and summary["spec"]["horizon"] == 4
    assert set(summary["rmse"][LSTM]) == {"mean", "std"} and len(summary["rmse_by_step"]["naive"]) == 4


def test_a_reused_model_trains_once_and_differs_from_refitted_ones(series: Series,
                                                                   result: BacktestResult) -> None:
    counter = EpochCounter()
    reused = run_backtest(CONFIG, series, replace(SPEC, refit=False, window_kind=FIXED), progress=counter)
    assert counter.epochs == CONFIG.epochs
    np.testing.assert_array_equal(reused.forecasts["naive"], result.forecasts["naive"])
    assert not np.allclose(reused.forecasts[LSTM][1:], result.forecasts[LSTM][1:])


def test_a_stop_keeps_the_origins_done(series: Series) -> None:
    counter = EpochCounter(after=CONFIG.epochs)  # stops in the second origin's training
    stopped = run_backtest(CONFIG, series, SPEC, progress=counter, stop=counter)
    assert stopped.origins.tolist() == [148] and not stopped.complete
    assert stopped.forecasts[LSTM].shape == (1, 4)
    assert "stopped: 1 of 3 origins done" in stopped.notes


@pytest.mark.parametrize(("spec", "words"), [
    (BacktestSpec(origins=30, horizon=10), "30 origins x 10 steps"),
    (BacktestSpec(origins=3, horizon=0), "horizon must be"),
    (BacktestSpec(window_kind="sliding"), "window_kind must be one of"),
])
def test_a_backtest_that_cannot_fit_is_refused_before_any_training(series: Series, spec: BacktestSpec,
                                                                     words: str) -> None:
    counter = EpochCounter()
    with pytest.raises(ConfigError, match=words):
        run_backtest(CONFIG, series, spec, progress=counter)
    assert counter.epochs == 0
