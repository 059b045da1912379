"""The season of a series: the lag of its strongest autocorrelation peak, found on the training
part only (the test part never decides anything). Used by the seasonal baselines and yardsticks,
the seasonal transforms and the settings proposed for new data.
"""

from __future__ import annotations

import numpy as np

MIN_SEASON_CORRELATION = 0.3


def detect_season(train_levels: np.ndarray, max_lag: int | None = None) -> int | None:
    """The lag of the strongest autocorrelation peak of the training part, linear trend removed.

    A peak counts only after the autocorrelation has dipped below zero (so a slowly
    wandering series shows no season) and when it reaches MIN_SEASON_CORRELATION.
    Returns None when no lag qualifies.
    """
    y = np.asarray(train_levels, dtype=np.float64)
    n = len(y)
    max_lag = min(max_lag or n // 2, n // 2)
    t = np.arange(n)
    x = y - np.polyval(np.polyfit(t, y, 1), t) if n > 2 else y - y.mean()
    if max_lag < 3 or np.std(x) == 0:
        return None
    spectrum = np.fft.rfft(x, 2 * n)
    acf = np.fft.irfft(spectrum * np.conj(spectrum))[: max_lag + 1]
    acf = acf / acf[0]
    below_zero = np.flatnonzero(acf < 0)
    if below_zero.size == 0:
        return None
    peaks = [lag for lag in range(below_zero[0] + 1, max_lag)
             if acf[lag - 1] < acf[lag] >= acf[lag + 1]]
    if not peaks:
        return None
    best = max(peaks, key=lambda lag: acf[lag])
    return int(best) if acf[best] >= MIN_SEASON_CORRELATION else None
