"""Honest baselines, scored on exactly the same test points as the LSTM.

- naive: the last value, y[t-1];
- seasonal naive: the value one season ago, y[t-m] (m given, or detected from the
  training part's autocorrelation);
- linear AR: a linear regression on the very windows the LSTM sees (same transform, scaling).
"""

from __future__ import annotations

import numpy as np

from lstm_core.data.windows import WindowedData


def naive(levels: np.ndarray, times: np.ndarray) -> np.ndarray:
    return levels[times - 1]


def seasonal_naive(levels: np.ndarray, times: np.ndarray, season: int) -> np.ndarray:
    return levels[times - season]


def linear_ar(data: WindowedData) -> np.ndarray:
    """Linear regression on the flattened training windows, predicting the test labels."""
    from sklearn.linear_model import LinearRegression  # a second to import: only when scoring

    model = LinearRegression().fit(data.X_train.reshape(len(data.X_train), -1), data.y_train)
    scaled = model.predict(data.X_test.reshape(len(data.X_test), -1))
    return data.to_levels(scaled, data.test_times)
