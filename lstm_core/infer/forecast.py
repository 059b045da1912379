"""Forecasts many steps ahead: recursive (each step is fed the model's own previous outputs) or
direct (a head with one output per step ahead gives them all at once).

The rollout runs on the NumPy copy of the network (:class:`NumpyNet`), so a step costs one
small array computation, never a ``model.predict`` call. A direct model's forecast longer than
its head (the test span may be) goes on in blocks: each block is fed the previous ones.
Feature columns, which the model cannot forecast, are held at their last known values past
the end of the data (the season's phase, when the network is given it, goes on as the calendar
does); over the test span their true values are used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.data.windows import WindowedData
from lstm_core.errors import ConfigError
from lstm_core.infer.numpy_net import NumpyNet


def rollout_scaled(net: NumpyNet, start: np.ndarray, steps: int,
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
    block = getattr(net, "outputs", 1)  # steps given by one call of the network
    step = 0
    while step < steps:
        taken = min(block, steps - step)
        if block > 1:
            predictions = net.predict_block(window, rng)[:, :taken]
        else:
            predictions = net.predict(window, rng)[:, None]
        out[:, step:step + taken] = predictions
        new_rows = np.empty((paths, taken, window.shape[2]), dtype=np.float32)
        new_rows[:, :, 0] = predictions
        new_rows[:, :, 1:] = features[step:step + taken]
        window = np.concatenate([window[:, taken:], new_rows], axis=1)[:, -window.shape[1]:]
        step += taken
    return out


# The most multiply-adds a rollout computed in the server may cost (a few seconds of NumPy): the
# Forecast page's line and band for a horizon the run did not compute run there, so a large
# network's long rollout is refused in words rather than holding the server for minutes.
SERVER_ROLLOUT_WORK = 3e10


def steps_within(net: NumpyNet, window: int, paths: int = 1, work: float = SERVER_ROLLOUT_WORK) -> int:
    """How many steps ahead ``paths`` rollouts of ``net`` may go within ``work`` multiply-adds:
    each step runs every weight once per step of the window (once in all for an MLP)."""
    per_step = paths * net.size * (1 if net.cell == "mlp" else window) / max(net.outputs, 1)
    return int(work // max(per_step, 1))


def forecast_future(net: NumpyNet, data: WindowedData, horizon: int, paths: int = 1,
                    rng: np.random.Generator | None = None) -> np.ndarray:
    """Levels for the ``horizon`` steps after the last sample: (horizon,), or (paths, horizon)."""
    scaled = rollout_scaled(net, data.last_window(), horizon, features=data.future_features(horizon),
                            paths=paths, rng=rng)
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


def rollout_test(net: NumpyNet, data: WindowedData) -> TestRollout:
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


def forecast_band(net: NumpyNet, data: WindowedData, horizon: int, paths: int = 100,
                  seed: int = 0) -> ForecastBand:
    """80% and 95% bands from ``paths`` rollouts with dropout left on (batched in one rollout).

    Only a model trained with dropout has this spread; without dropout every path is equal.
    """
    if net.dropout <= 0:
        raise ConfigError("an uncertainty band needs a model trained with dropout (dropout > 0)")
    levels = forecast_future(net, data, horizon, paths=paths, rng=np.random.default_rng(seed))
    q = np.quantile(levels, [0.5, 0.1, 0.9, 0.025, 0.975], axis=0)
    return ForecastBand(*q, paths=paths)
