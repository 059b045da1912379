import re

import pytest

from lstm_core.config.settings import ExperimentConfig, SourceConfig, parse_units
from lstm_core.data.series import MAX_WAVES
from lstm_core.errors import ConfigError


def test_defaults_are_valid():
    assert ExperimentConfig().validate().problems() == []


def test_json_round_trip_keeps_every_setting():
    config = ExperimentConfig(
        source=SourceConfig(generator="trend_seasonal", params={"slope": 0.2, "mode": "multiplicative"}),
        window=12, units=[100, 50], dropout=0.2, epochs=7, batch_size=16, learning_rate=0.01,
        patience=3, val_share=0.15, test_share=0.25, transform="diff", scaler="standard",
        season_length=12, horizon=40, seed=42,
    )
    again = ExperimentConfig.from_json(config.to_json())
    assert again == config
    assert again.layers == 2


def test_csv_source_round_trip():
    config = ExperimentConfig(source=SourceConfig(kind="csv", csv_path="a.csv", target="y",
                                                  date_col="day", features=["x1", "x2"]))
    assert ExperimentConfig.from_dict(config.to_dict()) == config


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"window": 0}, "window must be between 1 and 1000, got 0"),
        ({"units": [-3]}, "units must be between 1 and 512, got -3"),
        ({"units": []}, "at least one layer"),
        ({"units": [8] * 5}, "layers must be between 1 and 4, got 5"),
        ({"dropout": 1.5}, "dropout must be between 0.0 and 0.9"),
        ({"epochs": 2.5}, "epochs must be a whole number"),
        ({"learning_rate": 0}, "learning_rate must be between"),
        ({"transform": "sqrt"}, "transform must be one of auto, none, diff, log"),
        ({"scaler": "robust"}, "scaler must be one of minmax, standard"),
        ({"val_share": 0.4, "test_share": 0.45}, "leave under 20% of the data for training"),
        ({"seed": "x"}, "seed must be a number"),
        ({"source": SourceConfig(generator="sine", params={"noise": "pink"})}, "noise must be one of"),
        ({"source": SourceConfig(kind="csv")}, "a CSV source needs a file path"),
        ({"source": SourceConfig(kind="ftp")}, "source must be one of generate, csv"),
    ],
)
def test_validation_messages_name_the_setting_and_the_range(changes, message):
    config = ExperimentConfig(**changes)
    assert any(message in problem for problem in config.problems()), config.problems()
    with pytest.raises(ConfigError, match=message.split(",")[0].replace("(", r"\(")):
        config.validate()


def test_every_problem_is_reported_at_once():
    problems = ExperimentConfig(window=0, epochs=0, dropout=2).problems()
    assert len(problems) == 3


def test_unknown_keys_and_bad_json_are_refused():
    with pytest.raises(ConfigError, match="unknown config setting\\(s\\): windw"):
        ExperimentConfig.from_dict({"windw": 3})
    with pytest.raises(ConfigError, match="unknown source setting"):
        ExperimentConfig.from_dict({"source": {"path": "x"}})
    with pytest.raises(ConfigError, match="not valid JSON"):
        ExperimentConfig.from_json("{window: 3")
    with pytest.raises(ConfigError, match="must be a JSON object"):
        ExperimentConfig.from_json("[1, 2]")


def test_units_per_layer():
    assert parse_units("100,50") == [100, 50]
    assert parse_units(32, layers=3) == [32, 32, 32]
    assert parse_units("64", layers=2) == [64, 64]
    with pytest.raises(ConfigError, match="3 layers but 2 unit counts"):
        parse_units("100,50", layers=3)
    with pytest.raises(ConfigError, match="whole numbers"):
        parse_units("a,b")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"params": [1, 2]}, "the generator's parameters must be an object of names and values"),
        ({"generator": {}}, "unknown generator {}; choose one of sine"),
        ({"generator": "nope"}, "unknown generator 'nope'"),
        ({"kind": []}, "source must be one of generate, csv, got []"),
        ({"kind": "csv", "csv_path": 5}, "the CSV file's path must be text, got 5"),
    ],
)
def test_a_source_of_the_wrong_type_is_refused_as_the_config_is_read(source, message):
    """Nothing can be built on such a source (the command line's flags overlay it): read, it is
    refused at once, with the same sentence its validation gives."""
    with pytest.raises(ConfigError, match=re.escape(message)):
        ExperimentConfig.from_dict({"source": source})
    assert message in "; ".join(ExperimentConfig(source=SourceConfig(**source)).problems())


def test_a_generator_s_parameters_are_checked_together_by_the_config():
    """The count of summed waves and the work they take are bounded where a config is validated:
    links, imports and the command line all refuse them there."""
    waves = ",".join(["5"] * (MAX_WAVES + 1))
    many = SourceConfig(generator="multi_sine", params={"periods": waves, "amplitudes": waves})
    assert many.problems() == [f"periods holds {MAX_WAVES + 1} values, more than the {MAX_WAVES} allowed"]
    waves = ",".join(["5"] * 30)
    long = SourceConfig(generator="multi_sine",
                        params={"length": 200_000, "periods": waves, "amplitudes": waves})
    assert long.problems() == ["30 waves of 200,000 samples are 6,000,000 values to compute, more than the "
                               "5,000,000 a series may take: use fewer waves or a shorter length"]
    unequal = SourceConfig(generator="multi_sine", params={"periods": "5,6"})
    assert unequal.problems() == ["periods has 2 values but amplitudes has 3: give one each"]
