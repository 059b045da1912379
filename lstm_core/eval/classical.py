"""Classical yardsticks from statsforecast: AutoETS, AutoARIMA and AutoTheta.

Each model is fitted once, on the levels before the test part (original units, the season
the evaluation detected on the training part or was given, 1 when none), so the model it
selects and its parameters never see a test value. It then gives, on exactly the LSTM's
test points:

- one-step predictions: the prediction at test time t comes from the fitted model's
  ``forward(y[:t], h=1)``, the library's own way of applying a fitted model to a longer
  history (what its ``cross_validation(refit=False)`` does at every cutoff). Only values
  before t are passed, so nothing at or after t can reach it. ETS's ``forward`` keeps every
  parameter and the initial states and only runs the ETS recursion, which is causal, so one
  ``forward`` over the whole series and its in-sample fitted values give the same predictions
  in one call. ARIMA's and Theta's are not causal over a whole series (Theta re-runs its
  seasonal test and centred decomposition on what it is given; ARIMA's fitted values moved
  at the last point before a changed value in the tests), so they are called once per test
  point with the history before it, their selected orders and parameters kept. ARIMA is given
  the last 100 values or 4 seasons, whichever is longer, rather than the whole past: its
  filter forgets its start within a few seasons (on the bundled examples the predictions
  moved by at most 0.03% of the series' level), and each call then costs the same however
  long the series, instead of growing with it (the default sine: 1.5 s instead of 6.5 s).
  Theta is given the last 1,000 values or 20 seasons, whichever is longer: a series shorter
  than that (every bundled example) sees its whole past as before; on a longer one Theta's
  decomposition and trend line follow the recent past, as a rolling-window Theta would, and a
  call stops growing with the series (a 10,000-point noisy sine's 2,000 test points: 224 s of
  Theta instead of about 17 s; its test RMSE moved from 0.577 to 0.527 on the first 300 points;
  a 3,000-point sine's from 0.0989 to 0.1006);
- a rollout: the fitted model's multi-step forecast from the start of the test part over its
  whole span, to set beside the LSTM's recursive rollout.

AutoARIMA follows R's ``auto.arima`` guidance for speed: approximate (conditional sums of
squares) model selection for a series over 150 points or a season over 12, final fit by
maximum likelihood; for a season over 24 steps, seasonal differencing only (no seasonal AR
or MA terms): each such term adds a full season of states to the Kalman filter, and at
season 48 on 3,200 points one seasonal term per side took ten times as long (31 s against
3 s), two per side over 100 s.

statsforecast is imported inside :func:`fit_yardsticks` only: the server never loads it (nor
numba); a worker imports it once and keeps it. Any numba function it compiles is cached on
disk (see :func:`import_models`).
"""

from __future__ import annotations

import os
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

LABELS = {"auto_ets": "AutoETS", "auto_arima": "AutoARIMA", "auto_theta": "AutoTheta"}
MIN_FIT_POINTS = 8  # fewer points before the test part: no classical model is fitted
APPROXIMATE_OVER = (150, 12)  # (points, season) above which auto.arima approximates
LONG_SEASON = 24
# AutoARIMA's one-step forward sees the last max(ARIMA_HISTORY, ARIMA_HISTORY_SEASONS x season)
# values before the point it predicts, not the whole past (see the module's docstring).
ARIMA_HISTORY, ARIMA_HISTORY_SEASONS = 100, 4
THETA_HISTORY, THETA_HISTORY_SEASONS = 1000, 20  # the same for AutoTheta
NUMBA_CACHE = Path.home() / ".cache" / "lstm-lab" / "numba"


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
        options |= {"max_P": 0, "max_Q": 0}
    return options


def _describe(key: str, fitted: dict[str, Any]) -> str:
    if key == "auto_arima":
        from statsforecast.arima import arima_string

        return arima_string(fitted).strip()  # it pads the name with spaces
    return fitted["method"] if key == "auto_ets" else f"Theta ({fitted['modeltype']})"


def _one_step_by_filter(model: Any, levels: np.ndarray, times: np.ndarray) -> np.ndarray:
    fitted = model.forward(y=levels[: times[-1] + 1], h=1, fitted=True)["fitted"]
    return np.asarray(fitted, dtype=np.float64)[times]


