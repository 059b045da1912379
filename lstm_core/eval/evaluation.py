"""Errors in the series' own units (RMSE, MAE, MAPE, sMAPE, MASE), and the yardsticks'."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from lstm_core.data.season import detect_season
from lstm_core.data.windows import WindowedData
from lstm_core.eval import baselines, ensemble
from lstm_core.eval.classical import LABELS as CLASSICAL_LABELS
from lstm_core.eval.classical import Yardstick, fit_yardsticks
from lstm_core.eval.ensemble import Combination
from lstm_core.infer.forecast import TestRollout

TIE_TOLERANCE = 1e-9  # relative: errors closer than this are the same (a tie)
LABELS = {"naive": "the naive forecast", "seasonal_naive": "the seasonal naive forecast",
          "linear_ar": "linear AR"} | CLASSICAL_LABELS | ensemble.LABELS


@dataclass(frozen=True)
class Metrics:
    rmse: float
    mae: float
    mape: float | None  # None where the truth holds, crosses or nears zero: see mape_problem
    smape: float
    mase: float | None  # None when the training part's naive error is zero

    def to_dict(self) -> dict[str, float | None]:
        return asdict(self)


# A true value under this share of the mean absolute true value makes a percentage error explode.
NEAR_ZERO = 1e-3
MASE_UNDEFINED = "MASE is undefined: the training part never changes from one step to the next"
NOT_FINITE = "{name} is not a finite number: the errors are too large to compute"
# What a page shows where a metric has no finite value.
NO_FIGURE = "—"


def mape_problem(actual: np.ndarray) -> str | None:
    """Why a percentage error means nothing against ``actual``, or None when it means something."""
    actual = np.asarray(actual, dtype=np.float64)
    size = np.abs(actual)
    if not np.all(np.isfinite(actual)):
        return "MAPE is left out: the true values are not all finite numbers"
    if np.any(size == 0):
        return "MAPE is undefined: the true values include zeros"
    if actual.min() < 0 < actual.max():
        return ("MAPE is left out: the true values cross zero, and a percentage of values near "
                "zero explodes")
    if np.any(size < NEAR_ZERO * size.mean()):
        return (f"MAPE is left out: some true values are near zero (under {NEAR_ZERO:.1%} of their "
                "mean size), where a percentage explodes")
    return None


def metric_text(value: float | None, percent: bool = False) -> str:
    """A metric as a page shows it: four significant digits, or one decimal and % for a
    percentage; :data:`NO_FIGURE` where there is no finite number."""
    if value is None or not math.isfinite(value):
        return NO_FIGURE
    return f"{value:.1f}%" if percent else f"{value:.4g}"


def finite(value: float | None) -> float | None:
    """``value`` where it is a finite number, else None: what a table cell holds."""
    return value if value is not None and math.isfinite(value) else None


def naive_scale(train_levels: np.ndarray) -> float:
    """Mean absolute one-step change over the training part: MASE's yardstick."""
    return float(np.mean(np.abs(np.diff(train_levels)))) if len(train_levels) > 1 else 0.0


def score(actual: np.ndarray, predicted: np.ndarray, scale: float) -> Metrics:
    """All metrics of ``predicted`` against ``actual``; ``scale`` from :func:`naive_scale`."""
    actual = np.asarray(actual, dtype=np.float64)
    error = np.asarray(predicted, dtype=np.float64) - actual
    absolute = np.abs(error)
    # Values near the float limit overflow to inf: a page shows those as "no figure", not warnings.
    with np.errstate(over="ignore", invalid="ignore"):
        mae = float(absolute.mean())
        denominator = np.abs(actual) + np.abs(predicted)
        smape_terms = np.divide(2 * absolute, denominator, out=np.zeros_like(absolute),
                                where=denominator > 0)
        return Metrics(
            rmse=float(np.sqrt(np.mean(error**2))),
            mae=mae,
            mape=None if mape_problem(actual) else float(100 * np.mean(absolute / np.abs(actual))),
            smape=float(100 * smape_terms.mean()),
            mase=mae / scale if scale > 0 else None,
        )


