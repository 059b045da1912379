"""What to try when the LSTM loses to a yardstick, each suggestion drawn from the run's facts.

A suggestion is a small record (its text, and the page where it is done when there is one), so
a page can list the texts and link the pages; nothing here knows how a page looks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lstm_core.config.fields import LIMITS
from lstm_core.data.transforms import SEASONAL
from lstm_core.data.windows import MIN_TRAIN_WINDOWS, WindowedData
from lstm_core.eval.evaluation import Evaluation

# The window that lets the model compare a point with the same point one and two seasons back.
SEASONS_IN_WINDOW = 2
# The best epoch counts as "at the end" when it is among the last tenth of the epochs (at least 2).
LATE_SHARE = 0.1
MODEL_PAGE = "model"
SEARCH_PAGE = "search"


@dataclass(frozen=True)
class Suggestion:
    """One thing to try: ``text`` in words, ``page`` the name of the page that does it (None: no
    page does it yet)."""

    text: str
    page: str | None = None


@dataclass(frozen=True)
class Epochs:
    """A training's epochs: the limit set, the number run, and the best one (None: none)."""

    limit: int
    run: int
    best: int | None


SEARCH = Suggestion("an automatic search: it trains many variations of these settings and keeps "
                    "the one with the lowest validation error", SEARCH_PAGE)


def loses(evaluation: Evaluation) -> bool:
    """A yardstick has a lower test RMSE than the LSTM, or the LSTM's is not a finite number."""
    return bool(evaluation.beaten_by()) or not math.isfinite(evaluation.test_metrics.rmse)


def advice(evaluation: Evaluation, data: WindowedData, epochs: Epochs) -> list[Suggestion]:
    """What to try, when the LSTM loses to a yardstick (nothing when it does not): a longer
    window, a seasonal transform, more epochs, each only where the run's facts point to it; and
    an automatic search, always."""
    if not loses(evaluation):
        return []
    found = [_window(data, evaluation.season_length), _transform(data, evaluation.season_length),
             _epochs(epochs)]
    return [s for s in found if s is not None] + [SEARCH]


def _window(data: WindowedData, season: int | None) -> Suggestion | None:
    """Two seasons of window, or as long as the training part allows, when that is longer."""
    if not season:
        return None
    wanted = SEASONS_IN_WINDOW * season
    longest = data.split.train_end - MIN_TRAIN_WINDOWS
    window = min(wanted, longest)
    if window <= data.window:
        return None
    reach = ("two whole seasons" if window == wanted
             else "as much of two seasons as the training part allows")
    return Suggestion(f"a longer window: {window} steps instead of {data.window}, so the model reads "
                      f"{reach} (the season is {season} steps)", MODEL_PAGE)


def _transform(data: WindowedData, season: int | None) -> Suggestion | None:
    """A seasonal difference when the series has a season and the run used none."""
    current = data.transform.name
    if not season or current in SEASONAL:
        return None
    seasonal = "log_sdiff" if current.startswith("log") else "sdiff"
    return Suggestion(f"the {seasonal} transform instead of {current}: the series has a season of "
                      f"{season} steps, and {seasonal} lets the model learn the change since one "
                      "season ago instead of the season itself", MODEL_PAGE)


def _epochs(epochs: Epochs) -> Suggestion | None:
    """More epochs when training used them all and was still improving at the end."""
    most = int(LIMITS["epochs"][1])
    late = epochs.run - max(2, round(LATE_SHARE * epochs.run))
    if epochs.best is None or epochs.run < epochs.limit or epochs.best <= late or epochs.limit >= most:
        return None
    more = min(2 * epochs.limit, most)
    return Suggestion(f"more epochs: {more} instead of {epochs.limit}; training used all "
                      f"{epochs.limit} and its best epoch was {epochs.best}, so it was still improving",
                      MODEL_PAGE)
