"""Presets: each is a valid, complete setup whose data can be windowed, and each reproduces itself."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from lstm_core.config.presets import PRESETS
from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.windows import prepare
from lstm_core.runs.experiment import load_series, run_experiment
from lstm_core.runs.links import GENERATE, from_query, to_query

TUTORIALS = {"clean_sine", "fading_rollout", "sin_t_lookback_1", "stacked_dropout"}


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_validates_and_its_data_can_be_windowed(name: str) -> None:
    preset = PRESETS[name]
    config = preset.apply()
    assert config.problems() == [] and config == preset.config and config is not preset.config
    data = prepare(load_series(config.source), config)
    assert len(data.y_train) >= 10 and len(data.y_test) > 0
    assert len(re.findall(r"[.!?:](\s|$)", preset.why)) >= 2, "two sentences at least"
    assert from_query(to_query(config, GENERATE)).config == config  # its link reproduces it


def test_the_tutorial_setups_are_there() -> None:
    assert set(PRESETS) >= TUTORIALS and len(PRESETS) >= len(TUTORIALS) + 2
    clean, rollout = PRESETS["clean_sine"].config, PRESETS["fading_rollout"].config
    assert (clean.window, clean.units, clean.epochs, clean.batch_size) == (50, [10], 20, 128)
    assert clean.source.params["noise"] == "none"
    assert (rollout.window, rollout.units, rollout.patience, rollout.horizon) == (25, [300], 20, 400)
    assert rollout.source.params == {"period": 100.0, "noise": "uniform", "noise_level": 0.05}
    sin_t = PRESETS["sin_t_lookback_1"].config
    assert (sin_t.window, sin_t.scaler, sin_t.source.params["noise_level"]) == (1, "minmax", 0.5)
    stacked = PRESETS["stacked_dropout"].config
    assert (stacked.units, stacked.dropout) == ([100, 50], 0.2)


def test_a_preset_trained_twice_gives_the_same_numbers() -> None:
    config = PRESETS["clean_sine"].apply()
    config.epochs, config.source.params["length"] = 3, 300  # the tutorial's setup, cut short
    first, second = run_experiment(config), run_experiment(config)
    assert first.evaluation.test_metrics == second.evaluation.test_metrics
    assert first.training.loss == second.training.loss


def test_the_lessons_on_networks_and_strategies_change_one_thing() -> None:
    """"Direct forecasts don't fade" is the fading rollout with the direct strategy; "a simpler
    network does as well" is the default setup with a plain RNN."""
    direct, recursive = PRESETS["direct_no_fade"].config, PRESETS["fading_rollout"].config
    assert direct.strategy == "direct" and recursive.strategy == "recursive"
    assert replace(direct, strategy="recursive") == recursive
    simpler = PRESETS["simpler_network"].config
    assert simpler.cell == "rnn" and replace(simpler, cell="lstm") == ExperimentConfig()
