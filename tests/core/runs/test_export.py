"""Exports and imports: CSV tables, the run bundle, the plain-Keras script, and refusals."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lstm_core.config.settings import ExperimentConfig, SourceConfig
from lstm_core.data.series import generate
from lstm_core.runs.experiment import ExperimentResult, run_experiment
from lstm_core.runs.export import (
    MAX_BUNDLE_BYTES,
    ImportRefusedError,
    bundle,
    load_bundle,
    load_config,
    predictions_csv,
)
from lstm_core.runs.links import GENERATE, from_query, to_query


@pytest.fixture(scope="module")
def result() -> ExperimentResult:
    config = ExperimentConfig(source=SourceConfig(params={"length": 300}), window=8, units=[6, 5],
                              dropout=0.1, epochs=3, patience=0, horizon=10, seed=3)
    return run_experiment(config)


@pytest.fixture(scope="module")
def packed(result: ExperimentResult) -> bytes:
    return bundle(result)


def members(packed: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def repacked(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_predictions_csv_lists_the_test_span(result: ExperimentResult) -> None:
    table = pd.read_csv(io.BytesIO(predictions_csv(result)))
    assert list(table.columns[:3]) == ["time", "actual", "lstm"] and "naive" in table.columns
    assert len(table) == len(result.evaluation.test_times)
    np.testing.assert_allclose(table["lstm"], result.evaluation.test_predictions)


def test_export_then_import_gives_identical_predictions_and_forecast(result: ExperimentResult,
                                                                     packed: bytes) -> None:
    restored = load_bundle(packed)
    assert restored.config == result.config
    again = restored.result()
    assert np.array_equal(again.evaluation.test_predictions, result.evaluation.test_predictions)
    assert np.array_equal(again.forecast, result.forecast)
    assert again.training == result.training
    assert {"auto_ets", "auto_arima", "auto_theta"} <= set(result.evaluation.baselines)
    assert predictions_csv(again) == predictions_csv(result)  # the classical yardsticks' columns too
    for key, baseline in result.evaluation.baselines.items():
        assert again.evaluation.baselines[key].metrics == baseline.metrics


def test_an_imported_run_rebuilds_its_ensembles_from_the_weights_it_carries(
        result: ExperimentResult, packed: bytes) -> None:
    chosen = result.evaluation.combination
    assert chosen is not None and set(result.evaluation.ensembles) == {"ensemble_mean", "ensemble_weighted"}
    again = load_bundle(packed).result()
    assert again.evaluation.combination == chosen  # read back, not chosen again (no refit on import)
    for key, ensemble in result.evaluation.ensembles.items():
        assert np.array_equal(again.evaluation.ensembles[key].predictions, ensemble.predictions)
        assert again.evaluation.ensembles[key].model == ensemble.model
    assert again.to_dict()["ensembles"] == result.to_dict()["ensembles"]


@pytest.mark.parametrize("ensemble", [{"weights": {"network": 0.5, "auto_ets": 0.2}},
                                      {"weights": {"network": 1.5, "auto_ets": -0.5}},
                                      {"weights": {"network": 0.5, "someone_else": 0.5}},
                                      {"weights": {"network": "half"}}, [1, 2]])
def test_an_ensemble_that_does_not_hold_together_is_refused(packed: bytes, ensemble) -> None:
    files = members(packed)
    summary = json.loads(files["summary.json"])
    summary["ensemble"] = ensemble
    files["summary.json"] = json.dumps(summary).encode()
    with pytest.raises(ImportRefusedError, match="ensemble"):
        load_bundle(repacked(files))


def test_a_dated_series_with_features_round_trips() -> None:
    stamps = pd.date_range("2024-01-01", periods=120, freq="D")
    base = generate("sine", length=120)
    features = pd.DataFrame({"temp °C": np.cos(np.arange(120) / 5)})
    from lstm_core.data.series import Series

    series = Series(base.values, name="sales", timestamps=stamps, features=features)
    config = ExperimentConfig(window=5, units=[3], epochs=1, patience=0, horizon=5)
    first = run_experiment(config, series)
    restored = load_bundle(bundle(first))
    assert restored.series.feature_names == ["temp °C"] and restored.series.name == "sales"
    assert (restored.series.timestamps == stamps).all()
    assert np.array_equal(restored.result().evaluation.test_predictions, first.evaluation.test_predictions)


def test_the_exported_script_reproduces_the_test_rmse(result: ExperimentResult, packed: bytes,
                                                      tmp_path: Path) -> None:
    rmse = reproduced_rmse(packed, tmp_path)
    script = (tmp_path / "reproduce.py").read_text()
    assert "lstm_core" not in script and "import keras" in script
    assert rmse == pytest.approx(result.evaluation.test_metrics.rmse, rel=1e-6)


def reproduced_rmse(packed: bytes, folder: Path) -> float:
    """The test RMSE that the bundle's reproduce.py prints, run in ``folder`` with plain Keras."""
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        archive.extractall(folder)
    done = subprocess.run([sys.executable, "reproduce.py"], cwd=folder, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return float(done.stdout.strip().split()[-1])


def with_yardsticks(files: dict, change) -> None:
    """Change the classical yardsticks the bundle's summary carries."""
    summary = json.loads(files["summary.json"])
    change(summary["yardsticks"])
    files["summary.json"] = json.dumps(summary).encode()


@pytest.mark.parametrize(("change", "message"), [
    (lambda y: y.update({"prophet": {}}), "unknown yardsticks"),
    (lambda y: y["auto_ets"].update({"one_step": ["x"]}), "cannot be read"),
    (lambda y: y["auto_ets"].update({"rollout": [float("nan")] * len(y["auto_ets"]["rollout"])}),
     "finite numbers"),
    (lambda y: y["auto_arima"].update({"one_step": [1.0], "rollout": [1.0]}), "do not fit its test part"),
])
def test_malformed_yardsticks_are_refused_with_a_message(packed: bytes, change, message: str) -> None:
    files = members(packed)
    with_yardsticks(files, change)
    with pytest.raises(ImportRefusedError, match=message):
        load_bundle(repacked(files)).result()


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: f.pop("weights.npz"), "has no weights.npz"),
    (lambda f: f.update({"evil.py": b"print(1)"}), "holds files an LSTM Lab run does not"),
    (lambda f: f.update({"config.json": b'{"window": -3}'}), "window must be between"),
    (lambda f: f.update({"config.json": b'{"units": [6, 5], "optimizer": "x"}'}), "unknown config setting"),
    (lambda f: f.update({"config.json": b"\xff\xfe"}), "cannot be read"),
    (lambda f: f.update({"summary.json": b'{"format": "other"}'}), "not an LSTM Lab run summary"),
    (lambda f: f.update({"data.csv": b"a,b\n1,2\n"}), "data.csv cannot be read"),
    (lambda f: f.update({"data.csv": b"value\n1\n1e300\n2\n"}),
     "data.csv cannot be read: the values of 'sine' reach 1e[+]300, too large to compute errors with"),
])
def test_malformed_bundles_are_refused_with_a_message(packed: bytes, change, message: str) -> None:
    files = members(packed)
    change(files)
    with pytest.raises(ImportRefusedError, match=message):
        load_bundle(repacked(files))


