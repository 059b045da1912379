"""Errors in the series' own units: RMSE, MAE, MAPE, sMAPE and MASE."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from lstm_core.data.windows import WindowedData
from lstm_core.eval import baselines


@dataclass(frozen=True)
class Metrics:
    rmse: float
    mae: float
    mape: float | None  # None where the truth holds a zero: the percentage is undefined there
    smape: float
    mase: float | None  # None when the training part's naive error is zero

    def to_dict(self) -> dict[str, float | None]:
        return asdict(self)


MAPE_UNDEFINED = "MAPE is undefined: the true values include zeros"


def naive_scale(train_levels: np.ndarray) -> float:
    """Mean absolute one-step change over the training part: MASE's yardstick."""
    return float(np.mean(np.abs(np.diff(train_levels)))) if len(train_levels) > 1 else 0.0


def score(actual: np.ndarray, predicted: np.ndarray, scale: float) -> Metrics:
    """All metrics of ``predicted`` against ``actual``; ``scale`` from :func:`naive_scale`."""
    actual = np.asarray(actual, dtype=np.float64)
    error = np.asarray(predicted, dtype=np.float64) - actual
    absolute = np.abs(error)
    mae = float(absolute.mean())
    denominator = np.abs(actual) + np.abs(predicted)
    smape_terms = np.divide(2 * absolute, denominator, out=np.zeros_like(absolute),
                            where=denominator > 0)
    return Metrics(
        rmse=float(np.sqrt(np.mean(error**2))),
        mae=mae,
        mape=None if np.any(actual == 0) else float(100 * np.mean(absolute / np.abs(actual))),
        smape=float(100 * smape_terms.mean()),
        mase=mae / scale if scale > 0 else None,
    )


@dataclass
class Baseline:
    name: str
    predictions: np.ndarray
    metrics: Metrics


@dataclass
class Evaluation:
    """One-step-ahead predictions in original units, their metrics and the baselines'."""

    train_times: np.ndarray
    train_predictions: np.ndarray
    test_times: np.ndarray
    test_actual: np.ndarray
    test_predictions: np.ndarray
    train_metrics: Metrics
    test_metrics: Metrics
    baselines: dict[str, Baseline]
    season_length: int | None

    def notes(self) -> list[str]:
        notes = []
        if self.test_metrics.mape is None:
            notes.append(MAPE_UNDEFINED)
        if self.season_length is None:
            notes.append("no seasonality detected in the training part: seasonal naive skipped")
        return notes

    def verdict(self) -> str:
        """The LSTM's test RMSE against the naive forecast, in plain words."""
        naive_rmse = self.baselines["naive"].metrics.rmse
        ours = self.test_metrics.rmse
        if naive_rmse == 0:
            return "the naive forecast is exact on this test part; nothing can beat it"
        change = (ours - naive_rmse) / naive_rmse
        direction = "lower" if change < 0 else "higher"
        return f"the LSTM's test RMSE is {abs(change):.0%} {direction} than the naive forecast's"


def evaluate(data: WindowedData, train_scaled: np.ndarray, test_scaled: np.ndarray,
             season_length: int = 0) -> Evaluation:
    """Score the model's scaled one-step predictions and the baselines on the same test points.

    ``season_length`` 0 means: detect it from the training part.
    """
    levels = data.levels
    train_part = levels[: data.train_end_time]
    scale = naive_scale(train_part)
    actual = levels[data.test_times]
    season = season_length or baselines.detect_season(train_part)
    candidates = {"naive": baselines.naive(levels, data.test_times)}
    if season:
        candidates["seasonal_naive"] = baselines.seasonal_naive(levels, data.test_times, season)
    candidates["linear_ar"] = baselines.linear_ar(data)
    train_predictions = data.to_levels(train_scaled, data.train_times)
    test_predictions = data.to_levels(test_scaled, data.test_times)
    return Evaluation(
        train_times=data.train_times,
        train_predictions=train_predictions,
        test_times=data.test_times,
        test_actual=actual,
        test_predictions=test_predictions,
        train_metrics=score(levels[data.train_times], train_predictions, scale),
        test_metrics=score(actual, test_predictions, scale),
        baselines={name: Baseline(name, pred, score(actual, pred, scale))
                   for name, pred in candidates.items()},
        season_length=season or None,
    )
