"""Windows and the chronological split: what the model sees, and what it must never see.

:func:`prepare` turns a :class:`Series` into :class:`WindowedData`: the target transformed,
a scaler fitted on the training part only, and windows of ``window`` past steps (target
first, then any feature columns) labelled with the next target value. Each window belongs
to the part (train / validation / test) that its label falls in, so no test value is ever
a training label or shapes the scaler.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.season import detect_season
from lstm_core.data.series import Series
from lstm_core.data.transforms import SEASONAL, Transform, auto_transform, make_transform
from lstm_core.errors import ConfigError

if TYPE_CHECKING:
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

MIN_TRAIN_WINDOWS = 10
# The most values all windows together may hold (windows × window × columns): 160 MB as float64,
# about what a model reading them copies; a million rows with a window of 20 fit.
MAX_WINDOW_VALUES = 20_000_000
_WINDOWS = ("X_train", "X_val", "X_test")


def sliding_windows(matrix: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``matrix[j - window:j]`` and label ``matrix[j, 0]`` for every j >= window.

    ``matrix`` is (rows, columns) with the target in column 0; returns X of shape
    (rows - window, window, columns) and y of shape (rows - window,). X is a read-only view
    of ``matrix`` (no copy: the windows cost no memory of their own until a model reads them).
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim == 1:
        matrix = matrix[:, None]
    if len(matrix) <= window:
        return np.empty((0, window, matrix.shape[1])), np.empty(0)
    views = np.lib.stride_tricks.sliding_window_view(matrix[:-1], window, axis=0)
    return views.transpose(0, 2, 1), matrix[window:, 0].copy()


@dataclass(frozen=True)
class Split:
    """Chronological split of ``rows`` rows: [0, train_end) train, then validation, then test.

    ``problem`` says why the settings cannot be trained on (a seasonal transform that does not
    fit): :func:`check_fits` raises it, so a preview shows it where training would refuse.
    """

    rows: int
    train_end: int
    val_end: int
    problem: str | None = None

    @classmethod
    def of(cls, rows: int, val_share: float, test_share: float) -> Split:
        val_end = rows - max(1, round(rows * test_share))
        train_end = val_end - round(rows * val_share)
        return cls(rows, train_end, val_end)


def make_scaler(name: str) -> MinMaxScaler | StandardScaler:
    # imported here: scikit-learn takes a second to import, and the first page needs none of it
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    return MinMaxScaler() if name == "minmax" else StandardScaler()


@dataclass
class WindowedData:
    """Everything the model and the evaluation need, with the time of every label.

    ``*_times`` index into the original series: label ``y_test[k]`` is the scaled,
    transformed value at time ``test_times[k]``.
    """

    series: Series
    window: int
    transform: Transform
    scaler: MinMaxScaler | StandardScaler
    split: Split
    scaled: np.ndarray
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    train_times: np.ndarray
    val_times: np.ndarray
    test_times: np.ndarray
    phase_season: int | None = None  # the season whose phase the last two columns give, if any

    def __getstate__(self) -> dict:
        """Pickled (a result coming back from a worker) without its windows: they are views of
        ``scaled``, rebuilt on arrival at no cost, where a copy would weigh window times more."""
        return {name: value for name, value in self.__dict__.items() if name not in _WINDOWS}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        X, _ = sliding_windows(self.scaled, self.window)
        train, val = len(self.y_train), len(self.y_val)
        self.X_train, self.X_val, self.X_test = X[:train], X[train:train + val], X[train + val:]

    @property
    def n_features(self) -> int:
        return self.scaled.shape[1]

    @property
    def levels(self) -> np.ndarray:
        return self.series.values

    @property
    def train_end_time(self) -> int:
        """First time index after the training part, in the original series."""
        return self.split.train_end + self.transform.offset

    @property
    def test_start_time(self) -> int:
        return self.split.val_end + self.transform.offset

    def unscale_target(self, scaled_target: np.ndarray) -> np.ndarray:
        """Scaled model outputs back to the transformed target's units (any array shape)."""
        scaled = np.asarray(scaled_target, dtype=np.float64)
        columns = np.zeros((scaled.size, self.n_features))
        columns[:, 0] = scaled.reshape(-1)
        return self.scaler.inverse_transform(columns)[:, 0].reshape(scaled.shape)

    def to_levels(self, scaled_pred: np.ndarray, times: np.ndarray) -> np.ndarray:
        """One-step predictions (scaled) for labels at ``times`` back to original units."""
        z = self.unscale_target(np.asarray(scaled_pred, dtype=np.float64).reshape(-1))
        return self.transform.inverse_one_step(z, self.levels, np.asarray(times))

    def targets_ahead(self, part: str, steps: int) -> np.ndarray:
        """The labels of a part's windows ("train", "val" or "test") with the ``steps - 1`` values
        after each: (windows, steps), scaled and transformed. A value past the part's end is NaN,
        so no window learns from a later part (the loss of a direct model skips them); the first
        column is the part's ``y``."""
        train, val = len(self.y_train), len(self.y_val)
        start, count, end = {"train": (self.window, train, self.split.train_end),
                             "val": (self.window + train, val, self.split.val_end),
                             "test": (self.window + train + val, len(self.y_test), len(self.scaled))}[part]
        rows = start + np.arange(count)[:, None] + np.arange(steps)[None]
        ahead = np.full(rows.shape, np.nan)
        inside = rows < end
        ahead[inside] = self.scaled[rows[inside], 0]
        return ahead

    def future_features(self, steps: int) -> np.ndarray:
        """The feature columns of the ``steps`` rows past the end, scaled: (steps, columns - 1).
        A given feature, which nothing forecasts, is held at its last value; the season's phase,
        where the network is given it, goes on as the calendar does."""
        rows = np.repeat(self.scaled[-1:, 1:], steps, axis=0)
        if self.phase_season:
            raw = np.zeros((steps, self.n_features))
            raw[:, -2:] = phase_columns(len(self.levels) + np.arange(steps), self.phase_season)
            rows[:, -2:] = self.scaler.transform(raw)[:, -2:]
        return rows

    def last_window(self, end_time: int | None = None) -> np.ndarray:
        """The ``window`` scaled rows before time ``end_time`` (default: past the end)."""
        end_row = len(self.scaled) if end_time is None else end_time - self.transform.offset
        return self.scaled[end_row - self.window:end_row]

    def describe(self) -> str:
        """Which indices are inputs and labels, in the spirit of a window generator's repr."""
        w = self.window
        return (
            f"window: inputs are {w} consecutive steps (t-{w} .. t-1) of "
            f"{self.n_features} column(s), the label is the target at step t\n"
            f"transform: {self.transform.name}; scaler fitted on the first "
            f"{self.split.train_end} rows only\n"
            f"windows: {len(self.y_train)} train, {len(self.y_val)} validation, "
            f"{len(self.y_test)} test (labels at times {self.test_times[0]}..{self.test_times[-1]})"
        )


