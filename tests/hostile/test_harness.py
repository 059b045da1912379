"""The harness measures the child's memory, not the test process it was forked from."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.hostile.harness import MEMORY_CEILING_MB, Case, run_case


def _small_csv(folder: Path) -> Path:
    path = folder / "small.csv"
    path.write_text("value\n" + "\n".join(str(v) for v in range(100)) + "\n")
    return path


def test_a_large_parent_does_not_count_against_the_child(tmp_path: Path) -> None:
    # As a long test run holding TensorFlow would: the parent's resident memory over the ceiling.
    ballast = np.ones(int((MEMORY_CEILING_MB + 200) * 2**20 / 8))
    outcome = run_case(Case("small_csv", "csv", _small_csv), tmp_path)
    assert ballast.sum() > 0
    assert outcome.kind == "accepted", outcome
    assert 0 < outcome.peak_mb < MEMORY_CEILING_MB / 2, outcome

