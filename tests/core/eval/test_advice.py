"""What to try when the LSTM loses: each suggestion only where the run's facts point to it."""

from __future__ import annotations

import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series, generate
from lstm_core.data.windows import MIN_TRAIN_WINDOWS, WindowedData, prepare
from lstm_core.eval.advice import SEARCH, Epochs, advice, loses
from lstm_core.eval.evaluation import Evaluation, evaluate

SINE = generate("sine", length=300, noise_level=0.05)  # a season of 50 steps
UNTIL_THE_END = Epochs(limit=20, run=20, best=20)


def losing(data: WindowedData, season_length: int = 0) -> Evaluation:
    """An evaluation where the model misses every (scaled) true value by 3: worse than any yardstick."""
    return evaluate(data, data.y_train + 3.0, data.y_test + 3.0, season_length)


def texts(found) -> list[str]:
    return [s.text for s in found]


def test_a_losing_run_on_a_seasonal_series_gets_every_suggestion() -> None:
    data = prepare(SINE, ExperimentConfig(window=10, transform="none"))
    evaluation = losing(data)
    assert evaluation.season_length == 50 and loses(evaluation)
    found = advice(evaluation, data, UNTIL_THE_END)
    assert texts(found) == [
        "a longer window: 100 steps instead of 10, so the model reads two whole seasons (the season "
        "is 50 steps)",
        "the sdiff transform instead of none: the series has a season of 50 steps, and sdiff lets the "
        "model learn the change since one season ago instead of the season itself",
        "more epochs: 40 instead of 20; training used all 20 and its best epoch was 20, so it was "
        "still improving",
        SEARCH.text,
    ]
    assert [s.page for s in found] == ["model", "model", "model", "search"]


def test_a_winning_run_gets_no_advice() -> None:
    data = prepare(SINE, ExperimentConfig(window=10, transform="none"))
    oracle = evaluate(data, data.y_train, data.y_test)  # the true values: no yardstick beats it
    assert not loses(oracle)
    assert advice(oracle, data, UNTIL_THE_END) == []


def test_the_window_is_clamped_to_what_the_training_part_allows() -> None:
    config = ExperimentConfig(window=10, transform="none", season_length=60)
    data = prepare(generate("sine", length=160, period=60), config)
    longest = data.split.train_end - MIN_TRAIN_WINDOWS
    assert 10 < longest < 120
    found = advice(losing(data, config.season_length), data, UNTIL_THE_END)
    assert found[0].text.startswith(f"a longer window: {longest} steps instead of 10, so the model "
                                    "reads as much of two seasons as the training part allows")


def test_no_window_or_transform_advice_where_the_run_already_has_them() -> None:
    data = prepare(SINE, ExperimentConfig(window=100, transform="sdiff", season_length=50))
    found = texts(advice(losing(data), data, UNTIL_THE_END))
    assert not any(t.startswith(("a longer window", "the sdiff")) for t in found)
    assert found[-1] == SEARCH.text


def test_a_log_transform_is_advised_its_seasonal_twin() -> None:
    positive = Series(values=SINE.values + 3.0, name="positive")
    data = prepare(positive, ExperimentConfig(window=100, transform="log"))
    found = texts(advice(losing(data), data, UNTIL_THE_END))
    assert any(t.startswith("the log_sdiff transform instead of log") for t in found)


def test_no_season_means_no_window_or_transform_advice() -> None:
    data = prepare(generate("random_walk", length=300, data_seed=1), ExperimentConfig(window=5))
    evaluation = losing(data)
    assert evaluation.season_length is None
    assert texts(advice(evaluation, data, Epochs(20, 5, 2))) == [SEARCH.text]


@pytest.mark.parametrize(("epochs", "advised"), [
    (Epochs(limit=50, run=50, best=46), True),  # best among the last tenth
    (Epochs(limit=50, run=50, best=30), False),  # it had stopped improving
    (Epochs(limit=50, run=35, best=35), False),  # early stopping ended it
    (Epochs(limit=1000, run=1000, best=1000), False),  # already the most allowed
    (Epochs(limit=50, run=50, best=None), False),
])
def test_more_epochs_only_when_training_ran_out_while_still_improving(epochs: Epochs,
                                                                       advised: bool) -> None:
    data = prepare(SINE, ExperimentConfig(window=100, transform="sdiff", season_length=50))
    found = texts(advice(losing(data), data, epochs))
    assert any(t.startswith("more epochs") for t in found) is advised