def season_for(values: np.ndarray, config: ExperimentConfig) -> int | None:
    """The season length given in the settings, else the one detected on the training part."""
    return config.season_length or detect_season(values[: Split.of(len(values), config.val_share,
                                                                   config.test_share).train_end])


def phase_columns(times: np.ndarray, season: int) -> np.ndarray:
    """Where each of ``times`` stands in the season, as a sine and a cosine: (len(times), 2). Two
    columns, so that the last step of a season sits next to the first, as on a clock."""
    angle = 2 * np.pi * (np.asarray(times) % season) / season
    return np.column_stack([np.sin(angle), np.cos(angle)])


def input_season(values: np.ndarray, config: ExperimentConfig) -> int | None:
    """The season whose phase the network is given as two more inputs (``season_inputs`` phase,
    and a season known); None otherwise."""
    return season_for(values, config) if config.season_inputs == "phase" else None


def input_columns(series: Series, config: ExperimentConfig) -> int:
    """The columns of every window: the target, the given features, and the phase's two."""
    return 1 + len(series.feature_names) + (2 if input_season(series.values, config) else 0)


def choose_split(values: np.ndarray, config: ExperimentConfig) -> tuple[Transform, Split]:
    """The transform (``auto`` and the season decided on the training part alone) and the split
    of its rows. A seasonal transform named in the settings that cannot be used comes back as
    none, with the reason in the split's ``problem``."""
    first = Split.of(len(values), config.val_share, config.test_share)
    train = values[: first.train_end]
    season = season_for(values, config)
    problem = season_problem(len(values), len(train), season, config)
    if config.transform == "auto":
        transform = auto_transform(train, season, problem)
    elif config.transform in SEASONAL and problem:
        refused = f"the transform {config.transform} cannot be used: {problem}"
        return Transform(), replace(first, problem=refused)
    else:
        transform = make_transform(config.transform, season)
    split = Split.of(len(values) - transform.offset, config.val_share, config.test_share)
    return transform.fit(values[: split.train_end + transform.offset]), split


