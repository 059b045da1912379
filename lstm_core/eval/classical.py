"""Classical yardsticks from statsforecast: AutoETS, AutoARIMA and AutoTheta.

Each model is fitted once, on the levels before the test part (original units, the season
the evaluation detected on the training part or was given, 1 when none), so the model it
selects and its parameters never see a test value. It then gives, on exactly the LSTM's
test points:

- one-step predictions: the prediction at test time t is what the fitted model forecasts
  from the values before t, its selected orders and parameters kept (statsforecast's
  ``forward(y[:t], h=1)``; its ``cross_validation(refit=False)`` does the same at every
  cutoff). Nothing at or after t can reach it. ETS's ``forward`` keeps every parameter and
  the initial states and only runs the ETS recursion, which is causal, so one ``forward``
  over the whole series and its in-sample fitted values give them all in one call. ARIMA's
  fitted values are not exact one-step forecasts (statsforecast's residuals are scaled by
  the filter's variance, so a fitted value at t moves a little with y_t); its Kalman filter is
  run once over the history and then stepped through the test part, one filter step per point
  with the fitted coefficients (:mod:`lstm_core.eval.arima_filter`): the same predictions as
  ``forward(y[:t], h=1)`` at each point (to 1e-15 of the series' spread), with nothing
  estimated again. Calling ``forward`` once per point, as before, filtered the whole history
  again each time: 806 points of a half-hourly series at season 336 took over half an hour.
  Theta's ``forward`` is not causal over a whole series (it re-runs its seasonal test and
  centred decomposition, and fits its trend line, on what it is given), so it is called once
  per test point with the last 1,000 values or 20 seasons before it, whichever is longer: a
  series shorter than that (every bundled example) sees its whole past; on a longer one
  Theta's decomposition and trend line follow the recent past, as a rolling-window Theta
  would, and a call stops growing with the series (a 10,000-point noisy sine's 2,000 test
  points: 224 s of Theta instead of about 17 s; its test RMSE moved from 0.577 to 0.527 on the
  first 300 points; a 3,000-point sine's from 0.0989 to 0.1006). Theta continued by its own
  filter from the fitted states instead, with the fitted seasonal indices, costs milliseconds
  but follows a level shift late (a half-hourly demand series' test RMSE rose from 19.3 to
  27.0), so Theta keeps its per-point calls (806 of them at season 336: 13 s);
- a rollout: the fitted model's multi-step forecast from the start of the test part over its
  whole span, to set beside the LSTM's recursive rollout.

AutoARIMA follows R's ``auto.arima`` guidance for speed: approximate (conditional sums of
squares) model selection for a series over 150 points or a season over 12, final fit by
maximum likelihood; for a season over 24 steps, seasonal differencing only (no seasonal AR
or MA terms): each such term adds a full season of states to the Kalman filter, and at
season 48 on 3,200 points one seasonal term per side took ten times as long (31 s against
3 s), two per side over 100 s. Over 24 steps the final fit is by conditional sums of squares
too: the seasonal difference alone puts a season of states in the filter, so each likelihood
evaluation costs a filter pass of season² work per point; at season 336 on 3,226 points the
maximum-likelihood fit took over three minutes, the conditional one 1.5 s, with the same
model and the same coefficients to four decimals. (statsforecast leaves such a model's filter state
unset, so its own ``predict`` would start from zeros: the rollout comes from the filter run
over the history here, for every ARIMA.)

Each yardstick has a time allowance, to stop one that would keep a training's results waiting
for many minutes (as ARIMA's per-point calls did): 30 s, or 15 ms per point of the series up to
the test part's end when that is longer (:func:`allowance_for`; at 4,032 points 60 s, and the
slowest yardstick there, AutoETS at season 336, took 16 s on the 2-core development machine;
on the bundled examples each takes under 2 s). One that runs past it is stopped where it is
and left out with a note saying so, and the others are fitted as usual
(:mod:`lstm_core.eval.allowance`: in the main thread, where the local pool's workers and the
command line run a job; a Ray actor's job thread waits for it to end).

statsforecast is imported inside :func:`fit_yardsticks` only: the server never loads it (nor
numba); a worker imports it once and keeps it. Any numba function it compiles is cached on
disk (see :func:`import_models`).
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from lstm_core.eval.allowance import OverAllowance, time_allowance
from lstm_core.eval.arima_filter import ArimaFilter, arima_one_step

LABELS = {"auto_ets": "AutoETS", "auto_arima": "AutoARIMA", "auto_theta": "AutoTheta"}
MIN_FIT_POINTS = 8  # fewer points before the test part: no classical model is fitted
APPROXIMATE_OVER = (150, 12)  # (points, season) above which auto.arima approximates
LONG_SEASON = 24
# AutoTheta's one-step forward sees the last max(THETA_HISTORY, THETA_HISTORY_SEASONS x season)
# values before the point it predicts, not the whole past (see the module's docstring).
THETA_HISTORY, THETA_HISTORY_SEASONS = 1000, 20
ALLOWANCE_SECONDS, ALLOWANCE_PER_POINT = 30.0, 0.015  # each yardstick's time: the larger of the two
NUMBA_CACHE = Path.home() / ".cache" / "lstm-lab" / "numba"
T = TypeVar("T")


@dataclass
class Yardstick:
    """One fitted classical model's predictions over the test part, in original units."""

    key: str
    model: str  # the model it selected, e.g. "ETS(A,A,M)"
    one_step: np.ndarray  # at each test time, from the values before it
    rollout: np.ndarray  # the forecast from the test part's start, over its whole span
    seconds: float


