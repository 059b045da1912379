"""Target transforms with exact inversion, and the rule behind ``transform="auto"``.

A transform maps the level series ``y`` to the series ``z`` the model learns. ``offset``
says how many leading samples it consumes: ``z[k]`` belongs to time ``k + offset``.
Predictions of ``z`` go back to levels one step at a time (given the true earlier levels)
or along a path (given the levels before the path; later steps build on the path's own).
"""

from __future__ import annotations

import numpy as np

from lstm_core.errors import DataError

HYBRID = ("dseason", "log_dseason")  # a fitted seasonal profile taken out: see Deseasonalised
SEASONAL = ("sdiff", "log_sdiff", *HYBRID)


class Transform:
    """The identity: the model learns the levels themselves."""

    name = "none"
    offset = 0  # leading samples consumed; a difference's lag
    season: int | None = None  # the lag of a seasonal difference

    def __init__(self) -> None:
        self.reason = ""  # how ``auto`` chose this transform; empty when the settings named it

    def fit(self, y_train: np.ndarray) -> Transform:
        """Learn what the transform needs from the training part's levels (nothing, here)."""
        return self

    def fitted(self) -> dict[str, list[float]]:
        """What :meth:`fit` learned, as plain numbers (an export's script needs them)."""
        return {}

    def describe(self) -> str:
        """What the network is given, in words."""
        return WORDS.get(self.name, self.name)

    def forward(self, y: np.ndarray) -> np.ndarray:
        return np.asarray(y, dtype=np.float64)

    def inverse_one_step(self, z_pred: np.ndarray, levels: np.ndarray, times: np.ndarray) -> np.ndarray:
        """Levels at ``times`` from the predicted z there and the true ``levels`` before them."""
        return np.asarray(z_pred, dtype=np.float64)

    def inverse_path(self, z_path: np.ndarray, history: np.ndarray | float) -> np.ndarray:
        """Levels along a path of predicted z that follows the levels ``history``.

        ``z_path`` may be (steps,) or (paths, steps); ``history`` is 1-D (a scalar is one level),
        its last value just before the path, and holds at least ``offset`` levels.
        """
        return np.asarray(z_path, dtype=np.float64)


