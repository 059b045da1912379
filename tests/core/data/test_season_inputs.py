"""The season's phase as two more inputs: where each step stands in the season, past the end too."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import generate
from lstm_core.data.windows import input_columns, phase_columns, prepare

SEASON = 12


def test_the_phase_is_a_point_on_a_circle_that_comes_back_each_season() -> None:
    phase = phase_columns(np.arange(3 * SEASON), SEASON)
    np.testing.assert_allclose(phase[:SEASON], phase[SEASON:2 * SEASON], atol=1e-12)
    np.testing.assert_allclose(np.hypot(phase[:, 0], phase[:, 1]), 1.0)
    np.testing.assert_allclose(phase[3], [1.0, 0.0], atol=1e-12)  # a quarter of the way round
    assert len({tuple(np.round(row, 9)) for row in phase[:SEASON]}) == SEASON  # each step its own


def test_windows_carry_the_phase_only_when_asked_and_a_season_is_known() -> None:
    series = generate("trend_seasonal", length=144, period=SEASON)
    given = ExperimentConfig(window=6, season_length=SEASON, season_inputs="phase")
    data = prepare(series, given)
    assert data.n_features == input_columns(series, given) == 3 and data.phase_season == SEASON
    assert prepare(series, ExperimentConfig(window=6, season_length=SEASON)).n_features == 1
    no_season = generate("random_walk", length=144)
    blind = ExperimentConfig(window=6, season_inputs="phase")
    assert input_columns(no_season, blind) == prepare(no_season, blind).n_features == 1


def test_the_phase_goes_on_past_the_end_of_the_data() -> None:
    series = generate("trend_seasonal", length=146, period=SEASON)
    data = prepare(series, ExperimentConfig(window=6, season_length=SEASON, season_inputs="phase"))
    ahead = data.future_features(SEASON + 2)
    # the scaled phase of the first step past the end is that of the step one season before it
    back = len(series) - SEASON - data.transform.offset
    np.testing.assert_allclose(ahead[0], data.scaled[back, 1:], atol=1e-9)
    np.testing.assert_allclose(ahead[SEASON], ahead[0], atol=1e-9)
    assert not np.allclose(ahead[1], ahead[0])


@pytest.mark.parametrize("inputs", ["none", "phase"])
def test_a_config_with_season_inputs_validates_and_a_wrong_one_is_refused(inputs: str) -> None:
    ExperimentConfig(season_inputs=inputs).validate()
    with pytest.raises(Exception, match="season_inputs"):
        ExperimentConfig(season_inputs="hour").validate()