def import_models() -> dict[str, type]:
    """statsforecast's model classes, with its numba code cached on disk.

    statsforecast compiles with ``cache=CACHE`` where CACHE is read from NIXTLA_NUMBA_CACHE
    at import (off unless set); numba writes its cache next to the sources unless
    NUMBA_CACHE_DIR names a folder, which keeps it per user and writable. Both must be set
    before the first import, which in a worker is this one.
    """
    os.environ.setdefault("NIXTLA_NUMBA_CACHE", "1")
    os.environ.setdefault("NUMBA_CACHE_DIR", str(NUMBA_CACHE))
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta

    return {"auto_ets": AutoETS, "auto_arima": AutoARIMA, "auto_theta": AutoTheta}


def arima_options(points: int, season: int) -> dict[str, Any]:
    """AutoARIMA's search settings for this much history (see the module's docstring)."""
    max_points, max_season = APPROXIMATE_OVER
    options: dict[str, Any] = {"approximation": points > max_points or season > max_season}
    if season > LONG_SEASON:
        options |= {"max_P": 0, "max_Q": 0, "method": "CSS"}
    return options


def allowance_for(points: int) -> float:
    """Seconds each yardstick may take on a series of ``points`` (see the module's docstring)."""
    return max(ALLOWANCE_SECONDS, ALLOWANCE_PER_POINT * points)


def _fitted(key: str, cls: type, history: np.ndarray, season: int) -> Any:
    options = arima_options(len(history), season) if key == "auto_arima" else {}
    return cls(season_length=season, **options).fit(history)


def _describe(key: str, fitted: dict[str, Any]) -> str:
    if key == "auto_arima":
        from statsforecast.arima import arima_string

        return arima_string(fitted).strip()  # it pads the name with spaces
    return _ets_name(fitted) if key == "auto_ets" else f"Theta ({fitted['modeltype']})"


def _ets_name(fitted: dict[str, Any]) -> str:
    """statsforecast names the ETS model it chose in "method", but on a constant series it fits
    ETS(A,N,N) directly and leaves only its "components" ("ANNN": error, trend, season, damped)."""
    if "method" in fitted:
        return fitted["method"]
    error, trend, season, damped = fitted["components"]
    return f"ETS({error},{trend}{'d' if damped == 'D' else ''},{season})"


def _one_step_by_filter(model: Any, levels: np.ndarray, times: np.ndarray) -> np.ndarray:
    fitted = model.forward(y=levels[: times[-1] + 1], h=1, fitted=True)["fitted"]
    return np.asarray(fitted, dtype=np.float64)[times]


def _one_step_by_history(model: Any, levels: np.ndarray, times: np.ndarray,
                         recent: int | None = None) -> np.ndarray:
    """``forward`` once per test time on the values before it (the last ``recent`` of them)."""
    starts = [0 if recent is None else max(0, t - recent) for t in times]
    predictions = [model.forward(y=levels[s:t], h=1)["mean"][0] for s, t in zip(starts, times, strict=True)]
    return np.array(predictions, dtype=np.float64)


def theta_history(season: int) -> int:
    """How many past values AutoTheta's one-step ``forward`` is given (see the module's docstring)."""
    return max(THETA_HISTORY, THETA_HISTORY_SEASONS * season)


