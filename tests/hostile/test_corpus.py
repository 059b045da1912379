"""Every hostile input of tests/hostile/cases_*.py is refused with a sentence or accepted sanely
(saying what its case expects, where it expects something), in a child process that stays under
the harness's time and memory ceilings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.harness import MEMORY_CEILING_MB, Case, all_cases, run_case

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_input_is_refused_or_accepted_within_bounds(case: Case, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    assert outcome.kind in ("refused", "accepted"), outcome
    assert outcome.peak_mb < MEMORY_CEILING_MB, outcome
    assert case.expect in outcome.message, outcome
