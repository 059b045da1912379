"""Shareable links: config -> query parameters -> the same config; bad links fall back, never fail."""

from __future__ import annotations

import pytest

from lstm_core.config.settings import ExperimentConfig, SourceConfig
from lstm_core.data.examples import EXAMPLES
from lstm_core.data.series import GENERATORS
from lstm_core.runs.links import EXAMPLE, GENERATE, UPLOAD, from_query, to_query


def varied_configs() -> list[ExperimentConfig]:
    configs = [ExperimentConfig()]
    for number, (name, generator) in enumerate(GENERATORS.items()):
        params = generator.defaults()
        configs.append(ExperimentConfig(
            source=SourceConfig(generator=name, params=params), window=7 + number,
            units=[100, 50][: 1 + number % 2],
            dropout=0.2, epochs=3 + number, batch_size=128, learning_rate=0.0123456789, patience=20,
            val_share=0.15, test_share=0.25, transform=("none", "diff", "auto", "log")[number % 4],
            scaler=("minmax", "standard")[number % 2], season_length=number, horizon=400, seed=2**31 - 1,
            cell=("lstm", "gru", "rnn", "mlp")[number % 4], strategy=("recursive", "direct")[number % 2]))
    sin_t = SourceConfig(params={"period": 62.83185307179586, "noise_level": 0.5})
    configs.append(ExperimentConfig(source=sin_t, window=1, units=[64, 64, 32]))
    return configs


@pytest.mark.parametrize("config", varied_configs())
def test_a_generated_setup_round_trips(config: ExperimentConfig) -> None:
    view = {"presenter": "1", "hide": "1", "preset": "tutorial"}
    query = to_query(config, GENERATE, view=view)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
    shared = from_query(query)
    assert shared.notices == []
    assert shared.config == config and shared.mode == GENERATE and shared.view == view


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_an_example_travels_by_name_never_by_path(name: str) -> None:
    config = from_query({"data": EXAMPLE, "example": name}).config
    config.window, config.seed = 9, 4
    query = to_query(config, EXAMPLE, example=name)
    assert not any("/" in value or "\\" in value for value in query.values())
    shared = from_query(query)
    assert (shared.config, shared.example, shared.notices) == (config, name, [])
    assert shared.config.source.csv_path == str(EXAMPLES[name].path)


def test_a_link_cannot_name_a_file_on_the_server() -> None:
    shared = from_query({"data": EXAMPLE, "example": "/etc/passwd", "csv_path": "/etc/passwd"})
    assert shared.mode == GENERATE and shared.config.source.csv_path is None
    assert any("'/etc/passwd' is not one of" in n for n in shared.notices)
    assert any("csv_path" in n and "ignored" in n for n in shared.notices)


def test_an_upload_link_keeps_its_settings_and_asks_for_the_file() -> None:
    config = ExperimentConfig(source=SourceConfig(kind="csv", csv_path="sales.csv", target="sales",
                                                  date_col="day", features=["temp", "rain"]), window=14)
    shared = from_query(to_query(config, UPLOAD))
    assert shared.wants_upload and any("upload the file again" in n for n in shared.notices)
    assert shared.config.window == 14 and shared.config.source.features == ["temp", "rain"]
    assert shared.config.source.csv_path is None  # nothing read from the link


@pytest.mark.parametrize(("query", "fragment"), [
    ({"window": "abc"}, "window 'abc'"),
    ({"window": "0"}, "window '0'"),
    ({"window": "1e9"}, "window '1e9'"),
    ({"window": "2.5"}, "window must be a whole number"),
    ({"units": "0,50"}, "units '0,50'"),
    ({"units": "1,2,3,4,5"}, "units '1,2,3,4,5'"),
    ({"dropout": "0.95"}, "dropout '0.95'"),
    ({"learning_rate": "nan"}, "learning_rate 'nan'"),
    ({"learning_rate": "11"}, "learning_rate '11'"),
    ({"epochs": "-3"}, "epochs '-3'"),
    ({"transform": "<script>"}, "transform '<script>'"),
    ({"seed": "99999999999"}, "seed '99999999999'"),
    ({"gen": "nope"}, "generator 'nope'"),
    ({"g.period": "-1"}, "period must be between"),
    ({"g.bogus": "1"}, "no parameter 'bogus'"),
    ({"data": "ftp"}, "data source 'ftp'"),
    ({"val_share": "0.5", "test_share": "0.5"}, "do not fit together"),
    ({"what": "ever"}, "what are unknown"),
    ({"window": "nan"}, "window 'nan'"),
    ({"horizon": "-inf"}, "horizon '-inf'"),
    ({"epochs": "1e999"}, "epochs '1e999'"),
    ({"units": "1e999"}, "units '1e999'"),
    ({"g.length": "inf"}, "length must be"),
])
def test_bad_values_fall_back_to_defaults_with_a_notice(query: dict, fragment: str) -> None:
    shared = from_query(query)
    assert any(fragment in notice for notice in shared.notices), shared.notices
    assert shared.config.problems() == []
    defaults = ExperimentConfig()
    for name in set(query) & {"window", "units", "dropout", "learning_rate", "epochs", "transform", "seed"}:
        assert getattr(shared.config, name) == getattr(defaults, name)


def test_generator_values_that_fit_alone_but_not_together_fall_back_with_one_notice() -> None:
    """30 waves of 200,000 points: each value within its bounds, together too much work."""
    waves = ",".join(["10"] * 30)
    shared = from_query({"gen": "multi_sine", "g.length": "200000", "g.periods": waves,
                         "g.amplitudes": waves})
    assert len(shared.notices) == 1 and "do not fit together" in shared.notices[0]
    assert "validation and test shares" not in shared.notices[0]
    assert shared.config.source.generator == "multi_sine" and shared.config.source.params == {}