def test_weights_must_be_plain_arrays_of_the_right_shapes(packed: bytes) -> None:
    files = members(packed)
    with np.load(io.BytesIO(files["weights.npz"])) as arrays:
        weights = [arrays[f"w{k}"] for k in range(len(arrays.files))]
    pickled = io.BytesIO()
    smuggled = np.array([{"x": 1}], dtype=object)  # saving it pickles it
    np.savez(pickled, **{f"w{k}": w for k, w in enumerate(weights[:-1])}, w7=smuggled)
    with pytest.raises(ImportRefusedError, match="other than plain arrays"):
        load_bundle(repacked(files | {"weights.npz": pickled.getvalue()}))
    config = json.loads(files["config.json"])
    config["units"] = [7, 5]
    with pytest.raises(ImportRefusedError, match="do not fit the model"):
        load_bundle(repacked(files | {"config.json": json.dumps(config).encode()}))


def test_not_a_zip_or_too_big_is_refused() -> None:
    with pytest.raises(ImportRefusedError, match="not a zip"):
        load_bundle(b"PK\x03\x04 but not really")
    with pytest.raises(ImportRefusedError, match="over 50 MB"):
        load_bundle(b"0" * (MAX_BUNDLE_BYTES + 1))


def test_no_path_from_an_import_is_kept(packed: bytes) -> None:
    files = members(packed)
    config = json.loads(files["config.json"])
    config["source"] = {"kind": "csv", "csv_path": "/etc/passwd", "target": "x"}
    restored = load_bundle(repacked(files | {"config.json": json.dumps(config).encode()}))
    assert restored.config.source.csv_path == "passwd"
    assert load_config(json.dumps(config).encode()).source.csv_path == "passwd"


