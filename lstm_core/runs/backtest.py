"""Rolling-origin backtests: the model trained again (or reused) at K origins before the test
part, each time forecasting H steps, scored by origin and by step next to every yardstick.

    | history ... |o1 -- H --|o2 -- H --| ... |oK -- H --| test part (never read) |

The series is cut where the test part begins before anything else, so no test value can reach
a backtest. The last origin's H steps end there, the others sit H steps apart before it: the
forecasts never overlap. At each origin the history is the series up to it (expanding window),
or the same number of points as the first origin had (fixed window).

The LSTM is trained on each history with the config's settings and seed, its own training and
validation parts inside the history (which keeps only the smallest test part the windows
allow); or, with ``refit=False``, trained once on the first history and applied at every
origin with that history's transform and scaler. Its forecast is the recursive one past the
history's end (:func:`~lstm_core.infer.forecast.forecast_future`). Linear AR is fitted on the
same windows as the LSTM and rolled forward the same way; the naive and seasonal naive
forecasts and the classical models (:func:`~lstm_core.eval.classical.forecast_yardsticks`)
start from each history.

:func:`run_backtest` is a worker entry: it imports the network code only when it runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from lstm_core.config.checks import checked_choice, checked_number
from lstm_core.config.fields import LIMITS, model_name
from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.data.windows import WindowedData, choose_split, prepare
from lstm_core.errors import ConfigError
from lstm_core.eval.classical import LABELS as CLASSICAL_LABELS
from lstm_core.eval.evaluation import season_of
from lstm_core.infer.forecast import forecast_future
from lstm_core.infer.numpy_net import NumpyNet
from lstm_core.runs.experiment import LOADING_TENSORFLOW, TrainingFailedError, load_series
from lstm_core.runs.progress import DIVERGED, STOPPED

EXPANDING, FIXED = "expanding", "fixed"
WINDOW_KINDS = (EXPANDING, FIXED)
MAX_ORIGINS = 100
MAX_HORIZON = int(LIMITS["horizon"][1])
LSTM = "lstm"
LABELS = {LSTM: "LSTM", "naive": "naive", "seasonal_naive": "seasonal naive",
          "linear_ar": "linear AR"} | CLASSICAL_LABELS


@dataclass(frozen=True)
class BacktestSpec:
    """How many origins, how far each forecasts, which history, and whether the LSTM is refitted."""

    origins: int = 5
    horizon: int = 12
    window_kind: str = EXPANDING
    refit: bool = True

    def validate(self) -> BacktestSpec:
        checked_number("origins", self.origins, 1, MAX_ORIGINS, whole=True)
        checked_number("horizon", self.horizon, 1, MAX_HORIZON, whole=True)
        checked_choice("window_kind", self.window_kind, WINDOW_KINDS)
        return self

    def describe(self) -> str:
        model = "refitted at each origin" if self.refit else "trained once, reused at every origin"
        return (f"{self.origins} origins, {self.horizon} steps each, {self.window_kind} window, "
                f"the network {model}")


@dataclass
class BacktestResult:
    """A backtest as plain data: each model's forecasts from each origin done, and the truth.

    ``forecasts[key]`` and ``actual`` are (origins done, horizon); fewer origins than planned
    when it was stopped. Models that failed at any origin are left out, with a note.
    """

    spec: BacktestSpec
    levels: np.ndarray  # the series before the test part
    test_start: int
    origins: np.ndarray  # the time of each origin done: its first forecast step
    actual: np.ndarray
    forecasts: dict[str, np.ndarray]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    network: str = "LSTM"  # the name the trained network's forecasts go by

    def label(self, key: str) -> str:
        """A model's name as the page and the summary show it."""
        return self.network if key == LSTM else LABELS.get(key, key)

    @property
    def complete(self) -> bool:
        return len(self.origins) == self.spec.origins

    @property
    def models(self) -> list[str]:
        return list(self.forecasts)

    def errors(self, key: str) -> np.ndarray:
        """Absolute error of ``key`` by origin and step: (origins, horizon)."""
        return np.abs(self.forecasts[key] - self.actual)

    def rmse_by_step(self, key: str) -> np.ndarray:
        """RMSE across origins at each step ahead: (horizon,)."""
        return np.sqrt(np.mean((self.forecasts[key] - self.actual) ** 2, axis=0))

    def rmse_by_origin(self, key: str) -> np.ndarray:
        """RMSE over the horizon from each origin: (origins,)."""
        return np.sqrt(np.mean((self.forecasts[key] - self.actual) ** 2, axis=1))

    def summary(self) -> dict[str, tuple[float, float]]:
        """Each model's (mean, standard deviation) across origins of its RMSE over the horizon."""
        return {key: (float(np.mean(r)), float(np.std(r)))
                for key in self.models if len(r := self.rmse_by_origin(key))}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: the spec, per model the RMSE's mean and spread, by step, by origin."""
        return {
            "spec": vars(self.spec).copy(),
            "test_start": self.test_start,
            "origins": self.origins.tolist(),
            "complete": self.complete,
            "models": {key: self.label(key) for key in self.models},
            "rmse": {key: {"mean": mean, "std": std} for key, (mean, std) in self.summary().items()},
            "rmse_by_step": {key: self.rmse_by_step(key).tolist() for key in self.models},
            "rmse_by_origin": {key: self.rmse_by_origin(key).tolist() for key in self.models},
            "notes": self.notes,
            "wall_seconds": self.seconds,
        }


