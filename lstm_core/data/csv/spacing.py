"""How far apart the times of a series are: the usual step, the steps that differ, the gaps.

Steps are measured in the unit that suits the times: calendar months for times on month starts
(or ends), business days for weekday-only dates, plain durations otherwise. An LSTM assumes
equal steps, so irregular spacing is reported and can be resampled away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from lstm_core.errors import ConfigError, DataError

_DAY = pd.Timedelta(days=1)
_NAMED_DURATIONS = {
    _DAY: "daily",
    7 * _DAY: "weekly",
    pd.Timedelta(hours=1): "hourly",
    pd.Timedelta(minutes=1): "every minute",
    pd.Timedelta(seconds=1): "every second",
}
_NAMED_MONTHS = {1: "monthly", 3: "quarterly", 12: "yearly"}


@dataclass(frozen=True)
class Spacing:
    """The usual step between consecutive (sorted, distinct) times and how many steps differ."""

    step: pd.DateOffset
    label: str  # "daily", "monthly", "every 15 minutes", ...
    steps: int  # intervals between consecutive times
    irregular: int  # intervals that are not one usual step
    missing: int | None  # usual steps absent inside the range (None: times off the step's grid)
    largest_gap: tuple[pd.Timestamp, pd.Timestamp]

    @property
    def regular(self) -> bool:
        return self.irregular == 0

    def describe(self) -> str:
        if self.regular:
            return self.label
        start, end = (t.strftime("%Y-%m-%d %H:%M").removesuffix(" 00:00") for t in self.largest_gap)
        missing = f", {self.missing} step(s) missing" if self.missing else ""
        return (f"irregular, mostly {self.label}: {self.irregular} of {self.steps} steps differ"
                f"{missing}; the largest gap runs from {start} to {end}")


def spacing_of(times: pd.DatetimeIndex) -> Spacing | None:
    """The spacing of sorted, distinct ``times``; None for fewer than two."""
    if len(times) < 2:
        return None
    units, one, label = _steps(times)
    usual = int(pd.Series(units).mode().iloc[0])
    widest = int(np.argmax(np.diff(times.to_numpy())))
    return Spacing(
        step=one * usual,
        label=label or _month_label(usual),
        steps=len(units),
        irregular=int((units != usual).sum()),
        missing=_missing_steps(units, usual, len(times)),
        largest_gap=(times[widest], times[widest + 1]),
    )


def _missing_steps(units: np.ndarray, usual: int, count: int) -> int | None:
    """How many points of the regular grid from the first time to the last, every ``usual``
    units, the ``count`` times lack; None when a time falls off that grid. Counted from the
    positions of the times, never by building the grid: 32 times spanning ten thousand years
    cost no more than 32 times spanning a day."""
    positions = np.concatenate([[0], np.cumsum(units)])
    if not np.allclose(positions / usual, np.round(positions / usual), rtol=0, atol=1e-6):
        return None
    return int(round(positions[-1] / usual)) + 1 - count


def _steps(times: pd.DatetimeIndex) -> tuple[np.ndarray, pd.DateOffset, str | None]:
    """Each interval counted in one unit of the right kind, that unit's offset, and a label.

    The unit is a calendar month for times on month starts or ends (label None: it depends on
    the usual number of months), a business day for weekday-only dates with weekend gaps, and
    otherwise the most common interval itself.
    """
    at_midnight = bool((times == times.normalize()).all())
    if at_midnight and (bool((times.day == 1).all()) or bool(times.is_month_end.all())):
        one = pd.offsets.MonthBegin(1) if times[0].day == 1 else pd.offsets.MonthEnd(1)
        return np.diff(times.year * 12 + times.month), one, None
    deltas = pd.TimedeltaIndex(np.diff(times.to_numpy()))
    usual = pd.Series(deltas).mode().iloc[0]
    if usual == _DAY and at_midnight and bool((times.day_of_week < 5).all()) and (deltas > _DAY).any():
        days = times.to_numpy().astype("datetime64[D]")
        return np.busday_count(days[:-1], days[1:]), pd.offsets.BDay(1), "business days"
    return (deltas / usual).to_numpy(), to_offset(usual), _duration_label(usual)


def _month_label(months: int) -> str:
    return _NAMED_MONTHS.get(months, f"every {months} months")


def _duration_label(delta: pd.Timedelta) -> str:
    if delta in _NAMED_DURATIONS:
        return _NAMED_DURATIONS[delta]
    for unit, size in (("day", _DAY), ("hour", pd.Timedelta(hours=1)), ("minute", pd.Timedelta(minutes=1)),
                       ("second", pd.Timedelta(seconds=1))):
        if delta % size == pd.Timedelta(0):
            return f"every {delta // size} {unit}s"
    return f"every {delta}"


def resample_step(frequency: str, spacing: Spacing | None) -> tuple[pd.DateOffset, str]:
    """The offset to resample to and its label: 'auto' is the usual step of the data."""
    if frequency == "auto":
        if spacing is None:
            raise DataError("resampling to the usual step needs at least two distinct times")
        return spacing.step, spacing.label
    try:
        step = to_offset(frequency)
    except ValueError:
        raise ConfigError(
            f"resample must be 'auto' or a pandas frequency such as D, W, MS, h; got {frequency!r}"
        ) from None
    try:
        length = _nominal(step)
    except (OverflowError, ValueError):  # pandas' out-of-bounds errors are ValueErrors
        raise ConfigError(f"resample step {frequency!r} is longer than any calendar can hold: "
                          "choose a shorter step, such as D, W, MS, h") from None
    if length <= pd.Timedelta(0):
        raise ConfigError(f"resample needs a step forward in time, such as D, W, MS, h; got {frequency!r}")
    return step, f"'{frequency}'"


def resampled_rows(start: pd.Timestamp, end: pd.Timestamp, step: pd.DateOffset) -> int:
    """About how many rows resampling ``start`` .. ``end`` to ``step`` makes (exact for fixed
    durations), worked out without resampling."""
    return int((end - start) // _nominal(step)) + 1


def _nominal(step: pd.DateOffset) -> pd.Timedelta:
    """The step's length: its duration, or for calendar steps (months, weeks) the mean length of
    a dozen of them."""
    if isinstance(step, pd.offsets.Tick):
        return pd.Timedelta(step)
    reference = pd.Timestamp("2000-01-01")
    return (reference + 12 * step - reference) / 12
