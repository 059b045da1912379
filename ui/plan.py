"""What a config will make of a series, worked out without building any window or model.

The pages show these figures live as the knobs move: where the train / validation / test
parts begin, how many windows each holds, whether the window fits. :func:`lstm_core.data.windows.prepare`
does the real work at training time; this shares its split and checks, cheaply enough for every rerun.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.data.windows import check_fits, choose_split
from lstm_core.errors import ConfigError


@dataclass(frozen=True)
class Plan:
    """Parts of the series in its own time indices, and the windows each part labels."""

    length: int
    transform: str
    train_end: int
    test_start: int
    train_windows: int
    val_windows: int
    test_windows: int
    problem: str | None


def plan(series: Series, config: ExperimentConfig) -> Plan:
    """The split and window counts that :func:`prepare` would produce for ``config``."""
    n, window = len(series), config.window
    transform, split = choose_split(series.values, config)
    rows = split.rows
    try:
        check_fits(split, window, n)
        problem = None
    except ConfigError as exc:
        problem = str(exc)
    return Plan(
        length=n,
        transform=transform.name,
        train_end=split.train_end + transform.offset,
        test_start=split.val_end + transform.offset,
        train_windows=max(0, split.train_end - window),
        val_windows=max(0, split.val_end - max(window, split.train_end)),
        test_windows=max(0, rows - max(window, split.val_end)),
        problem=problem,
    )


Axis = np.ndarray | pd.DatetimeIndex


def time_axis(series: Series) -> Axis:
    """The series' timestamps when it has them, else the step numbers 0, 1, ..."""
    return series.timestamps if series.timestamps is not None else np.arange(len(series))


def future_axis(series: Series, steps: int) -> Axis:
    """The ``steps`` positions after the last sample, continuing the series' own spacing."""
    stamps = series.timestamps
    if stamps is None or len(stamps) < 2:
        return np.arange(len(series), len(series) + steps)
    frequency = None
    if len(stamps) >= 3:
        with pd.option_context("future.infer_freq_returns_offset", True):
            frequency = pd.infer_freq(stamps)
    if frequency is not None:
        return pd.date_range(stamps[-1], periods=steps + 1, freq=frequency)[1:]
    spacing = pd.Series(stamps).diff().median()
    return pd.DatetimeIndex([stamps[-1] + spacing * k for k in range(1, steps + 1)])


def forecast_table(series: Series, forecast: np.ndarray) -> pd.DataFrame:
    """The forecast with the time (or step number) of each value, as the CSV download holds it."""
    when = future_axis(series, len(forecast))
    column = "time" if isinstance(when, pd.DatetimeIndex) else "step"
    return pd.DataFrame({column: when, f"forecast_{series.name}": forecast})