def plan_origins(series: Series, config: ExperimentConfig, spec: BacktestSpec) -> tuple[int, list[int]]:
    """The test part's start and the origins before it; ConfigError when they do not fit.

    Every history must hold enough points for the config's window, so the first one is
    prepared here already (no training): a refusal comes before any work.
    """
    spec.validate()
    transform, split = choose_split(series.values, config)
    test_start = split.val_end + transform.offset
    origins = [test_start - (spec.origins - k) * spec.horizon for k in range(spec.origins)]
    problem = (f"a backtest of {spec.origins} origins x {spec.horizon} steps needs "
               f"{spec.origins * spec.horizon} points before the test part (which starts at "
               f"{test_start}), and a history before the first origin")
    if origins[0] < 2:
        raise ConfigError(f"{problem}: use fewer origins, a shorter horizon or more data")
    try:
        _prepare(_part(series, 0, origins[0]), config)
    except ConfigError as exc:
        raise ConfigError(f"{problem}; the first history ({origins[0]} points) is too short: {exc}") from None
    return test_start, origins


def run_backtest(config: ExperimentConfig, series: Series | None, spec: BacktestSpec,
                 progress=None, stop=None, on_stage=None) -> BacktestResult:
    """Train and forecast at every origin on ``series`` (None: the config's source); takes the
    keyword arguments of a :class:`~lstm_core.jobs.job.TrainingJob` training. A stop ends it
    after the origins done."""
    started = time.perf_counter()
    stage = on_stage or (lambda name: None)
    config.validate()
    series = load_series(config.source) if series is None else series
    test_start, origins = plan_origins(series, config, spec)  # a refusal before anything is reported
    series = _part(series, 0, test_start)  # from here on no test value exists
    stage(LOADING_TENSORFLOW)
    from lstm_core.nn.build import build_model
    from lstm_core.nn.train import train

    def fit(history: Series, number: int) -> tuple[NumpyNet, WindowedData, _LinearAR] | None:
        """The LSTM and linear AR trained on ``history``; None when a stop cut the training short."""
        stage(f"origin {number} of {spec.origins}: training")
        data = _prepare(history, config)
        model = build_model(config, data.n_features)
        training = train(model, data, config, progress=progress, stop=stop)
        if training.stop_reason == DIVERGED and training.best_epoch is None:
            raise TrainingFailedError(f"origin {number}: {training.message}")
        if training.stop_reason == STOPPED:
            return None
        return NumpyNet.for_config(model.get_weights(), config), data, _LinearAR(data)

    fitted, by_origin, notes = None, [], []
    length = origins[0]
    for number, origin in enumerate(origins, start=1):
        if stop is not None and stop.is_set():
            break
        history = _part(series, 0 if spec.window_kind == EXPANDING else origin - length, origin)
        if spec.refit or fitted is None:
            fitted = fit(history, number)
            if fitted is None:
                break
        stage(f"origin {number} of {spec.origins}: forecasting")
        net, trained_on, linear = fitted
        data = history_data(trained_on, history)
        forecasts, skipped = _forecasts(net, linear, data, config.season_length, spec.horizon)
        by_origin.append(forecasts)
        notes += [f"origin {number}: {note}" for note in skipped]
    done = _result(spec, series.values, test_start, origins[:len(by_origin)], by_origin,
                   notes, time.perf_counter() - started)
    return replace(done, network=model_name(config))


