"""Series: the data every experiment starts from, and the generators that make one.

Every generator is deterministic for a given ``data_seed`` and describes its parameters
(:class:`Param`) so that the command line, the pages and the config validation all read
the same names, defaults, bounds and help texts from one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lstm_core.config.checks import checked_choice, checked_number, quoted
from lstm_core.errors import ConfigError, DataError

# The largest magnitude a series may hold. Errors are squared and summed: with values up to 1e100,
# (2e100)² summed over a million points is 4e206, far below float64's limit of 1.8e308, so
# errors stay finite even for predictions that overshoot the data by many orders of magnitude
# (at 1e150 the sum would be 4e306, a factor 45 from overflowing); no real data come near 1e100.
MAX_MAGNITUDE = 1e100


@dataclass
class Series:
    """A univariate target with optional timestamps and extra feature columns.

    ``report`` holds what loading did to the data (a CSV load report), or None for
    generated data.
    """

    values: np.ndarray
    name: str = "value"
    timestamps: pd.DatetimeIndex | None = None
    features: pd.DataFrame | None = None
    report: Any = None

    def __post_init__(self) -> None:
        self.values = np.asarray(self.values, dtype=np.float64).reshape(-1)
        n = len(self.values)
        if n == 0:
            raise DataError("the series is empty")
        if not np.all(np.isfinite(self.values)):
            raise DataError(f"the series '{self.name}' holds missing or infinite values")
        if self.timestamps is not None and len(self.timestamps) != n:
            raise DataError("timestamps and values differ in length")
        if self.features is not None:
            if len(self.features) != n:
                raise DataError("feature columns and values differ in length")
            if not np.all(np.isfinite(self.features.to_numpy(dtype=np.float64))):
                raise DataError("the feature columns hold missing or infinite values")
        for name, column in [(self.name, self.values), *self._feature_columns()]:
            _refuse_huge(name, column)

    def _feature_columns(self) -> list[tuple[str, np.ndarray]]:
        if self.features is None:
            return []
        return [(str(name), column.to_numpy(dtype=np.float64)) for name, column in self.features.items()]

    def __len__(self) -> int:
        return len(self.values)

    @property
    def feature_names(self) -> list[str]:
        return [] if self.features is None else [str(c) for c in self.features.columns]

    def matrix(self) -> np.ndarray:
        """Target first, then the features: shape (n, 1 + n_features)."""
        if self.features is None:
            return self.values[:, None]
        return np.column_stack([self.values, self.features.to_numpy(dtype=np.float64)])


def _refuse_huge(name: str, values: np.ndarray) -> None:
    """Refuse values too large to square (see :data:`MAX_MAGNITUDE`)."""
    peak = values[np.argmax(np.abs(values))]
    if abs(peak) > MAX_MAGNITUDE:
        raise DataError(f"the values of '{name}' reach {peak:.3g}, too large to compute errors with: "
                        "rescale the column (divide it by a power of ten) before loading it")


@dataclass(frozen=True)
class Param:
    """One generator parameter: its default, bounds and a one-line help text.

    A parameter with ``items`` is a list of numbers written as text ("50,20,7"), of at most
    ``items`` values, each within ``minimum`` and ``maximum``.
    """

    name: str
    default: int | float | str
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    items: int | None = None

    @property
    def kind(self) -> type:
        return type(self.default)

    def coerce(self, value: Any) -> int | float | str:
        """Convert ``value`` (or its text) to this parameter's type and check its bounds."""
        if self.kind in (int, float):
            return checked_number(self.name, value, self.minimum, self.maximum, whole=self.kind is int,
                                  text=True)
        if self.choices is not None:
            return checked_choice(self.name, str(value), self.choices)
        if self.items is not None:
            self.numbers(value)
        return str(value)

    def numbers(self, value: Any) -> np.ndarray:
        """The numbers of a list parameter's text, checked; their count before any is converted."""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ConfigError(f"{self.name} must be numbers separated by commas, got {quoted(value)}")
        written = [item for item in str(value).split(",") if item.strip()]
        if self.items is not None and len(written) > self.items:
            raise ConfigError(f"{self.name} holds {len(written):,} values, more than the {self.items} "
                              "allowed")
        try:
            numbers = np.array([float(item) for item in written])
        except ValueError:
            numbers = np.array([np.nan])
        if numbers.size == 0 or not np.all(np.isfinite(numbers)):
            raise ConfigError(f"{self.name} must be numbers separated by commas, got {quoted(value)}")
        low = -np.inf if self.minimum is None else self.minimum
        high = np.inf if self.maximum is None else self.maximum
        outside = numbers[(numbers < low) | (numbers > high)]
        if outside.size:
            raise ConfigError(f"every value of {self.name} must be between {low:g} and {high:g}, "
                              f"got {outside[0]:g}")
        return numbers


