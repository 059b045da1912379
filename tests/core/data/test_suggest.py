"""The settings proposed for a new series: the window spans its season and training can start."""

from __future__ import annotations

import numpy as np

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.examples import EXAMPLES
from lstm_core.data.series import Series
from lstm_core.data.suggest import suggest_horizon, suggest_settings
from lstm_core.data.windows import prepare


def test_a_monthly_series_gets_its_yearly_season_as_window_and_season_length() -> None:
    found = suggest_settings(EXAMPLES["airline_passengers"].load(), ExperimentConfig())
    assert (found.window, found.season_length, found.season) == (12, 12, 12)
    assert "window 12" in found.describe() and "a season of 12 steps" in found.describe()


def test_a_short_yearly_series_gets_a_window_that_trains() -> None:
    series = Series(np.cumsum(np.random.default_rng(3).normal(size=61)) + 100)
    config = ExperimentConfig()
    assert config.window == 50  # the default would not train on 61 rows
    found = suggest_settings(series, config)
    assert found.season is None and found.season_length == 0
    config.window = found.window
    assert len(prepare(series, config).y_train) >= 10


def test_the_season_is_found_on_the_training_part_only() -> None:
    """A season that starts in the test part alone decides nothing."""
    steps = np.arange(200)
    values = np.where(steps < 140, 0.01 * steps, np.sin(2 * np.pi * steps / 6))
    values = values + np.random.default_rng(0).normal(scale=0.01, size=200)
    assert suggest_settings(Series(values), ExperimentConfig()).season is None


def test_the_horizon_is_two_seasons_within_the_test_part_whatever_was_set_before() -> None:
    config = ExperimentConfig(horizon=600)
    airline = suggest_settings(EXAMPLES["airline_passengers"].load(), config)
    assert airline.horizon == 24 and airline.settings["horizon"] == 24
    assert "horizon 24 steps" in airline.describe()
    walk = Series(np.cumsum(np.random.default_rng(3).normal(size=61)) + 100)
    assert suggest_settings(walk, config).horizon == 12  # no season: the default, cut to 12 test rows
    long_walk = Series(np.cumsum(np.random.default_rng(3).normal(size=5000)))
    assert suggest_horizon(long_walk, config) == ExperimentConfig().horizon
