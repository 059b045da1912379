"""The table of settings: every field of the config has a row, and every entry point reads it.

Each row is walked through the command line, the config's validation and the link: a value in
range goes CLI flag -> config -> link -> config unchanged, one out of range is refused by the
command line and the validation and falls back, with a notice, in a link.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from lstm_core.cli import build_parser, config_from_args, main
from lstm_core.config.checks import checked_number
from lstm_core.config.fields import CSV_OPTIONS, EXPERIMENT, LIMITS, SETTINGS, Kind, Setting, as_text
from lstm_core.config.settings import ExperimentConfig, SourceConfig
from lstm_core.data.csv.load import MAX_BYTES
from lstm_core.data.csv.read import MB
from lstm_core.data.series import Param
from lstm_core.errors import ConfigError
from lstm_core.runs.export import MAX_BUNDLE_BYTES
from lstm_core.runs.links import GENERATE, UPLOAD, from_query, to_query

ROOT = Path(__file__).resolve().parents[3]
# What a source is rather than how it is read: set by --generate / --csv and a link's data, gen,
# g.* and example, not by the table.
SOURCE_IDENTITY = {"kind", "generator", "params", "csv_path"}
NAMES = [s.name for s in SETTINGS]


def test_every_field_of_the_config_has_a_row() -> None:
    assert [s.name for s in EXPERIMENT] == [f.name for f in fields(ExperimentConfig) if f.name != "source"]
    assert {s.name for s in CSV_OPTIONS} == {f.name for f in fields(SourceConfig)} - SOURCE_IDENTITY
    assert len(set(NAMES)) == len(NAMES)


def inside(setting: Setting) -> Any:
    """A value in range that is not the default."""
    low, high = setting.low, setting.high
    if setting.kind is Kind.WHOLE:
        return low + 1 if high is None else (low + high) // 2
    if setting.kind is Kind.NUMBER:
        return low * 2 if high is None else (low + high) / 2
    if setting.kind is Kind.CHOICE:
        return setting.choices[-1]
    return {Kind.UNITS: [high, low], Kind.TEXT: "a value", Kind.COLUMNS: ["col a", "b"],
            Kind.DAY_ORDER: False}[setting.kind]


def outside(setting: Setting) -> list[Any]:
    """Values out of range (none for text, which the loader checks against the file)."""
    if setting.kind in (Kind.WHOLE, Kind.NUMBER):
        return [setting.low - 1] + ([] if setting.high is None else [setting.high * 2 + 1])
    if setting.kind is Kind.UNITS:
        return [[setting.low - 1], [setting.low] * (setting.count.high + 1)]
    return ["nonsense"] if setting.kind is Kind.CHOICE else []


def flags(setting: Setting, value: Any) -> list[str]:
    if setting.kind is Kind.DAY_ORDER:
        return ["--dayfirst" if value else "--monthfirst"]
    return [setting.flag, as_text(value)]


def owner(config: ExperimentConfig, setting: Setting) -> ExperimentConfig | SourceConfig:
    return config.source if setting.source else config


def with_value(setting: Setting, value: Any) -> ExperimentConfig:
    config = ExperimentConfig()
    if setting.stored:
        setattr(owner(config, setting), setting.name, value)
    else:  # layers: as many layers of the default units
        config.units = config.units[:1] * value
    return config


def from_cli(*args: str) -> ExperimentConfig:
    return config_from_args(build_parser().parse_args(["train", *args]))


@pytest.mark.parametrize("setting", SETTINGS, ids=NAMES)
def test_a_value_goes_flag_config_link_config_unchanged(setting: Setting) -> None:
    value = inside(setting)
    assert value != getattr(owner(ExperimentConfig(), setting), setting.name)
    source = ["--csv", "data.csv"] if setting.source else []
    config = from_cli(*source, *flags(setting, value))
    assert getattr(owner(config, setting), setting.name) == value
    shared = from_query(to_query(config, UPLOAD if setting.source else GENERATE))
    back = getattr(owner(shared.config, setting), setting.name)
    if setting.link is None and setting.stored:  # a server's limit or a file's day order
        assert back == getattr(owner(ExperimentConfig(), setting), setting.name)
        return
    assert back == value
    assert not [n for n in shared.notices if "upload the file again" not in n], shared.notices


@pytest.mark.parametrize("setting", SETTINGS, ids=NAMES)
def test_a_value_out_of_range_is_refused_or_falls_back(setting: Setting, capsys) -> None:
    source = ["--csv", "data.csv"] if setting.source else []
    named = (setting.name, setting.flag, *([setting.count.name] if setting.count else []))
    for value in outside(setting):
        assert main(["train", *source, *flags(setting, value)]) == 2
        error = capsys.readouterr().err
        assert any(name in error for name in named), error
        problems = with_value(setting, value).problems()
        assert any(name in p for p in problems for name in named), problems
        if setting.link is None:
            continue
        shared = from_query({"data": UPLOAD if setting.source else GENERATE, setting.link: as_text(value)})
        assert any(f"{setting.link} '{as_text(value)}'" in n for n in shared.notices), shared.notices
        assert getattr(owner(shared.config, setting), setting.name) == \
            getattr(owner(ExperimentConfig(), setting), setting.name)


def test_every_setting_has_help_and_a_flag_that_shows_it(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    listed = " ".join(capsys.readouterr().out.split())  # the help's lines joined again
    for setting in SETTINGS:
        assert setting.help and "\n" not in setting.help, setting.name
        assert setting.widget_help, setting.name
        assert f"{setting.flag} " in listed and setting.help in listed, setting.name


def test_limits_are_the_tables_bounds_of_the_experiments_numbers() -> None:
    assert set(LIMITS) == {s.name for s in SETTINGS if not s.source and s.low is not None}
    assert LIMITS["layers"] == (1, 4) and LIMITS["units"] == (1, 512)


def test_one_number_check_gives_one_sentence_everywhere() -> None:
    """Config validation, link parsing and generator parameters refuse a number alike."""
    low, high = LIMITS["window"]
    expected = "window must be between 1 and 1000, got 0"
    assert ExperimentConfig(window=0).problems() == [expected]
    assert any(expected in n for n in from_query({"window": "0"}).notices)
    with pytest.raises(ConfigError, match=expected):
        Param("window", 50, "a window", low, high).coerce("0")
    with pytest.raises(ConfigError, match=expected):
        checked_number("window", "0", low, high, whole=True, text=True)


@pytest.mark.parametrize(("value", "text", "message"), [
    ("3", False, "x must be a number, got '3'"),
    (True, True, "x must be a number, got True"),
    ("2.5", True, "x must be a whole number, got 2.5"),
    ("nan", True, "x must be between 1 and 9, got nan"),
    (10, False, "x must be between 1 and 9, got 10"),
])
def test_the_number_check_says_what_is_wrong(value: Any, text: bool, message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        checked_number("x", value, 1, 9, whole=True, text=text)
    assert str(refused.value) == message
    assert checked_number("x", "7", 1, 9, whole=True, text=True) == 7


def test_the_50_mb_cap_is_written_once() -> None:
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["maxUploadSize"] * MB == MAX_BYTES == SourceConfig().max_mb * MB == MAX_BUNDLE_BYTES
