"""Ensembles: the network's one-step forecasts combined with the classical yardsticks'.

Most of the M4 competition's most accurate methods were combinations, and the plain mean of a
few different models is famously hard to beat. Two combinations are scored here, on the test
part, next to the network and the yardsticks:

- the **mean** of the network and every classical model that fitted;
- a **weighted** mean whose weights are chosen on the validation part, before the test part:
  each member's weight is proportional to the inverse of its mean squared one-step error there
  (Bates and Granger's classic rule; with a validation part of a dozen points, estimating free
  weights by least squares overfits, this does not).

On the validation part the classical models are fitted on the training part alone and the
network is the one that was trained on it, so no choice sees a test value. The combination
itself is a plain weighted sum of predictions, so an imported run rebuilds it from the weights
it carries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

NETWORK = "network"  # the network's key among the members
MEAN, WEIGHTED = "ensemble_mean", "ensemble_weighted"
LABELS = {MEAN: "the mean ensemble", WEIGHTED: "the weighted ensemble"}
SHORT_LABELS = {MEAN: "Ensemble (mean)", WEIGHTED: "Ensemble (weighted)"}
MIN_VALIDATION_POINTS = 3  # fewer: no weights can be chosen, only the mean is scored


@dataclass(frozen=True)
class Combination:
    """The members' weights in the weighted ensemble (summing to 1) and the validation RMSE of
    each member and each ensemble, from which the weights and the search's choice are made."""

    weights: dict[str, float]
    validation_rmse: dict[str, float]

    def to_dict(self) -> dict[str, dict[str, float]]:
        return {"weights": dict(self.weights), "validation_rmse": dict(self.validation_rmse)}

    @classmethod
    def from_dict(cls, record: object) -> Combination:
        """A combination read back from JSON; ValueError when it is not a sound one."""
        if not isinstance(record, dict):
            raise ValueError("an ensemble must be an object")
        weights = _numbers(record.get("weights"), "weights")
        if not weights or any(w < 0 for w in weights.values()) or not math.isclose(
                sum(weights.values()), 1.0, abs_tol=1e-6):
            raise ValueError("an ensemble's weights must be non-negative and sum to 1")
        return cls(weights, _numbers(record.get("validation_rmse", {}), "validation_rmse"))

    def describe(self, names: Mapping[str, str]) -> str:
        """The weights in words, heaviest first: 'LSTM 0.42 · AutoETS 0.31 · ...'."""
        ordered = sorted(self.weights.items(), key=lambda item: -item[1])
        return " · ".join(f"{names.get(key, key)} {weight:.2f}" for key, weight in ordered)

    def best_on_validation(self, among: tuple[str, ...] = (NETWORK, MEAN, WEIGHTED)) -> str:
        """Of ``among``, the one with the lowest validation RMSE (the network on a tie)."""
        finite = {k: v for k, v in self.validation_rmse.items() if k in among and math.isfinite(v)}
        if not finite:
            return NETWORK
        return min(finite, key=lambda key: (finite[key], key != NETWORK))


def _numbers(record: object, what: str) -> dict[str, float]:
    if not isinstance(record, dict) or not all(isinstance(k, str) for k in record):
        raise ValueError(f"an ensemble's {what} must map names to numbers")
    values = {key: float(value) for key, value in record.items()
              if isinstance(value, (int, float)) and not isinstance(value, bool)}
    if len(values) != len(record) or len(values) > 16:
        raise ValueError(f"an ensemble's {what} must map at most 16 names to numbers")
    return values


def rmse(actual: np.ndarray, predicted: np.ndarray) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(np.mean((np.asarray(predicted, float) - np.asarray(actual, float)) ** 2)))


def mean_of(predictions: Mapping[str, np.ndarray]) -> np.ndarray:
    return np.mean(np.stack([np.asarray(p, dtype=np.float64) for p in predictions.values()]), axis=0)


def weighted(predictions: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """The weighted sum of the members' predictions (members without a weight count nothing)."""
    return sum(weights[key] * np.asarray(predictions[key], dtype=np.float64) for key in weights)


def inverse_mse_weights(actual: np.ndarray, predictions: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Weights proportional to 1 / MSE on ``actual``; a member with a non-finite error gets none,
    and a member that is exact there takes all the weight (with any other exact ones)."""
    errors = {key: rmse(actual, p) ** 2 for key, p in predictions.items()}
    usable = {key: e for key, e in errors.items() if math.isfinite(e)}
    if not usable:
        return {}
    exact = [key for key, e in usable.items() if e == 0]
    if exact:
        return {key: 1 / len(exact) for key in exact}
    inverse = {key: 1 / e for key, e in usable.items()}
    total = sum(inverse.values())
    return {key: value / total for key, value in inverse.items()}


def choose(actual: np.ndarray, predictions: Mapping[str, np.ndarray]) -> Combination | None:
    """The weighted ensemble's weights from validation predictions (``NETWORK`` and the
    yardsticks), with every member's and ensemble's validation RMSE; None when there are fewer
    than two members or too few validation points to choose anything."""
    if len(predictions) < 2 or len(actual) < MIN_VALIDATION_POINTS:
        return None
    weights = inverse_mse_weights(actual, predictions)
    if len(weights) < 2:
        return None
    scores = {key: rmse(actual, p) for key, p in predictions.items()}
    scores[MEAN] = rmse(actual, mean_of(predictions))
    scores[WEIGHTED] = rmse(actual, weighted(predictions, weights))
    return Combination(weights, scores)


def combine(predictions: Mapping[str, np.ndarray],
            combination: Combination | None) -> dict[str, np.ndarray]:
    """The ensembles' predictions: the mean of every member, and the weighted sum where a
    combination was chosen and all its members are present. Empty with fewer than two members."""
    if len(predictions) < 2:
        return {}
    out = {MEAN: mean_of(predictions)}
    if combination is not None and set(combination.weights) <= set(predictions):
        out[WEIGHTED] = weighted(predictions, combination.weights)
    return out
