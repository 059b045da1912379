"""The search space of one series: which settings a search tries, each range sized to the series.

Built from the history before the test part alone (its length, and its season found by
:func:`~lstm_core.data.season.detect_season`):

- window: a few lengths up to half the trials' training part, with the season and its
  multiples among them; only those every transform in the space can train with;
- units per layer, one or two layers, dropout, Adam's learning rate (log scale), batch sizes no
  larger than the training part;
- transform: none and diff, log ones for a positive series, the seasonal differences when a
  season is found and two of them fit the trials' training part;
- epochs: the most each trial trains, early stopping (``patience``) ending most sooner.

:meth:`Space.suggest` turns an Optuna trial into an :class:`ExperimentConfig`; :meth:`Space.start`
names the first trial's settings: those a new series gets without a search, so the search
always weighs them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.season import detect_season
from lstm_core.data.series import Series
from lstm_core.data.transforms import SEASONAL, auto_transform
from lstm_core.data.windows import MIN_TRAIN_WINDOWS
from lstm_core.errors import ConfigError, DataError
from lstm_core.search.trial import trial_data

if TYPE_CHECKING:
    import optuna

# Windows tried besides the season and its multiples; the longest spans this share of the
# trials' training part, so that half of it still gives training windows.
WINDOWS = (3, 6, 12, 24, 48, 96)
SEASONS = (1, 2, 3)
LONGEST_SHARE = 0.5
UNITS = (8, 16, 32, 64)
LAYERS = (1, 2)
BATCH_SIZES = (8, 16, 32, 64)
DROPOUT = (0.0, 0.3)  # in steps of DROPOUT_STEP
DROPOUT_STEP = 0.1
LEARNING_RATE = (1e-3, 3e-2)
EPOCHS = 100
LONG_SEASON_WINDOW = 48  # the first trial's longest window where the season is given as the phase
PATIENCE = 10


@dataclass(frozen=True)
class Space:
    """The choices of one search; every trial's settings come from here."""

    season: int | None
    windows: tuple[int, ...]
    transforms: tuple[str, ...]
    batch_sizes: tuple[int, ...]
    units: tuple[int, ...] = UNITS
    layers: tuple[int, ...] = LAYERS
    dropout: tuple[float, float] = DROPOUT
    learning_rate: tuple[float, float] = LEARNING_RATE
    epochs: int = EPOCHS
    patience: int = PATIENCE
    season_inputs: tuple[str, ...] = ("none",)  # with a season: the phase as inputs, or not

    def suggest(self, trial: optuna.Trial, base: ExperimentConfig) -> ExperimentConfig:
        """``base`` (its source, split, scaler and seed) with the trial's choices."""
        layers = trial.suggest_categorical("layers", list(self.layers))
        units = trial.suggest_categorical("units", list(self.units))
        return replace(
            base, source=replace(base.source), units=[units] * layers,
            window=trial.suggest_categorical("window", list(self.windows)),
            dropout=round(trial.suggest_float("dropout", *self.dropout, step=DROPOUT_STEP), 2),
            learning_rate=float(f"{trial.suggest_float('learning_rate', *self.learning_rate, log=True):.3g}"),
            batch_size=trial.suggest_categorical("batch_size", list(self.batch_sizes)),
            transform=trial.suggest_categorical("transform", list(self.transforms)),
            season_length=self.season or 0, epochs=self.epochs, patience=self.patience,
            season_inputs=(trial.suggest_categorical("season_inputs", list(self.season_inputs))
                           if len(self.season_inputs) > 1 else self.season_inputs[0]),
        )

    def start(self, history: Series, base: ExperimentConfig) -> dict[str, Any]:
        """The first trial's parameters: the window nearest the season (or a tenth of the history),
        32 units in one layer, no dropout, the transform ``auto`` picks, Adam at 0.003. A season
        longer than LONG_SEASON_WINDOW steps is given as the phase instead, beside a window of
        that many steps: a first trial on a long series stays quick."""
        wanted = self.season or round(len(history) * 0.1)
        phase = wanted > LONG_SEASON_WINDOW and "phase" in self.season_inputs
        transform = auto_transform(history.values, self.season).name
        return {
            "layers": 1, "units": _nearest(self.units, 32),
            "window": _nearest(self.windows, LONG_SEASON_WINDOW if phase else wanted),
            "dropout": 0.0, "learning_rate": 0.003, "batch_size": _nearest(self.batch_sizes, 32),
            "transform": transform if transform in self.transforms else self.transforms[0],
        } | ({"season_inputs": "phase" if phase else "none"} if len(self.season_inputs) > 1 else {})

    def to_dict(self) -> dict[str, Any]:
        return {name: list(value) if isinstance(value, tuple) else value
                for name, value in vars(self).items()}


def _nearest(choices: tuple, wanted: float):
    return min(choices, key=lambda choice: (abs(choice - wanted), choice))


def search_space(history: Series, base: ExperimentConfig, block: int, epochs: int = EPOCHS,
                 patience: int = PATIENCE) -> Space:
    """The space for ``history`` (the part before the test) and trials scored on its last ``block``
    points; DataError when the history is too short for any window."""
    season = base.season_length or detect_season(history.values)
    transforms = ["none", "diff"] + (["log"] if np.all(history.values > 0) else [])
    if season:
        seasonal = [t for t in SEASONAL if not t.startswith("log") or "log" in transforms]
        transforms += [t for t in seasonal if _fits(history, base, block, t, season, season)]
    probe = replace(base, season_length=season or 0)
    longest = min(_longest(history, probe, block, t) for t in transforms)
    if longest < 1:
        raise DataError(f"the series is too short to search: {len(history)} points before the test "
                        "part leave no training windows; use a longer series")
    wanted = set(WINDOWS) | ({season * k for k in SEASONS} if season else set())
    windows = sorted(w for w in wanted if w <= longest) or [longest]
    train_windows = len(trial_data(history, replace(probe, window=windows[0], transform="none"),
                                   block).y_train)
    batches = tuple(b for b in BATCH_SIZES if b <= train_windows) or BATCH_SIZES[:1]
    return Space(season or None, tuple(windows), tuple(transforms), batches, epochs=epochs, patience=patience,
                 season_inputs=("none", "phase") if season else ("none",))


def _fits(history: Series, base: ExperimentConfig, block: int, transform: str, season: int,
          window: int) -> bool:
    """Whether a trial with this transform and window can train on ``history``."""
    try:
        trial_data(history, replace(base, transform=transform, season_length=season, window=window), block)
    except ConfigError:
        return False
    return True


def _longest(history: Series, config: ExperimentConfig, block: int, transform: str) -> int:
    """The longest window the space offers with ``transform``: LONGEST_SHARE of the trials' training
    part, and no more than leaves it its minimum of training windows (0: none fits)."""
    try:
        data = trial_data(history, replace(config, transform=transform, window=1), block)
    except ConfigError:
        return 0
    train_rows = data.split.train_end
    window = min(round(train_rows * LONGEST_SHARE), train_rows - MIN_TRAIN_WINDOWS)
    while window >= 1 and not _fits(history, config, block, transform, config.season_length, window):
        window -= 1
    return max(window, 0)
