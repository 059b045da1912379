"""The classical yardsticks (statsforecast, no mocks): fitted on data before the test part only,
scored on exactly the LSTM's test points, left out with a note when they cannot be fitted."""

import math
import time
from dataclasses import replace

import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series, generate
from lstm_core.data.windows import prepare
from lstm_core.eval.classical import ALLOWANCE_SECONDS, LABELS, allowance_for, arima_options, fit_yardsticks
from lstm_core.eval.evaluation import Baseline, evaluate, score

CONFIG = ExperimentConfig(window=12, transform="none")


def seasonal_data(values: np.ndarray | None = None):
    if values is None:
        values = generate("trend_seasonal", length=240, period=12, slope=0.05).values
    return prepare(Series(values=values), CONFIG)


@pytest.fixture(scope="module")
def evaluated():
    data = seasonal_data()
    return data, evaluate(data, data.y_train, data.y_test, classical=True)


def test_yardsticks_are_scored_on_exactly_the_lstm_test_points(evaluated):
    data, result = evaluated
    actual = data.levels[data.test_times]
    assert set(LABELS) <= set(result.baselines)
    for key in LABELS:
        baseline = result.baselines[key]
        assert baseline.predictions.shape == data.test_times.shape
        np.testing.assert_array_equal(baseline.rollout.times, data.test_times)
        np.testing.assert_array_equal(baseline.rollout.actual, actual)
        assert baseline.metrics == score(actual, baseline.predictions,
                                         float(np.mean(np.abs(np.diff(data.levels[:data.train_end_time])))))
        assert baseline.metrics.rmse < np.std(actual)  # a fitted model, not noise
        assert baseline.to_dict()["rollout_rmse"] == pytest.approx(baseline.rollout.rmse)


def test_one_step_predictions_use_nothing_at_or_after_the_point_predicted(evaluated):
    data, _ = evaluated
    levels, times = data.levels, data.test_times
    cut = len(times) // 2
    changed = levels.copy()
    changed[times[cut]:] += 50.0  # every test value from the cut on
    before, _ = fit_yardsticks(levels, times, 12)
    after, _ = fit_yardsticks(changed, times, 12)
    for key in LABELS:
        # equal up to float rounding (1e-14 in the filters); a leak would move them by units
        np.testing.assert_allclose(after[key].one_step[:cut + 1], before[key].one_step[:cut + 1],
                                   rtol=1e-9)
        assert not np.allclose(after[key].one_step[cut + 1:], before[key].one_step[cut + 1:])


def test_the_test_part_never_shapes_season_or_model_choice(evaluated):
    data, result = evaluated
    replaced = data.levels.copy()
    replaced[data.test_start_time:] = np.random.default_rng(0).normal(0, 100, len(data.test_times))
    other = evaluate(seasonal_data(replaced), data.y_train, data.y_test, classical=True)
    assert other.season_length == result.season_length == 12
    for key in LABELS:
        assert other.baselines[key].model == result.baselines[key].model
        np.testing.assert_array_equal(other.baselines[key].rollout.predicted,
                                      result.baselines[key].rollout.predicted)


def test_a_too_short_history_leaves_them_out_with_a_note():
    levels = np.arange(10.0)
    fitted, notes = fit_yardsticks(levels, np.arange(5, 10), None)
    assert fitted == {}
    assert notes and "classical models skipped" in notes[0]


def test_long_seasons_limit_the_arima_search():
    assert arima_options(100, 12) == {"approximation": False}
    assert arima_options(4000, 48) == {"approximation": True, "max_P": 0, "max_Q": 0, "method": "CSS"}


def with_lstm_rmse(result, factor: float):
    """``result`` with the LSTM's test predictions moved so its RMSE is ``factor`` times AutoARIMA's."""
    shifted = result.test_actual + factor * result.baselines["auto_arima"].metrics.rmse
    return replace(result, test_predictions=shifted,
                   test_metrics=score(result.test_actual, shifted, 1.0))