@dataclass
class Baseline:
    """A yardstick's one-step test predictions and their metrics; a classical model also has
    the model it selected and its rollout over the test span."""

    name: str
    predictions: np.ndarray
    metrics: Metrics
    model: str | None = None
    rollout: TestRollout | None = None

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)

    def to_dict(self) -> dict[str, Any]:
        """Its metrics, as the JSON summary shows them (the rollout as its RMSE)."""
        extra = {"model": self.model, "rollout_rmse": self.rollout.rmse} if self.rollout else {}
        return self.metrics.to_dict() | {"test_rmse": self.metrics.rmse} | extra


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
    skipped: list[str] = field(default_factory=list)  # why a classical yardstick is missing
    model: str = "LSTM"  # the network's name, as the verdict says it
    # The network combined with the classical yardsticks (ensemble.MEAN, ensemble.WEIGHTED), scored
    # on the same test points, and the weights the weighted one chose on the validation part.
    ensembles: dict[str, Baseline] = field(default_factory=dict)
    combination: Combination | None = None

    def missing(self) -> dict[str, str]:
        """Why a test metric has no figure, by the metric's name (``rmse``, ``mape``...)."""
        reasons = {}
        for name, value in self.test_metrics.to_dict().items():
            if name == "mape" and (problem := mape_problem(self.test_actual)):
                reasons[name] = problem
            elif name == "mase" and value is None:
                reasons[name] = MASE_UNDEFINED
            elif finite(value) is None:
                reasons[name] = NOT_FINITE.format(name=name.upper())
        return reasons

    def ranked(self) -> list[Baseline]:
        """The yardsticks with a finite test RMSE, best first."""
        return sorted((b for b in self.baselines.values() if math.isfinite(b.metrics.rmse)),
                      key=lambda b: b.metrics.rmse)

    def beaten_by(self) -> list[Baseline]:
        """The yardsticks with a lower test RMSE than the LSTM's, best first (every ranked one
        when the LSTM's is not a finite number)."""
        ours = self.test_metrics.rmse
        return [b for b in self.ranked()
                if not math.isfinite(ours) or (b.metrics.rmse < ours and not _same(b.metrics.rmse, ours))]

    def notes(self) -> list[str]:
        notes = []
        if "mape" in (missing := self.missing()):
            notes.append(missing["mape"])
        if self.season_length is None:
            notes.append("no seasonality detected in the training part: seasonal naive skipped")
        return notes + self.skipped + ([chosen] if (chosen := self.chosen_models()) else [])

    def chosen_models(self) -> str:
        """Which model each classical yardstick selected, and where one forecasts exactly as a
        naive forecast does (an ARIMA of a seasonal difference alone is the seasonal naive)."""
        naive = {key: self.baselines[key] for key in ("naive", "seasonal_naive") if key in self.baselines}
        parts = []
        for b in self.baselines.values():
            if b.rollout is None:
                continue
            same = next((n.label for n in naive.values()
                         if np.allclose(b.predictions, n.predictions, rtol=1e-9, atol=0)), None)
            parts.append(f"{b.label} {b.model}" + (f" (on these points it is {same})" if same else ""))
        return "the classical models chose: " + "; ".join(parts) if parts else ""

    def verdict(self) -> str:
        """The network against the naive forecast, then its place among all yardsticks, in words."""
        ours = self.test_metrics.rmse
        if not math.isfinite(ours):
            return f"the {self.model}'s test RMSE is not a finite number: it cannot be compared"
        naive = _compare(f"the {self.model}'s test RMSE", ours, "the naive forecast's",
                         self.baselines["naive"].metrics.rmse)
        return f"{naive}; {self._place(ours)}{self._ensembles_clause(ours)}"

    def choice(self) -> str:
        """The network alone (``ensemble.NETWORK``) or the ensemble key that had the lower RMSE on
        the validation part: the pick a search makes, before any test value is seen."""
        key = self.combination.best_on_validation() if self.combination else ensemble.NETWORK
        return key if key in self.ensembles else ensemble.NETWORK

    def standings(self) -> list[tuple[float, str]]:
        """Every model scored on the test part (the network, the yardsticks, the ensembles) as
        (test RMSE, label), best first; the network first among equals."""
        rows = [(self.test_metrics.rmse, 0, f"the {self.model}")]
        rows += [(b.metrics.rmse, 1, b.label) for b in [*self.baselines.values(), *self.ensembles.values()]]
        return [(rmse, label) for rmse, _, label in sorted(r for r in rows if math.isfinite(r[0]))]

    def _ensembles_clause(self, ours: float) -> str:
        """'; the weighted ensemble (...): its test RMSE is N% lower than the LSTM's; best on the
        test part: ..., whose test RMSE is M% lower than ...'s'."""
        if not self.ensembles:
            return ""
        best = min(self.ensembles.values(), key=lambda b: b.metrics.rmse)
        clause = f"; {best.label} ({best.model}): " + _compare(
            "its test RMSE", best.metrics.rmse, self._ours(), ours)
        standings = self.standings()
        tied = [label for rmse, label in standings if _same(rmse, standings[0][0])]
        if len(tied) > 1:
            clause += f"; best on the test part, tied with the same test RMSE: {', '.join(tied)}"
        elif len(standings) >= 2:
            (first, winner), (second, runner_up) = standings[:2]
            clause += f"; best on the test part: {winner}, " + _compare(
                "whose test RMSE", first, f"{runner_up}'s", second)
        return clause

    def _place(self, ours: float) -> str:
        ranked = self.ranked()
        if not ranked:
            return "no yardstick has a finite test RMSE"
        beaten_by = self.beaten_by()
        if not beaten_by:
            return self._unbeaten(ranked, ours)
        best = beaten_by[0]
        place = (f"it ranks {len(beaten_by) + 1} of {len(ranked) + 1}; the best yardstick is "
                 f"{best.label}: " + _compare("its test RMSE", best.metrics.rmse, self._ours(), ours))
        classical = [b for b in beaten_by if b.rollout is not None]
        if classical and classical[0] is not best:
            place += (f", and {classical[0].label} beats the {self.model} too: "
                      + _compare("its test RMSE", classical[0].metrics.rmse, self._ours(), ours))
        return place

    def _unbeaten(self, ranked: list[Baseline], ours: float) -> str:
        """No yardstick does better: the network beats them all, or ties with the best of them
        (the same test RMSE is no win)."""
        tied = [b for b in ranked if _same(b.metrics.rmse, ours)]
        if not tied:
            return (f"it beats all {len(ranked)} yardsticks; the best of them is {ranked[0].label}, "
                    + _compare("whose test RMSE", ranked[0].metrics.rmse, self._ours(), ours))
        names = " and ".join(filter(None, [", ".join(b.label for b in tied[:-1]), tied[-1].label]))
        if len(tied) == len(ranked):
            return (f"it ties with all {len(ranked)} yardsticks ({names}): the same test RMSE, so "
                    "none beats it and it beats none")
        return (f"it beats {len(ranked) - len(tied)} of the {len(ranked)} yardsticks and ties with "
                f"{names}: the same test RMSE, so none beats it")

    def _ours(self) -> str:
        return f"the {self.model}'s"


