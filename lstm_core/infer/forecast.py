"""Recursive forecasts: each step is fed the model's own previous outputs.

The rollout runs on the NumPy copy of the network (:class:`NumpyLSTM`), so a step costs one
small array computation, never a ``model.predict`` call. Feature columns, which the model
cannot forecast, are held at their last known values past the end of the data; over the
test span their true values are used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.data.windows import WindowedData
from lstm_core.errors import ConfigError
from lstm_core.infer.numpy_lstm import NumpyLSTM


def rollout_scaled(net: NumpyLSTM, start: np.ndarray, steps: int,
                   features: np.ndarray | None = None, paths: int = 1,
                   rng: np.random.Generator | None = None) -> np.ndarray:
    """Roll ``steps`` predictions forward from the scaled window ``start`` (window, columns).

    ``features`` (steps, columns - 1) gives the feature columns of each new row; by default
    the last row's features are repeated. Returns scaled predictions of shape (paths, steps).
    """
    window = np.repeat(np.asarray(start, dtype=np.float32)[None], paths, axis=0)
    if features is None:
        features = np.repeat(window[0, -1:, 1:], steps, axis=0)
    out = np.empty((paths, steps), dtype=np.float64)
    for step in range(steps):
        prediction = net.predict(window, rng)
        out[:, step] = prediction
        new_row = np.empty((paths, 1, window.shape[2]), dtype=np.float32)
        new_row[:, 0, 0] = prediction
        new_row[:, 0, 1:] = features[step]
        window = np.concatenate([window[:, 1:], new_row], axis=1)
    return out


def forecast_future(net: NumpyLSTM, data: WindowedData, horizon: int, paths: int = 1,
                    rng: np.random.Generator | None = None) -> np.ndarray:
    """Levels for the ``horizon`` steps after the last sample: (horizon,), or (paths, horizon)."""
    scaled = rollout_scaled(net, data.last_window(), horizon, paths=paths, rng=rng)
    levels = data.transform.inverse_path(data.unscale_target(scaled), data.levels)
    return levels[0] if paths == 1 else levels


@dataclass
class TestRollout:
    """A rollout over the test span, started from real data just before the test part."""

    times: np.ndarray
    predicted: np.ndarray
    actual: np.ndarray

    @property
    def error_by_horizon(self) -> np.ndarray:
        """Absolute error at each step ahead (1, 2, ...)."""
        return np.abs(self.predicted - self.actual)

    @property
    def rmse(self) -> float:
        return float(np.sqrt(np.mean((self.predicted - self.actual) ** 2)))


def rollout_test(net: NumpyLSTM, data: WindowedData) -> TestRollout:
    start_time = data.test_start_time
    start_row = start_time - data.transform.offset
    scaled = rollout_scaled(net, data.last_window(start_time), len(data.test_times),
                            features=data.scaled[start_row:, 1:])
    levels = data.transform.inverse_path(data.unscale_target(scaled), data.levels[:start_time])
    return TestRollout(data.test_times, levels[0], data.levels[data.test_times])


@dataclass
class ForecastBand:
    """Quantiles of many Monte-Carlo-dropout rollouts, each (horizon,), in original units."""

    median: np.ndarray
    lower_80: np.ndarray
    upper_80: np.ndarray
    lower_95: np.ndarray
    upper_95: np.ndarray
    paths: int


def forecast_band(net: NumpyLSTM, data: WindowedData, horizon: int, paths: int = 100,
                  seed: int = 0) -> ForecastBand:
    """80% and 95% bands from ``paths`` rollouts with dropout left on (batched in one rollout).

    Only a model trained with dropout has this spread; without dropout every path is equal.
    """
    if net.dropout <= 0:
        raise ConfigError("an uncertainty band needs a model trained with dropout (dropout > 0)")
    levels = forecast_future(net, data, horizon, paths=paths, rng=np.random.default_rng(seed))
    q = np.quantile(levels, [0.5, 0.1, 0.9, 0.025, 0.975], axis=0)
    return ForecastBand(*q, paths=paths)