class Difference(Transform):
    """First difference: the model learns the change, so levels never seen can be reached."""

    name = "diff"
    offset = 1

    def forward(self, y: np.ndarray) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        return y[self.offset:] - y[:-self.offset]

    def inverse_one_step(self, z_pred: np.ndarray, levels: np.ndarray, times: np.ndarray) -> np.ndarray:
        return np.asarray(levels, dtype=np.float64)[np.asarray(times) - self.offset] + z_pred

    def inverse_path(self, z_path: np.ndarray, history: np.ndarray | float) -> np.ndarray:
        """Each step adds its z to the level ``offset`` steps back, which for steps past the first
        ``offset`` is the path's own: a running sum over each position of the lag."""
        lag, z = self.offset, np.asarray(z_path, dtype=np.float64)
        start = np.atleast_1d(np.asarray(history, dtype=np.float64))[-lag:]
        if len(start) < lag:
            raise ValueError(f"a difference of lag {lag} inverts from {lag} earlier levels, got {len(start)}")
        steps, laps = z.shape[-1], -(-z.shape[-1] // lag)
        padded = np.zeros((*z.shape[:-1], laps * lag))
        padded[..., :steps] = z
        summed = np.cumsum(padded.reshape(*z.shape[:-1], laps, lag), axis=-2)
        return (start + summed).reshape(padded.shape)[..., :steps]


class SeasonalDifference(Difference):
    """y[t] - y[t - m]: the model learns what changed since the same point one season ago, so a
    repeating pattern and a straight trend are taken out before it sees the series."""

    name = "sdiff"

    def __init__(self, season: int) -> None:
        super().__init__()
        self.offset = self.season = season


def seasonal_profile(y: np.ndarray, season: int) -> np.ndarray:
    """The classical decomposition's seasonal indices of ``y`` (R's ``decompose``, additive): a
    centred moving average over one season is the trend; each position of the season gets the
    mean of what the trend leaves there, and the indices are centred to sum to zero. Index k
    belongs to every time t with ``t % season == k``."""
    y = np.asarray(y, dtype=np.float64)
    weights = np.full(season + 1 - season % 2, 1.0)
    if season % 2 == 0:  # a 2 x m moving average: centred on a time, not between two
        weights[0] = weights[-1] = 0.5
    weights /= season
    trend = np.convolve(y, weights, mode="valid")
    start = (len(weights) - 1) // 2
    detrended = y[start:start + len(trend)] - trend
    phases = np.arange(start, start + len(trend)) % season
    sums = np.bincount(phases, weights=detrended, minlength=season)
    profile = sums / np.maximum(np.bincount(phases, minlength=season), 1)
    return profile - profile.mean()


class Deseasonalised(Transform):
    """The hybrid transform (as the M4 winner put exponential smoothing in front of its LSTM): a
    seasonal profile fitted on the training part alone (:func:`seasonal_profile`) is taken out of
    the levels, then the first difference: the network learns how the deseasonalised series
    moves from one step to the next, and its predictions get the season put back. Unlike a
    seasonal difference it adds no noise from a year ago and keeps every sample after the first."""

    name = "dseason"
    offset = 1

    def __init__(self, season: int) -> None:
        super().__init__()
        self.season = season
        self.profile: np.ndarray | None = None

    def fit(self, y_train: np.ndarray) -> Transform:
        if len(y_train) < 2 * self.season:
            raise DataError(f"the {self.name} transform fits its season on at least two seasons "
                            f"({2 * self.season} samples) of the training part, not {len(y_train)}")
        self.profile = seasonal_profile(y_train, self.season)
        return self

    def fitted(self) -> dict[str, list[float]]:
        return {"season_profile": self.profile.tolist()} if self.profile is not None else {}

    def describe(self) -> str:
        swing = "" if self.profile is None else f", swinging {np.ptp(self.profile):.3g} from low to high"
        return (f"the series with the seasonal profile of {self.season} steps fitted on the training part "
                f"taken out{swing}, then its change from one step to the next")

    def seasonal(self, times: np.ndarray) -> np.ndarray:
        """The fitted season's value at each of ``times``."""
        if self.profile is None:
            raise ValueError("the seasonal profile is fitted on the training part first (fit)")
        return self.profile[np.asarray(times) % self.season]

    def forward(self, y: np.ndarray) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        adjusted = y - self.seasonal(np.arange(len(y)))
        return adjusted[1:] - adjusted[:-1]

    def inverse_one_step(self, z_pred: np.ndarray, levels: np.ndarray, times: np.ndarray) -> np.ndarray:
        times = np.asarray(times)
        before = np.asarray(levels, dtype=np.float64)[times - 1]
        return before + z_pred + self.seasonal(times) - self.seasonal(times - 1)

    def inverse_path(self, z_path: np.ndarray, history: np.ndarray | float) -> np.ndarray:
        """The path starts at time ``len(history)`` (the history is the series from its start)."""
        z = np.asarray(z_path, dtype=np.float64)
        history = np.atleast_1d(np.asarray(history, dtype=np.float64))
        start = len(history)
        adjusted = history[-1] - self.seasonal(start - 1) + np.cumsum(z, axis=-1)
        return adjusted + self.seasonal(start + np.arange(z.shape[-1]))


class Log(Transform):
    """Natural logarithm, then ``inner`` on the log levels: for positive series whose swings grow
    with their level (the log makes them constant)."""

    def __init__(self, inner: Transform | None = None) -> None:
        super().__init__()
        self.inner = inner or Transform()
        self.name = "log" if self.inner.name == "none" else f"log_{self.inner.name}"
        self.offset, self.season = self.inner.offset, self.inner.season

    def fit(self, y_train: np.ndarray) -> Transform:
        y_train = np.asarray(y_train, dtype=np.float64)
        if np.all(y_train > 0):  # else forward refuses the series, with the reason
            self.inner.fit(np.log(y_train))
        return self

    def fitted(self) -> dict[str, list[float]]:
        return self.inner.fitted()

    def describe(self) -> str:
        inner = self.inner.describe()
        return "the log of the series" if self.inner.name == "none" else f"in logs, {inner}"

    def forward(self, y: np.ndarray) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        if np.any(y <= 0):
            raise DataError(
                f"the {self.name} transform needs a positive series, but its smallest value is "
                f"{y.min():g}: choose a transform without log"
            )
        return self.inner.forward(np.log(y))

    def inverse_one_step(self, z_pred: np.ndarray, levels: np.ndarray, times: np.ndarray) -> np.ndarray:
        return np.exp(self.inner.inverse_one_step(z_pred, np.log(levels), times))

    def inverse_path(self, z_path: np.ndarray, history: np.ndarray | float) -> np.ndarray:
        return np.exp(self.inner.inverse_path(z_path, np.log(history)))


WORDS = {"none": "the series itself", "diff": "the change from one step to the next",
         "sdiff": "the change since the same point one season ago"}

_BUILDERS = {
    "none": lambda season: Transform(),
    "diff": lambda season: Difference(),
    "log": lambda season: Log(),
    "sdiff": SeasonalDifference,
    "log_sdiff": lambda season: Log(SeasonalDifference(season)),
    "dseason": Deseasonalised,
    "log_dseason": lambda season: Log(Deseasonalised(season)),
}


def make_transform(name: str, season: int | None = None, reason: str = "") -> Transform:
    """The transform called ``name`` (not ``auto``: see :func:`auto_transform`); the seasonal
    ones difference over ``season`` steps."""
    transform = _BUILDERS[name](season)
    transform.reason = reason
    return transform


# A straight line fitted to the training part that rises or falls by more than this many
# standard deviations of what the line leaves unexplained counts as a trend.
TREND_THRESHOLD = 1.0
# A season dominates when the seasonal difference keeps under this share of the first
# difference's variance: repeating last season's value errs, in squares, less than half as much
# as repeating the last value. For a season plus white noise (variance s2) the seasonal difference
# keeps 2 s2 and the first difference 2 s2 + the season's own step-to-step variance, so the share
# is under a half exactly when the season moves more from step to step than the noise does.
SEASONAL_SHARE = 0.5
# Swings grow with the level when, across the training part's complete seasons, the log of a
# season's spread rises at least this much per unit of the log of its mean: 1 for swings in
# proportion to the level (multiplicative), 0 for constant ones (additive); half-way decides.
SWING_ELASTICITY = 0.5
# ... judged only when the seasons' means differ enough to tell: the highest this many times the lowest.
LEVEL_RATIO = 1.5


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


def seasonal_share(y: np.ndarray, season: int) -> float:
    """The seasonal difference's variance over the first difference's (1 when the series is flat)."""
    y = np.asarray(y, dtype=np.float64)
    step = np.var(np.diff(y))
    return float(np.var(y[season:] - y[:-season]) / step) if step > 0 else 1.0


def swing_elasticity(y: np.ndarray, season: int) -> float | None:
    """How a season's spread grows with its mean, over the complete seasons of ``y`` (the latest):
    the slope of log spread on log mean, the spread taken around each season's own straight line.

    None when it cannot tell: a value not positive, fewer than 3 seasons, seasons too short to
    have a spread, or means within LEVEL_RATIO of each other.
    """
    y = np.asarray(y, dtype=np.float64)
    count = len(y) // season
    if count < 3 or season < 3 or np.min(y) <= 0:
        return None
    rows = y[len(y) - count * season:].reshape(count, season)
    means = rows.mean(axis=1)
    t = np.arange(season) - (season - 1) / 2
    slopes = rows @ t / (t @ t)
    spreads = np.std(rows - means[:, None] - slopes[:, None] * t, axis=1)
    if means.max() < LEVEL_RATIO * means.min() or np.any(spreads <= 0):
        return None
    return float(np.polyfit(np.log(means), np.log(spreads), 1)[0])


def auto_transform(y_train: np.ndarray, season: int | None, season_problem: str | None = None) -> Transform:
    """``auto``, decided on the training part alone, with its reason in words.

    A seasonal difference when a season is known (given or detected), usable (no
    ``season_problem``) and dominant (see SEASONAL_SHARE), with the log first when the swings
    grow with the level (see SWING_ELASTICITY); otherwise the first difference when the
    training part trends, else none.
    """
    fallback = "diff" if has_trend(y_train) else "none"
    trend = "the training part trends" if fallback == "diff" else "the training part shows no trend"
    if season_problem or not season:
        why = f"no seasonal difference: {season_problem or 'no season known'}"
        return make_transform(fallback, reason=f"auto chose {fallback}: {trend}; {why}")
    share = seasonal_share(y_train, season)
    dominance = (f"the seasonal difference over {season} steps keeps {share:.0%} of the first "
                 f"difference's variance")
    if share >= SEASONAL_SHARE:
        return make_transform(fallback, reason=(f"auto chose {fallback}: {trend}; the season does not "
                                                f"dominate: {dominance} (not under {SEASONAL_SHARE:.0%})"))
    elasticity = swing_elasticity(y_train, season)
    grows = elasticity is not None and elasticity >= SWING_ELASTICITY
    name = "log_sdiff" if grows else "sdiff"
    swings = (f"the swings grow with the level (elasticity {elasticity:.2f}, at least {SWING_ELASTICITY})"
              if grows else "the swings do not clearly grow with the level")
    return make_transform(name, season, reason=(f"auto chose {name}: the season dominates: {dominance} "
                                                f"(under {SEASONAL_SHARE:.0%}); {swings}"))