def _same(one: float, other: float) -> bool:
    """Two test errors equal up to float rounding: a tie, which neither side wins."""
    return math.isclose(one, other, rel_tol=TIE_TOLERANCE)


def _compare(subject: str, value: float, other_name: str, other: float) -> str:
    """'<subject> is N% lower than <other_name>', in words where a percentage cannot be."""
    if not math.isfinite(other):
        return f"{subject} cannot be compared: {other_name} is not a finite number"
    if _same(value, other):
        return f"{subject} equals {other_name}"
    direction = "lower" if value < other else "higher"
    if other == 0:
        return f"{subject} is {direction} than {other_name}, which is zero"
    share = abs(value - other) / other
    if share >= 100:  # only "higher" gets here: beside a near-perfect score, a ratio reads better
        return f"{subject} is more than 100 times {other_name}"
    amount = f"{share:.0%}" if share >= 0.01 else "less than 1%"
    return f"{subject} is {amount} {direction} than {other_name}"


def season_of(data: WindowedData, season_length: int = 0) -> int | None:
    """``season_length`` when given (> 0), else the season detected on the training part."""
    return season_length or detect_season(data.levels[: data.train_end_time])


def scored_yardsticks(data: WindowedData, yardsticks: Mapping[str, Yardstick],
                      scale: float) -> dict[str, Baseline]:
    """Classical models' predictions on the test part as Baselines, scored like every other."""
    actual = data.levels[data.test_times]
    return {key: Baseline(key, y.one_step, score(actual, y.one_step, scale), y.model,
                          TestRollout(data.test_times, y.rollout, actual))
            for key, y in yardsticks.items()}


