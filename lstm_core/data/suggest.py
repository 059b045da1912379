"""Settings that suit a new series: a window that spans its season, clamped so training can start.

The bundled examples carry settings found by hand; an uploaded file gets these instead. The
season is found on the training part only, as the seasonal baselines find it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.season import detect_season
from lstm_core.data.series import Series
from lstm_core.data.windows import MIN_TRAIN_WINDOWS, choose_split

# Without a season, the window spans this share of the training part.
SHARE_WITHOUT_SEASON = 0.1
# At most this share of the training part, so that most of it still gives training windows.
LONGEST_SHARE = 0.3


@dataclass(frozen=True)
class Suggestion:
    """The settings proposed for a series, and the season they come from (None: none found)."""

    window: int
    season_length: int
    season: int | None

    @property
    def settings(self) -> dict[str, int]:
        return {"window": self.window, "season_length": self.season_length}

    def describe(self) -> str:
        found = f"a season of {self.season} steps" if self.season else "no season"
        return (f"settings that fit this series applied: window {self.window}, season length "
                f"{self.season_length or 'detected'} ({found} found in the training part)")


def suggest_settings(series: Series, config: ExperimentConfig) -> Suggestion:
    """A window from the training part's season (or a tenth of it), clamped so training can start
    with ``config``'s split, and the season as the seasonal baseline's season length."""
    _, split = choose_split(series.values, config)
    train_rows = split.train_end
    season = detect_season(series.values[:train_rows])
    wanted = season or round(train_rows * SHARE_WITHOUT_SEASON)
    longest = min(round(train_rows * LONGEST_SHARE), train_rows - MIN_TRAIN_WINDOWS)
    return Suggestion(max(1, min(wanted, longest)), season or 0, season)
