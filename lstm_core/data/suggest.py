"""Settings that suit a new series: a window that spans its season, clamped so training can start,
and a horizon that its test part can score.

The bundled examples carry their window and transform, found by hand; an uploaded file gets
these instead; both get the horizon (a horizon set for other data, 600 steps of a long sine,
would otherwise carry over to 144 months). The season is found on the training part only, as
the seasonal baselines find it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.season import detect_season
from lstm_core.data.series import Series
from lstm_core.data.windows import MIN_TRAIN_WINDOWS, Split, choose_split

# Without a season, the window spans this share of the training part.
SHARE_WITHOUT_SEASON = 0.1
# At most this share of the training part, so that most of it still gives training windows.
LONGEST_SHARE = 0.3
# The horizon: this many seasons, or without a season the settings' default horizon; never more
# than the test part, over which the rollout shows how the error grows with it.
HORIZON_SEASONS = 2
DEFAULT_HORIZON = ExperimentConfig().horizon


@dataclass(frozen=True)
class Suggestion:
    """The settings proposed for a series, and the season they come from (None: none found)."""

    window: int
    season_length: int
    season: int | None
    horizon: int

    @property
    def settings(self) -> dict[str, int]:
        return {"window": self.window, "season_length": self.season_length, "horizon": self.horizon}

    def describe(self) -> str:
        found = f"a season of {self.season} steps" if self.season else "no season"
        return (f"settings that fit this series applied: window {self.window}, season length "
                f"{self.season_length or 'detected'} ({found} found in the training part), horizon "
                f"{self.horizon} steps")


def suggest_settings(series: Series, config: ExperimentConfig) -> Suggestion:
    """A window from the training part's season (or a tenth of it), clamped so training can start
    with ``config``'s split; the season as the seasonal baseline's season length; and a horizon
    of two seasons (or the default), at most the test part."""
    _, split = choose_split(series.values, config)
    train_rows = split.train_end
    season = detect_season(series.values[:train_rows])
    wanted = season or round(train_rows * SHARE_WITHOUT_SEASON)
    longest = min(round(train_rows * LONGEST_SHARE), train_rows - MIN_TRAIN_WINDOWS)
    return Suggestion(max(1, min(wanted, longest)), season or 0, season, _horizon(split, season))


def suggest_horizon(series: Series, config: ExperimentConfig) -> int:
    """Two seasons of the training part (without one, the default horizon), at most the test part
    of ``config``'s split."""
    _, split = choose_split(series.values, config)
    return _horizon(split, detect_season(series.values[:split.train_end]))


def _horizon(split: Split, season: int | None) -> int:
    test_rows = split.rows - split.val_end
    return max(1, min(HORIZON_SEASONS * season if season else DEFAULT_HORIZON, test_rows))
