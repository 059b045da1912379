"""Ensembles: weights from validation errors alone, and combinations that are plain weighted sums."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series, generate
from lstm_core.data.windows import prepare
from lstm_core.eval import ensemble
from lstm_core.eval.ensemble import MEAN, NETWORK, WEIGHTED, Combination
from lstm_core.eval.evaluation import evaluate, validation_combination

ACTUAL = np.array([1.0, 2.0, 3.0, 4.0])


def test_weights_are_proportional_to_the_inverse_squared_error() -> None:
    predictions = {"a": ACTUAL + 1.0, "b": ACTUAL - 2.0}  # squared errors 1 and 4
    weights = ensemble.inverse_mse_weights(ACTUAL, predictions)
    assert weights == pytest.approx({"a": 0.8, "b": 0.2})
    np.testing.assert_allclose(ensemble.weighted(predictions, weights), ACTUAL + 0.8 - 0.4)


def test_an_exact_member_takes_the_weight_and_a_broken_one_gets_none() -> None:
    predictions = {"exact": ACTUAL.copy(), "off": ACTUAL + 1, "broken": np.full(4, np.nan)}
    assert ensemble.inverse_mse_weights(ACTUAL, predictions) == {"exact": 1.0}
    assert ensemble.inverse_mse_weights(ACTUAL, {"broken": np.full(4, np.inf)}) == {}


def test_no_weights_from_one_member_or_too_few_points() -> None:
    assert ensemble.choose(ACTUAL, {NETWORK: ACTUAL + 1}) is None
    assert ensemble.choose(ACTUAL[:2], {NETWORK: ACTUAL[:2] + 1, "auto_ets": ACTUAL[:2]}) is None
    chosen = ensemble.choose(ACTUAL, {NETWORK: ACTUAL + 1, "auto_ets": ACTUAL + 0.5})
    assert chosen is not None and math.isclose(sum(chosen.weights.values()), 1.0)
    assert chosen.validation_rmse[NETWORK] == pytest.approx(1.0)
    assert chosen.best_on_validation() in {WEIGHTED, "auto_ets"}


def test_a_combination_round_trips_through_json_and_describes_itself() -> None:
    chosen = Combination({NETWORK: 0.25, "auto_ets": 0.75}, {NETWORK: 2.0, "auto_ets": 1.0})
    assert Combination.from_dict(chosen.to_dict()) == chosen
    assert chosen.describe({NETWORK: "GRU", "auto_ets": "AutoETS"}) == "AutoETS 0.75 · GRU 0.25"
    with pytest.raises(ValueError, match="sum to 1"):
        Combination.from_dict({"weights": {NETWORK: 0.3}})


def test_combine_gives_the_mean_always_and_the_weighted_sum_only_with_all_its_members() -> None:
    members = {NETWORK: np.array([0.0, 2.0]), "auto_ets": np.array([2.0, 4.0])}
    chosen = Combination({NETWORK: 0.5, "auto_theta": 0.5}, {})
    combined = ensemble.combine(members, chosen)
    assert set(combined) == {MEAN}
    np.testing.assert_array_equal(combined[MEAN], [1.0, 3.0])
    assert ensemble.combine({NETWORK: members[NETWORK]}, None) == {}


def seasonal(length: int = 160) -> Series:
    return generate("trend_seasonal", length=length, period=12, data_seed=4)


def test_the_weights_never_see_the_test_part() -> None:
    """Every value of the test part changed: the classical models' validation fits, the chosen
    weights and the validation scores are exactly the same."""
    config = ExperimentConfig(window=12, season_length=12)
    series = seasonal()
    data = prepare(series, config)
    changed = series.values.copy()
    changed[data.test_start_time:] = changed[data.test_start_time:] * 3 + 100
    other = prepare(Series(changed, name=series.name), config)
    assert np.array_equal(data.X_val, other.X_val)  # the same validation windows on both
    val_scaled = data.y_val + 0.05 * np.sin(np.arange(len(data.y_val)))  # a stand-in network
    chosen, notes = validation_combination(data, val_scaled, 12)
    again, _ = validation_combination(other, val_scaled, 12)
    assert chosen is not None and notes == []
    assert {NETWORK, "auto_ets", "auto_arima", "auto_theta"} == set(chosen.weights)
    assert again == chosen


def test_evaluate_scores_the_ensembles_on_the_test_points_with_a_verdict() -> None:
    config = ExperimentConfig(window=12, season_length=12)
    data = prepare(seasonal(), config)
    off = 0.1 * np.cos(np.arange(len(data.y_test)))
    evaluation = evaluate(data, data.y_train, data.y_test + off, 12, classical=True,
                          val_scaled=data.y_val + 0.1, model="GRU")
    assert set(evaluation.ensembles) == {MEAN, WEIGHTED} and evaluation.combination is not None
    members = {NETWORK: evaluation.test_predictions}
    members |= {k: b.predictions for k, b in evaluation.baselines.items() if b.rollout is not None}
    np.testing.assert_allclose(evaluation.ensembles[MEAN].predictions, ensemble.mean_of(members))
    np.testing.assert_allclose(evaluation.ensembles[WEIGHTED].predictions,
                               ensemble.weighted(members, evaluation.combination.weights))
    verdict = evaluation.verdict()
    assert "the weighted ensemble" in verdict or "the mean ensemble" in verdict
    winner = evaluation.standings()[0][1]
    assert f"best on the test part: {winner}" in verdict


def test_a_tie_at_the_top_is_told_as_a_tie() -> None:
    """A constant series: every model predicts it exactly, so none is best alone."""
    config = ExperimentConfig(window=4)
    data = prepare(Series(np.full(80, 3.0)), config)
    evaluation = evaluate(data, data.y_train, data.y_test, classical=False, val_scaled=data.y_val)
    evaluation.ensembles = {MEAN: evaluation.baselines["naive"]}  # one more row, as exact
    assert "tied with the same test RMSE: the LSTM, " in evaluation.verdict()
    assert "best on the test part:" not in evaluation.verdict().split("tied")[0]
