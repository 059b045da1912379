"""Target transforms with exact inversion, and the rule behind ``transform="auto"``.

A transform maps the level series ``y`` to the series ``z`` the model learns. ``offset``
says how many leading samples it consumes: ``z[k]`` belongs to time ``k + offset``.
Predictions of ``z`` go back to levels one step at a time (given the true previous level)
or along a path (given the level the path starts from).
"""

from __future__ import annotations

import numpy as np

from lstm_core.errors import DataError


class Transform:
    name = "none"
    offset = 0

    def forward(self, y: np.ndarray) -> np.ndarray:
        return np.asarray(y, dtype=np.float64)

    def inverse_one_step(self, z_pred: np.ndarray, previous_levels: np.ndarray) -> np.ndarray:
        """Levels at times t from predicted z at t and the true levels at t - 1."""
        return np.asarray(z_pred, dtype=np.float64)

    def inverse_path(self, z_path: np.ndarray, last_level: float | np.ndarray) -> np.ndarray:
        """Levels along a path of predicted z that follows the level ``last_level``.

        ``z_path`` may be (steps,) or (paths, steps); ``last_level`` a scalar or one per path.
        """
        return np.asarray(z_path, dtype=np.float64)


class Difference(Transform):
    """First difference: the model learns the change, so levels never seen can be reached."""

    name = "diff"
    offset = 1

    def forward(self, y: np.ndarray) -> np.ndarray:
        return np.diff(np.asarray(y, dtype=np.float64))

    def inverse_one_step(self, z_pred: np.ndarray, previous_levels: np.ndarray) -> np.ndarray:
        return np.asarray(previous_levels, dtype=np.float64) + z_pred

    def inverse_path(self, z_path: np.ndarray, last_level: float | np.ndarray) -> np.ndarray:
        z = np.asarray(z_path, dtype=np.float64)
        start = np.asarray(last_level, dtype=np.float64)
        if z.ndim == 2:
            start = np.broadcast_to(start, (z.shape[0],))[:, None]
        return start + np.cumsum(z, axis=-1)


class Log(Transform):
    """Natural logarithm, for positive series whose swings grow with their level."""

    name = "log"

    def forward(self, y: np.ndarray) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        if np.any(y <= 0):
            raise DataError(
                f"the log transform needs a positive series, but its smallest value is {y.min():g}: "
                "choose transform 'none' or 'diff'"
            )
        return np.log(y)

    def inverse_one_step(self, z_pred: np.ndarray, previous_levels: np.ndarray) -> np.ndarray:
        return np.exp(z_pred)

    def inverse_path(self, z_path: np.ndarray, last_level: float | np.ndarray) -> np.ndarray:
        return np.exp(np.asarray(z_path, dtype=np.float64))


_BY_NAME = {t.name: t for t in (Transform, Difference, Log)}

# A straight line fitted to the training part that rises or falls by more than this many
# standard deviations of what the line leaves unexplained counts as a trend.
TREND_THRESHOLD = 1.0


def has_trend(y_train: np.ndarray) -> bool:
    """True when a straight-line trend dominates the training part (see TREND_THRESHOLD)."""
    y = np.asarray(y_train, dtype=np.float64)
    if len(y) < 3:
        return False
    t = np.arange(len(y))
    slope, intercept = np.polyfit(t, y, 1)
    residual_std = np.std(y - (slope * t + intercept))
    rise = abs(slope) * (len(y) - 1)
    return rise > TREND_THRESHOLD * max(residual_std, 1e-12)


def make_transform(name: str, y_train: np.ndarray) -> Transform:
    """The transform called ``name``; ``auto`` picks ``diff`` for a trending training part."""
    if name == "auto":
        name = "diff" if has_trend(y_train) else "none"
    return _BY_NAME[name]()
