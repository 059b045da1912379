"""Imports and links refuse hostile input cheaply, with a sentence: bounded JSON, zip members read
no further than their limits, .npy headers checked before any array is allocated, settings held
to the command line's checks and this server's limits, and the windows' size bounded."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from lstm_core.config.safe_json import MAX_DEPTH, loads, nesting_depth
from lstm_core.config.settings import ExperimentConfig, SourceConfig
from lstm_core.data.series import generate
from lstm_core.data.windows import MAX_WINDOW_VALUES, prepare
from lstm_core.errors import ConfigError
from lstm_core.runs.export import ImportRefusedError, load_bundle, load_config
from lstm_core.runs.links import LISTED_KEYS, SHOWN_CHARS, from_query
from tests.hostile.cases_import import (
    big_run,
    corrupt,
    csv_settings,
    many_members,
    nested,
    npy_header,
    npz,
    npz_bomb,
    npz_member_past_its_header,
    npz_replacing,
    run_files,
    settings,
    stored,
    weights,
    with_member,
    zipped,
)
from tests.hostile.zips import Member


@pytest.mark.parametrize(("text", "message"), [
    (nested(100_000), "nests 100000 levels deep"),
    ('{"a":' * 100_000 + "1" + "}" * 100_000, "nests 100000 levels deep"),
    ('{"window": ' + "9" * 5000 + "}", "written with 5000 characters"),
    ("[1." + "5" * 5000 + "]", "written with 5002 characters"),
    ("{}" + " " * 2000, "over 1,000 bytes"),
])
def test_hostile_json_is_refused_with_a_sentence(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        loads(text, "the file", 1000 if "  " in text else 2**20)


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = json.dumps({"a": ["[[[", "\\\"{{{", {"b": "]]"}]})
    assert nesting_depth(text.encode()) == 3
    assert loads(nested(MAX_DEPTH), "the file", 2**20) == json.loads(nested(MAX_DEPTH))


def test_a_sane_synthetic_run_imports() -> None:
    restored = load_bundle(zipped(run_files()))
    assert restored.config.window == 5 and len(restored.series) == 200
    assert np.isfinite(restored.result().evaluation.test_metrics.rmse)


@pytest.mark.parametrize(("make", "message"), [
    (npz_bomb, "weights.npz unpacks to over 21,288 bytes"),
    (npz_member_past_its_header, "does not hold the array its header describes"),
    (lambda: npz_replacing(stored("w0.npy", npy_header((10**12,)))), r"declares shape \(1000000000000,\)"),
    (lambda: npz_replacing(stored("w0.npy", npy_header((1, 16), "|O"))), "holds object"),
    (lambda: npz_replacing(corrupt("w0.npy")), "weights.npz is damaged"),
    (lambda: with_member(corrupt("config.json")), "config.json is damaged"),
    (lambda: with_member(Member("config.json", b"{}", 99, 0, 2)), "compressed in a way"),
    (lambda: many_members(5000), "lists more files"),
    (lambda: zipped(run_files(**{"summary.json": nested(100_000).encode()})), "nests 100000 levels"),
    (lambda: zipped(run_files(**{"weights.npz": npz(weights(scale=1e300))})), "within ±1e\\+06"),
    (big_run, "the windows would hold 99,000,000 values"),
])
def test_a_hostile_bundle_is_refused_with_a_sentence(make, message: str) -> None:
    with pytest.raises(ImportRefusedError, match=message):
        load_bundle(make())


@pytest.mark.parametrize(("content", "message"), [
    (csv_settings(max_mb=math.nan), "max_mb must be at least 0.001, got nan"),
    (csv_settings(max_mb=500), "max_mb must be between 0.001 and 50.0"),
    (csv_settings(max_rows=1e12), "max_rows must be a whole number, got 1000000000000.0"),
    (csv_settings(max_rows=10**12), "max_rows must be between 1 and 1000000"),
    (csv_settings(target={}), "target must be text, or nothing"),
    (csv_settings(features=["a", {}]), "features must be a list of column names"),
    (settings(window=10.0), "window must be a whole number, got 10.0"),
    (settings(source={"generator": {}}), "unknown generator"),
    (settings(source={"params": [1]}), "parameters must be an object"),
])
def test_an_imported_setting_is_type_and_range_checked(content: bytes, message: str) -> None:
    with pytest.raises(ImportRefusedError, match=message):
        load_config(content)


def test_a_config_may_lower_the_csv_limits() -> None:
    assert load_config(csv_settings(max_mb=2.5, max_rows=100)).source.max_rows == 100


def test_windows_past_the_bound_are_refused_before_any_is_built() -> None:
    series = generate("sine", length=200_000)
    config = ExperimentConfig(source=SourceConfig(params={"length": 200_000}), window=1000)
    with pytest.raises(ConfigError, match=f"over the limit of {MAX_WINDOW_VALUES:,}: use a shorter window"):
        prepare(series, config)
    assert len(prepare(series, ExperimentConfig(window=100)).y_train) > 0  # 20 million values or fewer


def test_a_hostile_link_gives_short_notices() -> None:
    shared = from_query({"window": "9" * 5000, "units": ",".join(["1"] * 10_000), "g.length": "7" * 3000,
                         **{f"p{k}": "1" for k in range(100)}})
    assert shared.config == ExperimentConfig()
    assert all(len(notice) < 400 for notice in shared.notices), shared.notices
    assert "characters long" in shared.notices[0] and f"and {100 - LISTED_KEYS} more" in shared.notices[-1]
    assert "9" * (SHOWN_CHARS + 1) not in " ".join(shared.notices)