def _one_step(key: str, model: Any, levels: np.ndarray, times: np.ndarray, season: int) -> np.ndarray:
    """AutoETS's or AutoTheta's one-step predictions at ``times`` (AutoARIMA's: its own filter)."""
    if key == "auto_ets":
        return _one_step_by_filter(model, levels, times)
    return _one_step_by_history(model, levels, times, theta_history(season))


def _forecast(key: str, model: Any, history: np.ndarray, horizon: int) -> np.ndarray:
    """The forecast ``horizon`` steps past ``history``, the values ``model`` was fitted on."""
    if key == "auto_arima":  # its filter state, not statsforecast's (unset after a CSS fit)
        return ArimaFilter(model.model_, history).rollout(np.arange(horizon) + len(history))
    return np.asarray(model.predict(h=horizon)["mean"], dtype=np.float64)


def _finite(*predictions: np.ndarray) -> None:
    if not all(np.all(np.isfinite(p)) for p in predictions):
        raise FloatingPointError("its predictions are not all finite")


def _fit_one(key: str, cls: type, levels: np.ndarray, times: np.ndarray, season: int) -> Yardstick:
    started = time.perf_counter()
    history = levels[: times[0]]
    model = _fitted(key, cls, history, season)
    if key == "auto_arima":
        one_step, rollout = arima_one_step(model.model_, levels, times)
    else:
        one_step = _one_step(key, model, levels, times, season)
        rollout = _forecast(key, model, history, len(times))
    _finite(one_step, rollout)
    return Yardstick(key, _describe(key, model.model_), one_step, rollout,
                     time.perf_counter() - started)


def fit_yardsticks(levels: np.ndarray, test_times: np.ndarray, season: int | None,
                   allowance: float | None = None) -> tuple[dict[str, Yardstick], list[str]]:
    """AutoETS, AutoARIMA and AutoTheta fitted on ``levels`` before ``test_times[0]``.

    ``test_times`` must be the consecutive times up to the series' end. Each model has
    ``allowance`` seconds (default: :func:`allowance_for` the series up to the test part's end).
    Returns the models that fitted, by key, and a note for each one left out (too short a
    series, a numerical failure, its allowance spent): a yardstick that fails never stops the
    evaluation.
    """
    levels = np.asarray(levels, dtype=np.float64)
    if test_times[0] < MIN_FIT_POINTS:
        return {}, [f"classical models skipped: {test_times[0]} points before the test part, "
                    f"they need at least {MIN_FIT_POINTS}"]
    return _each_model(allowance or allowance_for(int(test_times[-1]) + 1),
                       lambda key, cls: _fit_one(key, cls, levels, test_times, season or 1))


def _each_model(allowance: float, work: Callable[[str, type], T]) -> tuple[dict[str, T], list[str]]:
    """``work(key, model class)`` for each classical model, each within ``allowance`` seconds:
    what each gave, by key, and a note for each one that failed or ran out of time."""
    results, notes = {}, []
    for key, cls in import_models().items():
        try:
            with warnings.catch_warnings(), time_allowance(allowance):
                warnings.simplefilter("ignore")  # convergence chatter: the scores tell the story
                results[key] = work(key, cls)
        except OverAllowance:
            notes.append(f"{LABELS[key]} left out: it did not finish within its time allowance "
                         f"of {allowance:.0f} s")
        except Exception as exc:  # noqa: BLE001 - any failure of one model only leaves it out
            notes.append(f"{LABELS[key]} left out: it could not be fitted ({_reason(exc)})")
    return results, notes


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


def forecast_yardsticks(history: np.ndarray, season: int | None, horizon: int,
                        allowance: float | None = None) -> tuple[dict[str, np.ndarray], list[str]]:
    """Each classical model fitted on ``history`` alone and its forecast ``horizon`` steps past it.

    A backtest's forecast from one origin (the series up to that origin is ``history``).
    Returns the forecasts by key and a note for each model left out, as :func:`fit_yardsticks`.
    """
    history = np.asarray(history, dtype=np.float64)
    if len(history) < MIN_FIT_POINTS:
        return {}, [f"classical models skipped: {len(history)} points of history, "
                    f"they need at least {MIN_FIT_POINTS}"]
    return _each_model(allowance or allowance_for(len(history)),
                       lambda key, cls: _forecast_one(key, cls, history, season or 1, horizon))


def _forecast_one(key: str, cls: type, history: np.ndarray, season: int, horizon: int) -> np.ndarray:
    forecast = _forecast(key, _fitted(key, cls, history, season), history, horizon)
    _finite(forecast)
    return forecast