def test_the_verdict_names_a_classical_model_that_beats_the_lstm(evaluated):
    _, result = evaluated
    worse = with_lstm_rmse(result, 3.0)
    best = min(worse.baselines.values(), key=lambda b: b.metrics.rmse)
    verdict = worse.verdict()
    assert f"the best yardstick is {best.label}" in verdict
    beaten = min((b for b in worse.baselines.values() if b.rollout is not None),
                 key=lambda b: b.metrics.rmse)
    assert beaten.label in verdict
    share = 1 - beaten.metrics.rmse / worse.test_metrics.rmse
    assert f"{share:.0%} lower than the LSTM's" in verdict
    assert "nan" not in verdict and "inf" not in verdict


def test_the_verdict_says_so_when_the_lstm_beats_them_all(evaluated):
    _, result = evaluated
    best = with_lstm_rmse(result, 0.0)
    assert "it beats all 6 yardsticks" in best.verdict()


@pytest.mark.parametrize("lstm_rmse", [math.nan, math.inf])
def test_the_verdict_never_prints_nan_or_inf(evaluated, lstm_rmse):
    _, result = evaluated
    broken = Baseline("auto_ets", np.array([math.nan]), score(np.array([1.0]), np.array([math.nan]), 1.0))
    result = replace(result, test_metrics=score(np.array([1.0]), np.array([lstm_rmse]), 1.0),
                     baselines=result.baselines | {"auto_ets": broken})
    for verdict in (result.verdict(), with_lstm_rmse(result, 2.0).verdict()):
        assert "nan" not in verdict.lower() and "inf" not in verdict.lower()


def test_theta_reads_a_bounded_recent_past_on_a_long_series():
    """AutoTheta's one-step forecast at t sees the last theta_history(season) values before t: an
    older value changes nothing, a recent one does; a shorter series is read whole."""
    from lstm_core.eval.classical import _one_step, import_models, theta_history

    season = 12
    noise = np.random.default_rng(0).normal(0, 0.1, 1300)
    values = 20 + np.sin(2 * np.pi * np.arange(1300) / season) + noise
    times = np.arange(1250, 1255)
    model = import_models()["auto_theta"](season_length=season).fit(values[:1250])
    first = _one_step("auto_theta", model, values, times, season)
    assert theta_history(season) == 1000
    older, recent = values.copy(), values.copy()
    older[100] += 5  # 1,150 steps before the first test time
    recent[1200] += 5
    assert np.array_equal(_one_step("auto_theta", model, older, times, season), first)
    assert not np.allclose(_one_step("auto_theta", model, recent, times, season), first)


def slow_arima(seconds: float) -> type:
    """statsforecast's AutoARIMA, held up for ``seconds`` of Python work before it fits."""
    from lstm_core.eval.classical import import_models

    class SlowAutoARIMA(import_models()["auto_arima"]):
        def fit(self, *args, **kwargs):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                pass
            return super().fit(*args, **kwargs)

    return SlowAutoARIMA


def test_a_yardstick_over_its_allowance_is_left_out_with_a_plain_note_and_the_others_arrive(
        evaluated, monkeypatch):
    """ETS and Theta take well under a second here (the fixture has fitted them once already);
    the held-up ARIMA would take 30 s, its allowance is 3 s."""
    from lstm_core.eval import classical

    data, _ = evaluated
    models = classical.import_models() | {"auto_arima": slow_arima(30.0)}
    monkeypatch.setattr(classical, "import_models", lambda: models)
    monkeypatch.setattr(classical, "ALLOWANCE_SECONDS", 3.0)
    monkeypatch.setattr(classical, "ALLOWANCE_PER_POINT", 0.0)
    started = time.monotonic()
    result = evaluate(data, data.y_train, data.y_test, classical=True)
    assert time.monotonic() - started < 15.0
    assert {"auto_ets", "auto_theta"} <= set(result.baselines) and "auto_arima" not in result.baselines
    assert "AutoARIMA left out: it did not finish within its time allowance of 3 s" in result.notes()


def test_the_allowance_grows_with_the_series():
    assert allowance_for(144) == ALLOWANCE_SECONDS == 30.0
    assert allowance_for(4032) == pytest.approx(60.48)