@dataclass(frozen=True)
class Generator:
    """A series generator. ``check``, when given, refuses parameters that are valid one by one
    but not together (it gets them resolved, by name)."""

    name: str
    description: str
    params: tuple[Param, ...]
    make: Callable[..., np.ndarray] = field(repr=False)
    check: Callable[..., None] | None = field(default=None, repr=False)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def resolve(self, params: dict[str, Any]) -> dict[str, Any]:
        """Defaults overlaid with ``params``, every value coerced and checked, alone and together.

        The one place a generator's parameters are checked: the config's validation (and so
        links, imported settings and the command line) and :func:`generate` all come here.
        """
        known = {p.name: p for p in self.params}
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise ConfigError(
                f"the '{self.name}' generator has no parameter {', '.join(unknown)}; "
                f"it takes {', '.join(known)}"
            )
        merged = self.defaults() | params
        resolved = {name: known[name].coerce(value) for name, value in merged.items()}
        if self.check is not None:
            self.check(**resolved)
        return resolved


MAX_LENGTH = 200_000

_LENGTH = Param("length", 1000, "number of samples", 10, MAX_LENGTH)
_PERIOD = Param("period", 50.0, "samples per cycle (sin(t) with t step 0.1: 62.83)", 2.0, 1e6)
_AMPLITUDE = Param("amplitude", 1.0, "height of the wave above its centre", 0.0, 1e6)
_NOISE = Param("noise", "gaussian", "kind of noise added", choices=("gaussian", "uniform", "none"))
_NOISE_LEVEL = Param(
    "noise_level", 0.1, "Gaussian: standard deviation; uniform: half-width (±)", 0.0, 1e6
)
_SEED = Param("data_seed", 0, "seed of the noise: the same seed gives the same series", 0, 2**31 - 1)
_WAVE = (_LENGTH, _PERIOD, _AMPLITUDE, _NOISE, _NOISE_LEVEL, _SEED)


def _noise(rng: np.random.Generator, n: int, noise: str, level: float) -> np.ndarray:
    if noise == "gaussian":
        return rng.normal(0.0, level, n)
    if noise == "uniform":
        return rng.uniform(-level, level, n)
    return np.zeros(n)


def _phase(length: int, period: float) -> np.ndarray:
    """Position within the cycle, 0..1, for every sample."""
    return (np.arange(length) / period) % 1.0


def _sine(length, period, amplitude, noise, noise_level, data_seed):
    t = np.arange(length)
    clean = amplitude * np.sin(2 * np.pi * t / period)
    return clean + _noise(np.random.default_rng(data_seed), length, noise, noise_level)


def _square(length, period, amplitude, noise, noise_level, data_seed):
    clean = np.where(_phase(length, period) < 0.5, amplitude, -amplitude)
    return clean + _noise(np.random.default_rng(data_seed), length, noise, noise_level)


def _sawtooth(length, period, amplitude, noise, noise_level, data_seed):
    clean = amplitude * (2 * _phase(length, period) - 1)
    return clean + _noise(np.random.default_rng(data_seed), length, noise, noise_level)


MAX_WAVES = 50
# The most sine values multi_sine computes (length x waves): 200,000 samples of 25 waves, 100,000
# of all 50; about 0.2 s, and memory of a few copies of the series (one wave at a time).
MAX_WAVE_VALUES = 5_000_000
_PERIODS = Param("periods", "50,20,7", "periods of the waves, comma separated", 2.0, 1e6, items=MAX_WAVES)
_AMPLITUDES = Param("amplitudes", "1,0.5,0.25", "amplitude of each wave, comma separated", -1e6, 1e6,
                    items=MAX_WAVES)