def season_problem(length: int, train_length: int, season: int | None,
                   config: ExperimentConfig) -> str | None:
    """Why a seasonal difference cannot be used here, or None: it needs a season, two of them in
    the training part, and after the first season enough training rows for MIN_TRAIN_WINDOWS."""
    if not season:
        return "no season was detected in the training part (a season length can be given)"
    if 2 * season > train_length:
        return (f"the training part ({train_length} samples) holds fewer than two seasons of "
                f"{season} steps")
    rows = Split.of(length - season, config.val_share, config.test_share).train_end
    if rows - config.window < MIN_TRAIN_WINDOWS:
        return (f"after its first season of {season} steps the training part keeps {rows} rows, "
                f"too few for a window of {config.window} and {MIN_TRAIN_WINDOWS} training windows: "
                "use a shorter window or more data")
    return None


def prepare(series: Series, config: ExperimentConfig) -> WindowedData:
    """Transform, split, scale (on the training part only) and window ``series``."""
    window = config.window
    check_window_size(len(series), window, input_columns(series, config), config.outputs)
    transform, split = choose_split(series.values, config)
    check_fits(split, window, len(series))
    matrix = series.matrix()
    if phase := input_season(series.values, config):
        matrix = np.column_stack([matrix, phase_columns(np.arange(len(matrix)), phase)])
    matrix = matrix[transform.offset:].copy()
    matrix[:, 0] = transform.forward(series.values)

    scaler = make_scaler(config.scaler).fit(matrix[: split.train_end])
    scaled = scaler.transform(matrix)
    X, y = sliding_windows(scaled, window)
    times = np.arange(window, len(scaled)) + transform.offset
    # Labels are in time order, so each part is one run of them: slices keep X a view.
    train, val = split.train_end - window, split.val_end - window
    parts = [slice(0, train), slice(train, val), slice(val, None)]
    return WindowedData(
        series=series, window=window, transform=transform, scaler=scaler, split=split,
        scaled=scaled,
        X_train=X[parts[0]], y_train=y[parts[0]],
        X_val=X[parts[1]], y_val=y[parts[1]],
        X_test=X[parts[2]], y_test=y[parts[2]],
        train_times=times[parts[0]], val_times=times[parts[1]], test_times=times[parts[2]],
        phase_season=phase,
    )


def check_window_size(rows: int, window: int, columns: int, ahead: int = 1) -> None:
    """Refuse windows whose values together (windows × window × columns, and windows × ``ahead``
    targets for a direct model) pass :data:`MAX_WINDOW_VALUES`, before any is built; checked
    where a training is prepared and where a run is imported."""
    windows = max(rows - window, 0)
    targets = windows * ahead if ahead > 1 else 0
    values = windows * window * columns + targets
    if values > MAX_WINDOW_VALUES:
        also = f" and {targets:,} targets ahead" if targets else ""
        raise ConfigError(
            f"the windows would hold {values:,} values ({windows:,} windows of {window} steps × "
            f"{columns} column(s){also}), over the limit of {MAX_WINDOW_VALUES:,}: use a shorter "
            f"window, {'a shorter horizon, ' if targets else ''}fewer feature columns or fewer rows "
            "(a shorter series, or resampled to a longer step)"
        )


def check_fits(split: Split, window: int, length: int) -> None:
    """Refuse the split's problem, a window too long for the training part, or a test part too
    small to score."""
    if split.problem:
        raise ConfigError(split.problem)
    train_rows = split.train_end
    if train_rows - window < MIN_TRAIN_WINDOWS:
        longest = train_rows - MIN_TRAIN_WINDOWS
        advice = (f"use a window of at most {longest}" if longest >= 1
                  else "use a longer series")
        raise ConfigError(
            f"the window ({window} steps) is too long for the training part ({train_rows} of "
            f"{length} samples): {advice}, or give more data to training"
        )
    if split.rows - split.val_end < 2:
        raise ConfigError("the test part holds fewer than 2 samples: raise test_share or use more data")