def validation_combination(data: WindowedData, val_scaled: np.ndarray,
                           season: int | None) -> tuple[Combination | None, list[str]]:
    """The weighted ensemble's weights, chosen on the validation part: the classical models
    fitted on the training part alone, one step at each validation point, beside the network's
    predictions there. None (with a note) when the validation part is too short."""
    times = data.val_times
    if len(times) < ensemble.MIN_VALIDATION_POINTS:
        return None, [f"ensemble weights not chosen: {len(times)} validation points, they need at "
                      f"least {ensemble.MIN_VALIDATION_POINTS} (the ensembles show the plain mean)"]
    fitted, _ = fit_yardsticks(data.levels[: times[-1] + 1], times, season)
    members = {ensemble.NETWORK: data.to_levels(val_scaled, times)}
    members |= {key: y.one_step for key, y in fitted.items()}
    return ensemble.choose(data.levels[times], members), []


def scored_ensembles(data: WindowedData, network: np.ndarray, extra: Mapping[str, Baseline],
                     combination: Combination | None, scale: float,
                     model: str) -> dict[str, Baseline]:
    """The ensembles of the network's test predictions and the classical yardsticks', scored."""
    members = {ensemble.NETWORK: network} | {key: b.predictions for key, b in extra.items()}
    names = {ensemble.NETWORK: model} | CLASSICAL_LABELS
    actual = data.levels[data.test_times]
    described = {ensemble.MEAN: "mean of " + ", ".join(names[key] for key in members)}
    if combination is not None:
        described[ensemble.WEIGHTED] = combination.describe(names)
    return {key: Baseline(key, predictions, score(actual, predictions, scale), described[key])
            for key, predictions in ensemble.combine(members, combination).items()}


def evaluate(data: WindowedData, train_scaled: np.ndarray, test_scaled: np.ndarray,
             season_length: int = 0, classical: bool = False,
             yardsticks: Mapping[str, Yardstick] | None = None, model: str = "LSTM",
             val_scaled: np.ndarray | None = None,
             combination: Combination | None = None) -> Evaluation:
    """Score the model's scaled one-step predictions and the baselines on the same test points.

    ``season_length`` 0 means: detect it from the training part. ``classical`` fits AutoETS,
    AutoARIMA and AutoTheta (seconds of fitting: only in a worker process, never the server),
    and with the network's validation predictions ``val_scaled`` chooses the weighted ensemble's
    weights on the validation part (fitting them once more, on the training part alone);
    ``yardsticks`` are such models' predictions already made (an imported run's), scored as they
    are, with the ``combination`` it chose.
    """
    levels = data.levels
    scale = naive_scale(levels[: data.train_end_time])
    actual = levels[data.test_times]
    season = season_of(data, season_length)
    candidates = {"naive": baselines.naive(levels, data.test_times)}
    if season:
        candidates["seasonal_naive"] = baselines.seasonal_naive(levels, data.test_times, season)
    candidates["linear_ar"] = baselines.linear_ar(data)
    scored = {name: Baseline(name, pred, score(actual, pred, scale))
              for name, pred in candidates.items()}
    skipped: list[str] = []
    if classical:
        yardsticks, skipped = fit_yardsticks(data.levels, data.test_times, season)
        if yardsticks and val_scaled is not None:
            combination, notes = validation_combination(data, val_scaled, season)
            skipped += notes
    extra = scored_yardsticks(data, yardsticks or {}, scale)
    train_predictions = data.to_levels(train_scaled, data.train_times)
    test_predictions = data.to_levels(test_scaled, data.test_times)
    ensembles = scored_ensembles(data, test_predictions, extra, combination, scale, model)
    return Evaluation(
        train_times=data.train_times,
        train_predictions=train_predictions,
        test_times=data.test_times,
        test_actual=actual,
        test_predictions=test_predictions,
        train_metrics=score(levels[data.train_times], train_predictions, scale),
        test_metrics=score(actual, test_predictions, scale),
        baselines=scored | extra,
        season_length=season or None,
        skipped=skipped,
        model=model,
        ensembles=ensembles,
        combination=combination if ensemble.WEIGHTED in ensembles else None,
    )
