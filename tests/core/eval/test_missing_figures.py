"""Where a metric has no meaning or no finite value: None with a reason, "—" on a page, never
a number such as 56929970248515.8% or inf."""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import replace

import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import generate
from lstm_core.data.windows import prepare
from lstm_core.eval.evaluation import (
    NO_FIGURE,
    Evaluation,
    Metrics,
    evaluate,
    mape_problem,
    metric_text,
    score,
)
from lstm_core.runs.history import Run
from lstm_core.runs.progress import COMPLETED, TrainingResult

INF_OR_NAN = re.compile(r"\b(inf|infinity|nan)\b", re.IGNORECASE)


@pytest.mark.parametrize(("actual", "reason"), [
    ([0.0, 1.0, 2.0], "include zeros"),
    ([-1.0, 1e-12, 2.0], "cross zero"),  # the sine: 56929970248515.8% in a card
    ([1000.0, 0.5, 2000.0], "near zero"),  # 0.5 is under 0.1% of the mean size
])
def test_mape_is_left_out_where_the_truth_holds_crosses_or_nears_zero(actual, reason) -> None:
    truth = np.array(actual)
    assert reason in mape_problem(truth)
    assert score(truth, truth + 1.0, scale=1.0).mape is None


def test_mape_stays_where_the_truth_keeps_clear_of_zero() -> None:
    truth = np.array([-5.0, -2.0, -4.0])  # negative all along: a percentage means something
    assert mape_problem(truth) is None
    assert score(truth, truth + 1.0, scale=1.0).mape == pytest.approx(100 * (1 / 5 + 1 / 2 + 1 / 4) / 3)


def test_an_evaluation_says_why_its_mape_is_missing() -> None:
    data = prepare(generate("sine", length=300), ExperimentConfig(window=10, transform="none"))
    evaluation = evaluate(data, data.y_train + 0.1, data.y_test + 0.1)
    assert evaluation.test_metrics.mape is None
    assert "cross zero" in evaluation.missing()["mape"]
    assert evaluation.missing()["mape"] in evaluation.notes()
    assert set(evaluation.missing()) == {"mape"}


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, None])
def test_a_missing_or_endless_metric_shows_as_a_dash(value) -> None:
    assert metric_text(value) == metric_text(value, percent=True) == NO_FIGURE


def test_figures_keep_four_digits_or_one_decimal_percent() -> None:
    assert (metric_text(0.0123456), metric_text(12.345, percent=True)) == ("0.01235", "12.3%")


def overflowing() -> Evaluation:
    """An evaluation whose every squared error overflows (predictions near the float limit, as a
    diverging model with a log transform can give), the LSTM's and every yardstick's."""
    data = prepare(generate("sine", length=200), ExperimentConfig(window=5, transform="none"))
    evaluation = evaluate(data, data.y_train, data.y_test)
    truth = evaluation.test_actual
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning in the server's log
        endless = score(truth, truth + 1e300 * np.sign(truth + 0.5), scale=1.0)
    return replace(evaluation, test_metrics=endless, baselines={
        name: replace(b, metrics=endless) for name, b in evaluation.baselines.items()})


def test_overflowing_errors_give_reasons_and_a_verdict_without_inf_or_nan() -> None:
    evaluation = overflowing()
    assert math.isinf(evaluation.test_metrics.rmse)
    assert "not a finite number" in evaluation.missing()["rmse"]
    assert INF_OR_NAN.findall(evaluation.verdict()) == []
    ours_finite = replace(evaluation, test_metrics=Metrics(1.0, 1.0, None, 1.0, 1.0))
    verdict = ours_finite.verdict()  # every yardstick's RMSE is inf, the LSTM's is not
    assert "the naive forecast's is not a finite number" in verdict
    assert INF_OR_NAN.findall(verdict) == []


def test_a_history_row_holds_no_inf_or_nan() -> None:
    evaluation = overflowing()
    training = TrainingResult(COMPLETED, "trained all 2 epochs", 2, 2, 0.1, [0.1, 0.1], [0.1, 0.1])
    run = Run(1, "big", ExperimentConfig(), generate("sine", length=10), [], training, evaluation,
              np.zeros(1), None, 1.0)
    row = run.row()
    numbers = [v for v in row.values() if isinstance(v, float)]
    assert all(math.isfinite(v) for v in numbers)
    assert row["test RMSE"] is None and row["naive RMSE"] is None
    assert (row["best yardstick"], row["its RMSE"]) == (None, None)  # no yardstick has a finite one