def _part(series: Series, start: int, end: int) -> Series:
    """The points ``start:end`` of ``series``, with their timestamps and features."""
    features = series.features
    return Series(series.values[start:end], series.name,
                  None if series.timestamps is None else series.timestamps[start:end],
                  None if features is None else features.iloc[start:end].reset_index(drop=True))


def _prepare(history: Series, config: ExperimentConfig) -> WindowedData:
    """The history's windows with the config's settings but the smallest test part the windows
    allow (two points, or the lowest share the settings accept): the rest trains and validates."""
    share = min(config.test_share, max(LIMITS["test_share"][0], 2 / len(history)))
    return prepare(history, replace(config, test_share=share))


def history_data(trained_on: WindowedData, history: Series) -> WindowedData:
    """``history`` in the units a model trained on ``trained_on`` reads: its transform and its
    scaler (fitted on its own training part), so a reused model sees each origin as it was taught."""
    if history is trained_on.series:
        return trained_on
    transform = trained_on.transform
    matrix = history.matrix()[transform.offset:].copy()
    matrix[:, 0] = transform.forward(history.values)
    return replace(trained_on, series=history, scaled=trained_on.scaler.transform(matrix))


class _LinearAR:
    """Linear regression on the LSTM's own training windows, with a network's ``predict`` so the
    same recursive rollout forecasts with it."""

    def __init__(self, data: WindowedData) -> None:
        from sklearn.linear_model import LinearRegression

        self.model = LinearRegression().fit(data.X_train.reshape(len(data.X_train), -1), data.y_train)

    def predict(self, windows: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        return self.model.predict(np.asarray(windows, dtype=np.float64).reshape(len(windows), -1))


def _forecasts(net: NumpyNet, linear: _LinearAR, data: WindowedData, season_length: int,
               horizon: int) -> tuple[dict[str, np.ndarray], list[str]]:
    """Every model's forecast ``horizon`` steps past ``data``'s history, and why any is missing."""
    from lstm_core.eval.classical import forecast_yardsticks  # statsforecast: in the worker only

    levels = data.levels
    season = season_of(data, season_length)
    found = {LSTM: forecast_future(net, data, horizon), "naive": np.full(horizon, levels[-1])}
    if season and season <= len(levels):
        found["seasonal_naive"] = np.resize(levels[-season:], horizon)
    found["linear_ar"] = forecast_future(linear, data, horizon)
    classical, notes = forecast_yardsticks(levels, season, horizon)
    return found | classical, notes


def _result(spec: BacktestSpec, levels: np.ndarray, test_start: int, origins: list[int],
            by_origin: list[dict[str, np.ndarray]], notes: list[str], seconds: float) -> BacktestResult:
    """Stack the forecasts by model, keeping the models every origin has."""
    keys = [key for key in by_origin[0] if all(key in f for f in by_origin)] if by_origin else []
    for key in (by_origin[0] if by_origin else {}):
        if key not in keys:
            notes.append(f"{LABELS.get(key, key)} left out: it failed at some origin")
    if len(origins) < spec.origins:
        notes.append(f"stopped: {len(origins)} of {spec.origins} origins done")
    horizon = spec.horizon
    actual = np.array([levels[o:o + horizon] for o in origins]).reshape(len(origins), horizon)
    forecasts = {key: np.array([f[key] for f in by_origin]).reshape(len(origins), horizon) for key in keys}
    return BacktestResult(spec, levels, test_start, np.array(origins, dtype=int), actual, forecasts,
                          notes, seconds)
