"""The running-sum task of the sequence lab: what return_sequences changes, and what carrying the
state means.

Inputs are random 0/1 sequences; the target is their sum. A *many-to-one* model
(``return_sequences=False``) sees only the final sum of sequences of one length L; a
*many-to-many* model (``return_sequences=True`` with a Dense head at every step) learns the
running sum at every step, so it has seen every length from 1 to L.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.config.checks import quoted
from lstm_core.errors import ConfigError

MANY_TO_ONE = "many_to_one"
MANY_TO_MANY = "many_to_many"
KINDS = (MANY_TO_ONE, MANY_TO_MANY)
# The longest sequence typed into the lab: ten times the longest training length (100), and each
# bit is a step of the network on every rerun of the page. Bits written "1, 0, 1" take 3
# characters each: a text longer than 4 per bit holds too many, whatever it holds.
MAX_BITS = 1000
MAX_TEXT_CHARS = 4 * MAX_BITS


@dataclass(frozen=True)
class SumTask:
    inputs: np.ndarray  # (n, length, 1) of 0/1
    running_sum: np.ndarray  # (n, length): the sum so far at every step

    @property
    def total(self) -> np.ndarray:
        return self.running_sum[:, -1]

    def targets(self, kind: str) -> np.ndarray:
        """What a model of ``kind`` learns: the final sum, or the running sum at every step."""
        return self.total[:, None] if kind == MANY_TO_ONE else self.running_sum[:, :, None]


def sum_task(n: int, length: int, seed: int = 0) -> SumTask:
    bits = np.random.default_rng(seed).integers(0, 2, size=(n, length)).astype(np.float32)
    return SumTask(bits[:, :, None], np.cumsum(bits, axis=1))


def parse_bits(text: str) -> np.ndarray:
    """'1,0,1' or '1 0 1' or '101' -> a (1, length, 1) input; anything but 0 and 1 is refused, and
    so is a sequence of more than :data:`MAX_BITS` (a text too long to hold no more is not read)."""
    if len(text) > MAX_TEXT_CHARS:
        raise ConfigError(f"a sequence may hold at most {MAX_BITS:,} bits; this text is "
                          f"{len(text):,} characters long")
    cleaned = text.replace(",", " ").split()
    digits = cleaned if len(cleaned) > 1 else list(text.strip())
    if not digits or any(d not in ("0", "1") for d in digits):
        raise ConfigError(f"type a sequence of 0s and 1s such as 1,0,1; got {quoted(text)}")
    if len(digits) > MAX_BITS:
        raise ConfigError(f"a sequence may hold at most {MAX_BITS:,} bits, got {len(digits):,}")
    return np.array([float(d) for d in digits], dtype=np.float32)[None, :, None]