def _check_multi_sine(length, periods, amplitudes, **_):
    waves, heights = len(_PERIODS.numbers(periods)), len(_AMPLITUDES.numbers(amplitudes))
    if waves != heights:
        raise ConfigError(f"periods has {waves} values but amplitudes has {heights}: give one each")
    if length * waves > MAX_WAVE_VALUES:
        raise ConfigError(f"{waves} waves of {length:,} samples are {length * waves:,} values to "
                          f"compute, more than the {MAX_WAVE_VALUES:,} a series may take: use fewer "
                          f"waves or a shorter length")


def _multi_sine(length, periods, amplitudes, noise, noise_level, data_seed):
    t = np.arange(length)
    clean = np.zeros(length)
    for period, amplitude in zip(_PERIODS.numbers(periods), _AMPLITUDES.numbers(amplitudes), strict=True):
        clean += amplitude * np.sin(2 * np.pi * t / period)
    return clean + _noise(np.random.default_rng(data_seed), length, noise, noise_level)


def _trend_seasonal(length, level, slope, period, amplitude, mode, noise, noise_level, data_seed):
    t = np.arange(length)
    trend = level + slope * t
    season = np.sin(2 * np.pi * t / period)
    if mode == "multiplicative":
        clean = trend * (1 + (amplitude / level) * season)
    else:
        clean = trend + amplitude * season
    return clean + _noise(np.random.default_rng(data_seed), length, noise, noise_level)


def _check_trend_seasonal(level, mode, **_):
    if mode == "multiplicative" and level <= 0:
        raise ConfigError("multiplicative seasonality needs a positive level")


def _random_walk(length, start, drift, step_std, data_seed):
    steps = np.random.default_rng(data_seed).normal(drift, step_std, length)
    steps[0] = 0.0
    return start + np.cumsum(steps)


GENERATORS: dict[str, Generator] = {
    g.name: g
    for g in (
        Generator("sine", "a sine wave with noise", _WAVE, _sine),
        Generator(
            "trend_seasonal",
            "a straight-line trend with a seasonal wave, added or multiplied",
            (
                Param("length", 600, "number of samples", 10, MAX_LENGTH),
                Param("level", 10.0, "value of the trend at the start", -1e6, 1e6),
                Param("slope", 0.05, "rise of the trend per sample", -1e3, 1e3),
                _PERIOD,
                Param("amplitude", 2.0, "seasonal swing at the start of the series", 0.0, 1e6),
                Param(
                    "mode",
                    "additive",
                    "additive: a constant swing; multiplicative: it grows with the trend",
                    choices=("additive", "multiplicative"),
                ),
                _NOISE,
                Param("noise_level", 0.2, _NOISE_LEVEL.help, 0.0, 1e6),
                _SEED,
            ),
            _trend_seasonal,
            _check_trend_seasonal,
        ),
        Generator(
            "multi_sine",
            "several sine waves summed",
            (_LENGTH, _PERIODS, _AMPLITUDES, _NOISE, _NOISE_LEVEL, _SEED),
            _multi_sine,
            _check_multi_sine,
        ),
        Generator(
            "random_walk",
            "a random walk: each step adds Gaussian noise (and an optional drift)",
            (
                _LENGTH,
                Param("start", 0.0, "first value", -1e6, 1e6),
                Param("drift", 0.0, "mean of each step", -1e3, 1e3),
                Param("step_std", 1.0, "standard deviation of each step", 0.0, 1e6),
                _SEED,
            ),
            _random_walk,
        ),
        Generator("square", "a square wave with noise", _WAVE, _square),
        Generator("sawtooth", "a sawtooth wave with noise", _WAVE, _sawtooth),
    )
}


def generate(kind: str, **params: Any) -> Series:
    """Make a series with generator ``kind``; unknown kinds or bad parameters raise ConfigError."""
    if kind not in GENERATORS:
        raise ConfigError(f"unknown generator '{kind}'; choose one of {', '.join(GENERATORS)}")
    generator = GENERATORS[kind]
    values = generator.make(**generator.resolve(params))
    return Series(values=values, name=kind)
