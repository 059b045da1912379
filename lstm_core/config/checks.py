"""The checks every setting goes through, wherever it comes from: a number within its bounds,
or one of a few choices.

Config validation, link parsing, the command line and the generators' parameters all call
these, so a value is refused with the same sentence everywhere. Imports nothing of lstm_core
but its errors, so the data modules can use it too.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from numbers import Real

from lstm_core.errors import ConfigError


def checked_number(name: str, value: object, low: float | None = None, high: float | None = None, *,
                   whole: bool = False, text: bool = False) -> int | float:
    """``value`` as a number within ``[low, high]`` (a whole one when ``whole``), or ConfigError.

    ``text`` also accepts a number written out ("12", "1e-3"), as links and generator
    parameters give them; a config's own fields must hold numbers.
    """
    numeric = isinstance(value, Real) and not isinstance(value, bool)  # NumPy's numbers too
    try:
        if not (numeric or (text and isinstance(value, str))):
            raise ValueError
        number = float(value)
    except (ValueError, OverflowError):
        raise ConfigError(f"{name} must be a number, got {value!r}") from None
    if whole and math.isfinite(number) and not number.is_integer():
        raise ConfigError(f"{name} must be a whole number, got {value}")
    if not math.isfinite(number) or (low is not None and number < low) or (
            high is not None and number > high):
        raise ConfigError(f"{name} must be {_range(low, high)}, got {value}")
    return int(number) if whole else number


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {low} and {high}"
    if low is not None:
        return f"at least {low}"
    return "a finite number" if high is None else f"at most {high}"


def checked_choice(name: str, value: object, choices: Sequence[str]) -> str:
    """``value`` when it is one of ``choices``, or ConfigError naming them."""
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value  # type: ignore[return-value]


def quoted(value: object, most: int = 60) -> str:
    """``value`` as a refusal quotes it: its repr, cut short when long (a file or a link is anyone's
    text, and a message is one line)."""
    text = repr(value)
    return text if len(text) <= most else text[:most - 1] + "…"


def env_count(name: str, default: int) -> int:
    """A positive whole number from the environment variable ``name``, else ``default``."""
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default