def _one_step_by_history(model: Any, levels: np.ndarray, times: np.ndarray,
                         recent: int | None = None) -> np.ndarray:
    """``forward`` once per test time on the values before it (the last ``recent`` of them)."""
    starts = [0 if recent is None else max(0, t - recent) for t in times]
    predictions = [model.forward(y=levels[s:t], h=1)["mean"][0] for s, t in zip(starts, times, strict=True)]
    return np.array(predictions, dtype=np.float64)


def arima_history(season: int) -> int:
    """How many past values AutoARIMA's one-step ``forward`` is given (see the module's docstring)."""
    return max(ARIMA_HISTORY, ARIMA_HISTORY_SEASONS * season)


def theta_history(season: int) -> int:
    """How many past values AutoTheta's one-step ``forward`` is given (see the module's docstring)."""
    return max(THETA_HISTORY, THETA_HISTORY_SEASONS * season)


def _one_step(key: str, model: Any, levels: np.ndarray, times: np.ndarray, season: int) -> np.ndarray:
    if key == "auto_ets":
        return _one_step_by_filter(model, levels, times)
    recent = arima_history(season) if key == "auto_arima" else theta_history(season)
    return _one_step_by_history(model, levels, times, recent)


def _fit_one(key: str, cls: type, levels: np.ndarray, times: np.ndarray, season: int) -> Yardstick:
    started = time.perf_counter()
    history = levels[: times[0]]
    options = arima_options(len(history), season) if key == "auto_arima" else {}
    model = cls(season_length=season, **options).fit(history)
    one_step = _one_step(key, model, levels, times, season)
    rollout = np.asarray(model.predict(h=len(times))["mean"], dtype=np.float64)
    if not (np.all(np.isfinite(one_step)) and np.all(np.isfinite(rollout))):
        raise FloatingPointError("its predictions are not all finite")
    return Yardstick(key, _describe(key, model.model_), one_step, rollout,
                     time.perf_counter() - started)


def fit_yardsticks(levels: np.ndarray, test_times: np.ndarray,
                   season: int | None) -> tuple[dict[str, Yardstick], list[str]]:
    """AutoETS, AutoARIMA and AutoTheta fitted on ``levels`` before ``test_times[0]``.

    ``test_times`` must be the consecutive times up to the series' end. Returns the models
    that fitted, by key, and a note for each one left out (too short a series, a numerical
    failure): a yardstick that fails never stops the evaluation.
    """
    levels = np.asarray(levels, dtype=np.float64)
    if test_times[0] < MIN_FIT_POINTS:
        return {}, [f"classical models skipped: {test_times[0]} points before the test part, "
                    f"they need at least {MIN_FIT_POINTS}"]
    fitted, notes = {}, []
    for key, cls in import_models().items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence chatter: the scores tell the story
                fitted[key] = _fit_one(key, cls, levels, test_times, season or 1)
        except Exception as exc:  # noqa: BLE001 - any failure of one model only leaves it out
            notes.append(f"{LABELS[key]} left out: it could not be fitted ({_reason(exc)})")
    return fitted, notes


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


def forecast_yardsticks(history: np.ndarray, season: int | None,
                        horizon: int) -> tuple[dict[str, np.ndarray], list[str]]:
    """Each classical model fitted on ``history`` alone and its forecast ``horizon`` steps past it.

    A backtest's forecast from one origin (the series up to that origin is ``history``).
    Returns the forecasts by key and a note for each model left out, as :func:`fit_yardsticks`.
    """
    history = np.asarray(history, dtype=np.float64)
    if len(history) < MIN_FIT_POINTS:
        return {}, [f"classical models skipped: {len(history)} points of history, "
                    f"they need at least {MIN_FIT_POINTS}"]
    forecasts, notes = {}, []
    for key, cls in import_models().items():
        options = arima_options(len(history), season or 1) if key == "auto_arima" else {}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = cls(season_length=season or 1, **options).fit(history)
                forecast = np.asarray(model.predict(h=horizon)["mean"], dtype=np.float64)
            if not np.all(np.isfinite(forecast)):
                raise FloatingPointError("its forecast is not all finite")
            forecasts[key] = forecast
        except Exception as exc:  # noqa: BLE001 - any failure of one model only leaves it out
            notes.append(f"{LABELS[key]} left out: it could not be fitted ({_reason(exc)})")
    return forecasts, notes
