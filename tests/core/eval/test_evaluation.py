import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.season import detect_season
from lstm_core.data.series import Series, generate
from lstm_core.data.windows import prepare
from lstm_core.eval.baselines import linear_ar, naive, seasonal_naive
from lstm_core.eval.evaluation import evaluate, naive_scale, score


def test_metrics_against_hand_computed_values():
    actual = np.array([1.0, 2.0, 4.0])
    predicted = np.array([2.0, 2.0, 1.0])
    metrics = score(actual, predicted, scale=2.0)
    assert metrics.rmse == pytest.approx(np.sqrt((1 + 0 + 9) / 3))
    assert metrics.mae == pytest.approx(4 / 3)
    assert metrics.mape == pytest.approx(100 * (1 / 1 + 0 + 3 / 4) / 3)
    assert metrics.smape == pytest.approx(100 * (2 * 1 / 3 + 0 + 2 * 3 / 5) / 3)
    assert metrics.mase == pytest.approx((4 / 3) / 2.0)


def test_mape_is_undefined_when_the_truth_holds_a_zero():
    metrics = score(np.array([0.0, 1.0]), np.array([0.5, 1.0]), scale=1.0)
    assert metrics.mape is None
    assert np.isfinite(metrics.smape)
    assert score(np.zeros(2), np.zeros(2), scale=0.0).mase is None


def test_naive_scale_is_the_mean_absolute_step():
    assert naive_scale(np.array([1.0, 3.0, 2.0])) == pytest.approx(1.5)


def test_naive_and_seasonal_naive_by_hand():
    levels = np.array([10.0, 11, 12, 13, 14, 15, 16])
    times = np.array([5, 6])
    np.testing.assert_array_equal(naive(levels, times), [14, 15])
    np.testing.assert_array_equal(seasonal_naive(levels, times, 3), [12, 13])


def test_linear_ar_is_exact_on_a_linear_recurrence():
    # y[t] = 0.5 * y[t-1] + 1: an AR(1) the regression must recover exactly
    y = [5.0]
    for _ in range(199):
        y.append(0.5 * y[-1] + 1 + 0.1 * np.sin(len(y)))
    data = prepare(Series(values=np.array(y)), ExperimentConfig(window=3, transform="none"))
    predictions = linear_ar(data)
    truth = data.levels[data.test_times]
    assert np.sqrt(np.mean((predictions - truth) ** 2)) < 0.05 * np.std(truth)


@pytest.mark.parametrize(("period", "expected"), [(50, 50), (24, 24)])
def test_season_is_detected_from_the_training_part(period, expected):
    values = generate("trend_seasonal", length=600, period=period, slope=0.02).values
    assert detect_season(values[:420]) == expected


def test_no_season_in_a_random_walk():
    assert detect_season(generate("random_walk", length=500, data_seed=1).values) is None


def test_evaluate_scores_model_and_baselines_on_the_same_points():
    values = generate("sine", length=300, noise_level=0.05).values
    data = prepare(Series(values=values), ExperimentConfig(window=10, transform="none"))
    perfect_train, perfect_test = data.y_train, data.y_test  # an oracle's scaled predictions
    result = evaluate(data, perfect_train, perfect_test)
    assert result.test_metrics.rmse == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_array_equal(result.test_times, data.test_times)
    np.testing.assert_allclose(result.baselines["naive"].predictions, values[data.test_times - 1])
    assert set(result.baselines) == {"naive", "seasonal_naive", "linear_ar"}
    assert result.season_length == 50
    assert result.verdict() == ("the LSTM's test RMSE is 100% lower than the naive forecast's; "
                                "it beats all 3 yardsticks; the best of them is linear AR, "
                                "whose test RMSE is more than 100 times the LSTM's")


def test_a_given_season_length_is_used():
    data = prepare(generate("sine", length=300), ExperimentConfig(window=10, transform="none"))
    result = evaluate(data, data.y_train, data.y_test, season_length=7)
    assert result.season_length == 7
    np.testing.assert_allclose(result.baselines["seasonal_naive"].predictions,
                               data.levels[data.test_times - 7])


def test_the_notes_name_each_classical_model_chosen_and_one_that_is_a_naive_forecast() -> None:
    """An ARIMA of a seasonal difference alone forecasts as the seasonal naive does: said so."""
    from lstm_core.eval import baselines
    from lstm_core.eval.classical import Yardstick

    data = prepare(generate("sine", length=300), ExperimentConfig(window=10, season_length=50))
    snaive = baselines.seasonal_naive(data.levels, data.test_times, 50)
    other = snaive + 0.1
    given = {"auto_arima": Yardstick("auto_arima", "ARIMA(0,0,0)(0,1,0)[50]", snaive, snaive, 0.0),
             "auto_ets": Yardstick("auto_ets", "ETS(A,N,A)", other, other, 0.0)}
    evaluation = evaluate(data, data.y_train, data.y_test, 50, yardsticks=given)
    chosen = evaluation.chosen_models()
    assert chosen in evaluation.notes()
    assert ("AutoARIMA ARIMA(0,0,0)(0,1,0)[50] (on these points it is the seasonal naive forecast)"
            in chosen)
    assert "AutoETS ETS(A,N,A)" in chosen and "AutoETS ETS(A,N,A) (" not in chosen
