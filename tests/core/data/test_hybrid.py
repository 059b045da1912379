"""The hybrid transform: a seasonal profile fitted on the training part, taken out, then the
first difference; exact inversion one step at a time and along a path."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series, generate
from lstm_core.data.transforms import Deseasonalised, make_transform, seasonal_profile
from lstm_core.data.windows import prepare
from lstm_core.errors import DataError

SEASON = 12


def monthly(length: int = 144) -> Series:
    return generate("trend_seasonal", length=length, period=SEASON, amplitude=3.0, noise_level=0.3,
                    level=20.0, data_seed=2)


def test_the_profile_of_a_pure_season_plus_a_line_is_the_season() -> None:
    t = np.arange(10 * SEASON)
    season = np.sin(2 * np.pi * t / SEASON) * 3
    profile = seasonal_profile(0.5 * t + 7 + season, SEASON)
    np.testing.assert_allclose(profile, season[:SEASON], atol=1e-9)  # a line leaves no trace
    assert profile.sum() == pytest.approx(0, abs=1e-9)
    odd = seasonal_profile(np.tile([1.0, 4.0, -5.0], 6), 3)
    np.testing.assert_allclose(odd, [1.0, 4.0, -5.0], atol=1e-12)


@pytest.mark.parametrize("name", ["dseason", "log_dseason"])
def test_it_inverts_exactly_one_step_at_a_time_and_along_a_path(name: str) -> None:
    y = monthly().values
    transform = make_transform(name, SEASON).fit(y[:100])
    z = transform.forward(y)
    assert len(z) == len(y) - 1
    times = np.arange(1, len(y))
    np.testing.assert_allclose(transform.inverse_one_step(z, y, times), y[1:], rtol=1e-12)
    np.testing.assert_allclose(transform.inverse_path(z[99:], y[:100]), y[100:], rtol=1e-12)
    paths = np.stack([z[99:], z[99:]])  # several paths at once, as the Monte-Carlo band draws them
    np.testing.assert_allclose(transform.inverse_path(paths, y[:100])[1], y[100:], rtol=1e-12)


def test_it_takes_the_season_out() -> None:
    """What the network learns swings far less than the series' own steps: the season is gone."""
    y = monthly().values
    z = Deseasonalised(SEASON).fit(y[:100]).forward(y)
    assert np.std(z) < 0.4 * np.std(np.diff(y))


def test_the_profile_never_sees_the_test_part_nor_the_validation_part() -> None:
    config = ExperimentConfig(window=12, transform="log_dseason", season_length=SEASON)
    series = monthly()
    data = prepare(series, config)
    changed = series.values.copy()
    changed[data.split.train_end + 1:] *= 1.5  # everything after the training part
    other = prepare(Series(changed), config)
    assert other.transform.fitted() == data.transform.fitted() != {}
    np.testing.assert_array_equal(other.X_train, data.X_train)
    assert data.transform.name == "log_dseason" and data.transform.season == SEASON


def test_a_training_part_under_two_seasons_is_refused_in_words() -> None:
    with pytest.raises(DataError, match="two seasons"):
        Deseasonalised(SEASON).fit(np.arange(20.0))