def test_a_config_json_imports_or_is_refused() -> None:
    config = ExperimentConfig(window=12, units=[100, 50], seed=9)
    assert load_config(config.to_json().encode()) == config
    for bad, message in ((b"{", "not valid JSON"), (b'{"epochs": 0}', "epochs must be between"),
                         (b"\x00\xff", "not text")):
        with pytest.raises(ImportRefusedError, match=message):
            load_config(bad)


def tiny(cell: str, strategy: str) -> ExperimentResult:
    config = ExperimentConfig(source=SourceConfig(params={"length": 240}), window=8, units=[5, 4],
                              epochs=2, patience=0, horizon=12, seed=4, cell=cell, strategy=strategy)
    return run_experiment(config)


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn", "mlp"])
@pytest.mark.parametrize("strategy", ["recursive", "direct"])
def test_every_cell_and_strategy_trains_exports_imports_and_reproduces_through_its_link(
        cell: str, strategy: str) -> None:
    first = tiny(cell, strategy)
    assert first.keras_check is not None and first.keras_check < 1e-5  # the NumPy copy is Keras' net
    assert first.net.cell == cell and first.net.outputs == (12 if strategy == "direct" else 1)
    assert len(first.forecast) == 12 and np.isfinite(first.forecast).all()
    assert len(first.test_rollout.predicted) == len(first.evaluation.test_times)  # longer than 12: in blocks
    assert np.isfinite(first.evaluation.test_metrics.rmse)
    again = load_bundle(bundle(first))
    assert again.config == first.config
    restored = again.result()
    assert np.array_equal(restored.evaluation.test_predictions, first.evaluation.test_predictions)
    assert np.array_equal(restored.forecast, first.forecast)
    assert np.array_equal(restored.test_rollout.predicted, first.test_rollout.predicted)
    shared = from_query(to_query(first.config, GENERATE))
    assert shared.notices == [] and shared.config == first.config
    again = run_experiment(shared.config)
    assert again.evaluation.test_metrics.rmse == first.evaluation.test_metrics.rmse
    assert np.array_equal(again.forecast, first.forecast)


@pytest.mark.slow
@pytest.mark.parametrize(("cell", "strategy"), [("gru", "direct"), ("rnn", "recursive"), ("mlp", "direct"),
                                                ("lstm", "direct")])
def test_the_exported_script_reproduces_every_cell_and_strategy(cell: str, strategy: str,
                                                                tmp_path: Path) -> None:
    first = tiny(cell, strategy)
    assert reproduced_rmse(bundle(first), tmp_path) == pytest.approx(first.evaluation.test_metrics.rmse,
                                                                     rel=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize(("transform", "strategy", "season_inputs"),
                         [("log_dseason", "direct", "none"), ("dseason", "recursive", "phase")])
def test_a_hybrid_exports_imports_and_reproduces_through_its_link(transform: str, strategy: str,
                                                                 season_inputs: str, tmp_path: Path) -> None:
    """The hybrid's seasonal profile is refitted from the training part on import and through a
    link (the same numbers), and reproduce.py, which carries it as plain numbers, retrains it;
    the same with the season's phase as two more inputs."""
    params = {"length": 168, "period": 12, "amplitude": 3.0, "level": 20.0}
    config = ExperimentConfig(source=SourceConfig(generator="trend_seasonal", params=params), window=12,
                              units=[5], epochs=2, patience=0, horizon=12, seed=4, transform=transform,
                              strategy=strategy, season_length=12, season_inputs=season_inputs)
    first = run_experiment(config)
    assert first.data.transform.name == transform and np.isfinite(first.forecast).all()
    assert first.data.n_features == (3 if season_inputs == "phase" else 1)
    restored = load_bundle(bundle(first)).result()
    assert np.array_equal(restored.evaluation.test_predictions, first.evaluation.test_predictions)
    assert np.array_equal(restored.forecast, first.forecast)
    shared = from_query(to_query(first.config, GENERATE))
    assert shared.notices == [] and shared.config == first.config
    assert reproduced_rmse(bundle(first), tmp_path) == pytest.approx(first.evaluation.test_metrics.rmse,
                                                                     rel=1e-6)
