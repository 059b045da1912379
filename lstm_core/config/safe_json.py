"""JSON from outside (an imported config, a run's summary), read within bounds.

Python's ``json`` recurses once per nesting level (100,000 brackets raise RecursionError) and
turns a number of any length into an int (past 4,300 digits, ValueError). :func:`loads` checks
the text's size and nesting depth before parsing, and the length of every number while parsing,
so anything hostile is refused with a :class:`ConfigError` saying why, never another exception.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm_core.errors import ConfigError

MAX_DEPTH = 64  # an LSTM Lab config or summary nests 3 levels deep
MAX_NUMBER_CHARS = 100  # a float64 written out in full takes under 25
_CHUNK = 2**20
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENING, _CLOSING = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)


def loads(text: str | bytes, what: str, max_bytes: int) -> Any:
    """The JSON value in ``text`` (UTF-8 when bytes); ``what`` names it in a refusal ("the config")."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if len(data) > max_bytes:
        raise ConfigError(f"{what} is over {_size(max_bytes)}: it is not one LSTM Lab writes")
    depth = nesting_depth(data)
    if depth > MAX_DEPTH:
        raise ConfigError(f"{what} nests {depth} levels deep, over the {MAX_DEPTH} a JSON file of "
                          "LSTM Lab's may")
    try:
        return json.loads(data.decode("utf-8"), parse_int=_bounded(int), parse_float=_bounded(float))
    except UnicodeDecodeError:
        raise ConfigError(f"{what} is not text (UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{what} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except (ValueError, RecursionError) as exc:  # a number refused by _bounded
        raise ConfigError(f"{what} is not usable JSON: {exc}") from None


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of brackets outside strings, counted in linear time and bounded memory
    (a megabyte at a time), without recursion. A quote opens or closes a string unless an odd
    number of backslashes precedes it."""
    state = _Scan()
    for start in range(0, len(data), _CHUNK):
        state.read(np.frombuffer(data, np.uint8, min(_CHUNK, len(data) - start), start))
    return state.deepest


@dataclass
class _Scan:
    depth: int = 0
    deepest: int = 0
    inside: int = 0  # 1 inside a string
    escaping: int = 0  # 1 when the previous chunk ended on an odd run of backslashes

    def read(self, codes: np.ndarray) -> None:
        positions = np.arange(len(codes), dtype=np.int32)
        last_other = np.maximum.accumulate(np.where(codes != _BACKSLASH, positions, -1 - self.escaping))
        before = np.empty(len(codes), np.int32)  # backslashes just before each byte
        before[0], before[1:] = self.escaping, positions[:-1] - last_other[:-1]
        quotes = (codes == _QUOTE) & (before % 2 == 0)
        outside = (np.cumsum(quotes, dtype=np.int32) + self.inside) % 2 == 0  # a closing quote too
        steps = (np.isin(codes, _OPENING).astype(np.int32) - np.isin(codes, _CLOSING)) * outside
        levels = np.cumsum(steps, dtype=np.int64) + self.depth
        self.deepest = max(self.deepest, int(levels.max()))
        self.depth, self.inside = int(levels[-1]), int(not outside[-1])
        self.escaping = int((len(codes) - 1 - last_other[-1]) % 2)


def _bounded(parse: type) -> Any:
    def parsed(digits: str) -> int | float:
        if len(digits) > MAX_NUMBER_CHARS:
            raise ValueError(f"a number is written with {len(digits)} characters, over "
                             f"{MAX_NUMBER_CHARS}")
        return parse(digits)

    return parsed


def _size(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit:,} bytes"


def dumps(value: Any, **options: Any) -> str:
    """``value`` as strict JSON: a float that is not finite (which ``json`` would write as the
    non-standard NaN or Infinity) becomes null, as a missing figure."""
    return json.dumps(_finite(value), allow_nan=False, **options)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
