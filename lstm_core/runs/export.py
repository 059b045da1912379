"""Take a run home, and bring it back: CSV tables, a run bundle (zip) and a plain-Keras script.

A bundle holds the config, the weights (``weights.npz``, arrays only), the series as trained
on (``data.csv``), the training history (``summary.json``) and ``reproduce.py``, a standalone
script that retrains the model with plain Keras and prints the test RMSE. :func:`load_bundle`
reads only those: the architecture is rebuilt from our own config and the weights are checked
against it; nothing pickled or serialized as code is ever loaded, and nothing in the bundle
names a file on the server.
"""

from __future__ import annotations

import ast
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lstm_core.config.fields import experiment_values
from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.csv.load import MAX_BYTES
from lstm_core.data.csv.read import MB
from lstm_core.data.examples import EXAMPLES, FOLDER, example_at
from lstm_core.data.series import Series
from lstm_core.data.transforms import Transform
from lstm_core.data.windows import prepare
from lstm_core.errors import ConfigError, LSTMLabError
from lstm_core.eval.classical import LABELS as CLASSICAL
from lstm_core.eval.classical import Yardstick
from lstm_core.runs.experiment import ExperimentResult, assemble
from lstm_core.runs.progress import TrainingResult

MAX_BUNDLE_BYTES = MAX_BYTES  # as a CSV file's
MAX_UNPACKED_BYTES = 200 * MB
REQUIRED = ("config.json", "weights.npz", "data.csv", "summary.json")
OPTIONAL = ("reproduce.py", "README.txt")
TIME, VALUE = "time", "value"
FORMAT = "lstm-lab-run-1"
NN = Path(__file__).parents[1] / "nn"
TEMPLATE = NN / "reproduce_template.py"  # valid, linted Python; its marked blocks are filled in


class ImportRefusedError(LSTMLabError):
    """A file that is not an LSTM Lab export, or one that does not hold together."""


def predictions_csv(result: ExperimentResult) -> bytes:
    """The test span: each time, the true value, the LSTM's one-step prediction and the naive one."""
    ev, series = result.evaluation, result.data.series
    times = series.timestamps[ev.test_times] if series.timestamps is not None else ev.test_times
    table = pd.DataFrame({TIME: times, "actual": ev.test_actual, "lstm": ev.test_predictions})
    for name, baseline in ev.baselines.items():
        table[name] = baseline.predictions
    return table.to_csv(index=False).encode()


def _data_csv(series: Series) -> bytes:
    table = pd.DataFrame({VALUE: series.values})
    for index, name in enumerate(series.feature_names):
        table[f"feature_{index + 1}"] = series.features[name].to_numpy(dtype=np.float64)
    if series.timestamps is not None:
        table.insert(0, TIME, series.timestamps)
    return table.to_csv(index=False, float_format="%.17g").encode()  # exact round trip


def _summary(result: ExperimentResult) -> dict:
    training, series = result.training, result.data.series
    return {
        "format": FORMAT,
        "series_name": series.name,
        "feature_names": series.feature_names,
        "example": example_at(result.config.source.csv_path),
        "transform": result.data.transform.name,
        "threads": result.threads,
        "test_rmse": result.evaluation.test_metrics.rmse,
        "yardsticks": _yardsticks(result),
        "training": {"stop_reason": training.stop_reason, "message": training.message,
                     "epochs_run": training.epochs_run, "best_epoch": training.best_epoch,
                     "fit_seconds": training.fit_seconds, "loss": training.loss,
                     "val_loss": training.val_loss},
    }


def _yardsticks(result: ExperimentResult) -> dict:
    """The classical models' predictions on the test part: an import shows them without refitting."""
    return {key: {"model": b.model, "one_step": b.predictions.tolist(),
                  "rollout": b.rollout.predicted.tolist()}
            for key, b in result.evaluation.baselines.items() if b.rollout is not None}


def bundle(result: ExperimentResult) -> bytes:
    """The run as a zip that LSTM Lab imports and ``python reproduce.py`` retrains."""
    weights = io.BytesIO()
    np.savez(weights, **{f"w{k}": w for k, w in enumerate(result.weights)})
    files = {
        "config.json": result.config.to_json(),
        "weights.npz": weights.getvalue(),
        "data.csv": _data_csv(result.data.series),
        "summary.json": json.dumps(_summary(result), indent=2),
        "reproduce.py": keras_script(result),
        "README.txt": README,
    }
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return packed.getvalue()


README = """An LSTM Lab run.

config.json   every setting of the run (data source, model, training, seed)
weights.npz   the trained weights, plain arrays in Keras' get_weights() order
data.csv      the series the model was trained on (value, then any feature columns)
summary.json  the training history and the test RMSE LSTM Lab measured
reproduce.py  retrains the same model with plain Keras and prints its test RMSE:
              pip install numpy pandas scikit-learn tensorflow; python reproduce.py

Import the zip on LSTM Lab's Run history page to see the run again.
"""


@dataclass
class Restored:
    """An imported run: rebuilt from our own config, the weights only read into it."""

    config: ExperimentConfig
    series: Series
    weights: list[np.ndarray]
    training: TrainingResult
    threads: int | None
    yardsticks: dict[str, Yardstick] = field(default_factory=dict)

    def result(self) -> ExperimentResult:
        data = prepare(self.series, self.config)
        if any(len(y.one_step) != len(data.test_times) for y in self.yardsticks.values()):
            raise ImportRefusedError("this run's classical yardsticks do not fit its test part")
        return assemble(self.config, data, self.weights, self.training, threads=self.threads,
                        yardsticks=self.yardsticks)


def load_config(data: bytes) -> ExperimentConfig:
    """A config exported as JSON, validated; a path in it is never kept (see :func:`_safe_source`)."""
    if len(data) > MB:
        raise ImportRefusedError("this config file is over 1 MB: it is not an LSTM Lab config")
    try:
        config = ExperimentConfig.from_json(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ImportRefusedError("this file is not text: it is not an LSTM Lab config") from None
    except (ConfigError, TypeError) as exc:
        raise ImportRefusedError(f"this config cannot be used: {exc}") from None
    _safe_source(config, None)
    _refuse_problems(config)
    return config


def _refuse_problems(config: ExperimentConfig) -> None:
    """Every setting in range (an uploaded file's source is checked when it is uploaded)."""
    problems = config.problems()
    if config.source.kind == "csv":
        problems = [p for p in problems if p not in config.source.problems()]
    if problems:
        raise ImportRefusedError(f"this config cannot be used: {'; '.join(problems)}")


def _safe_source(config: ExperimentConfig, example: str | None) -> None:
    """Keep no path from outside: a bundled example is pointed at by name, anything else by none."""
    source = config.source
    if source.kind != "csv":
        return
    # A config from another LSTM Lab names the example by its path there: its file name says which.
    name = example or example_at(FOLDER / Path(source.csv_path or "").name)
    if name in EXAMPLES:
        source.csv_path = str(EXAMPLES[name].path)
    else:  # an uploaded file's name, shown to the person; the file itself must be uploaded again
        source.csv_path = Path(source.csv_path or "data.csv").name


def load_bundle(data: bytes) -> Restored:
    """Read a bundle made by :func:`bundle`; refuse anything else with a clear sentence."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise ImportRefusedError(f"this file is over {MAX_BUNDLE_BYTES // MB} MB: it is not an LSTM Lab run")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefusedError("this file is not a zip: export a run from LSTM Lab and import "
                                 "that") from None
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        missing = [name for name in REQUIRED if name not in members]
        if missing:
            raise ImportRefusedError(f"this zip has no {', '.join(missing)}: it was not exported by LSTM Lab")
        strangers = sorted(set(members) - set(REQUIRED) - set(OPTIONAL))
        if strangers:
            raise ImportRefusedError("this zip holds files an LSTM Lab run does not "
                                     f"({', '.join(strangers[:3])})")
        if sum(members[name].file_size for name in REQUIRED) > MAX_UNPACKED_BYTES:
            raise ImportRefusedError(f"this zip unpacks to over {MAX_UNPACKED_BYTES // MB} MB")
        content = {name: archive.read(name) for name in REQUIRED}
    return _restore(content)


def _restore(content: dict[str, bytes]) -> Restored:
    try:
        summary = json.loads(content["summary.json"])
        config = ExperimentConfig.from_json(content["config.json"].decode("utf-8"))
    except (ValueError, UnicodeDecodeError, ConfigError, TypeError) as exc:
        raise ImportRefusedError(f"this run's config or summary cannot be read: {exc}") from None
    if not isinstance(summary, dict) or summary.get("format") != FORMAT:
        raise ImportRefusedError("this zip's summary.json is not an LSTM Lab run summary")
    example = summary.get("example") if summary.get("example") in EXAMPLES else None
    _safe_source(config, example)
    _refuse_problems(config)
    series = _series(content["data.csv"], summary)
    weights = _weights(content["weights.npz"], config, 1 + len(series.feature_names))
    return Restored(config, series, weights, _training(summary), summary.get("threads"),
                    _read_yardsticks(summary))


def _series(data: bytes, summary: dict) -> Series:
    try:
        table = pd.read_csv(io.BytesIO(data))
        values = table[VALUE].to_numpy(dtype=np.float64)
        names = [str(n) for n in summary.get("feature_names", [])]
        columns = [f"feature_{k + 1}" for k in range(len(names))]
        features = pd.DataFrame(table[columns].to_numpy(dtype=np.float64), columns=names) if names else None
        stamps = pd.DatetimeIndex(pd.to_datetime(table[TIME])) if TIME in table else None
        return Series(values, name=str(summary.get("series_name", VALUE)), timestamps=stamps,
                      features=features)
    except (KeyError, ValueError, TypeError, LSTMLabError) as exc:
        raise ImportRefusedError(f"this run's data.csv cannot be read: {exc}") from None


def expected_shapes(config: ExperimentConfig, n_features: int) -> list[tuple[int, ...]]:
    """The weight shapes of the model the config describes, in Keras' get_weights() order."""
    shapes, inputs = [], n_features
    for units in config.units:
        shapes += [(inputs, 4 * units), (units, 4 * units), (4 * units,)]
        inputs = units
    return [*shapes, (inputs, 1), (1,)]


def _weights(data: bytes, config: ExperimentConfig, n_features: int) -> list[np.ndarray]:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            named = {name: arrays[name] for name in arrays.files}
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ImportRefusedError("this run's weights.npz holds something other than plain arrays: "
                                 f"{exc}") from None
    expected = expected_shapes(config, n_features)
    weights = [named.get(f"w{k}") for k in range(len(expected))]
    shapes = [None if w is None else tuple(w.shape) for w in weights]
    if len(named) != len(expected) or shapes != expected:
        raise ImportRefusedError(f"this run's weights do not fit the model its config describes "
                                 f"(found {len(named)} arrays, expected shapes {expected})")
    if not all(w.dtype.kind == "f" and np.all(np.isfinite(w)) for w in weights):
        raise ImportRefusedError("this run's weights are not all finite numbers")
    return [w.astype(np.float32) for w in weights]


def _read_yardsticks(summary: dict) -> dict[str, Yardstick]:
    """The classical models' predictions a run carries (none in runs exported before them)."""
    found = summary.get("yardsticks", {})
    try:
        if not isinstance(found, dict) or not set(found) <= set(CLASSICAL):
            raise ValueError(f"unknown yardsticks {sorted(found)}")
        read = {key: Yardstick(key, str(entry["model"]), _finite(entry["one_step"]),
                               _finite(entry["rollout"]), 0.0) for key, entry in found.items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportRefusedError(f"this run's classical yardsticks cannot be read: {exc}") from None
    if any(len(y.one_step) != len(y.rollout) for y in read.values()):
        raise ImportRefusedError("this run's classical yardsticks cannot be read: lengths differ")
    return read


def _finite(values: object) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or not np.all(np.isfinite(array)):
        raise ValueError("predictions must be a list of finite numbers")
    return array


def _training(summary: dict) -> TrainingResult:
    record = summary.get("training", {})
    try:
        return TrainingResult(
            stop_reason=str(record["stop_reason"]), message=str(record["message"]),
            epochs_run=int(record["epochs_run"]),
            best_epoch=None if record["best_epoch"] is None else int(record["best_epoch"]),
            fit_seconds=float(record["fit_seconds"]),
            loss=[float(v) for v in record["loss"]],
            val_loss=[None if v is None else float(v) for v in record["val_loss"]],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportRefusedError(f"this run's training history cannot be read: {exc}") from None


def _layer_source() -> str:
    """The FusedLSTM class's source, read as text: importing lstm_core.nn.fused_lstm would load
    TensorFlow into the app's server just to print a script."""
    text = (NN / "fused_lstm.py").read_text()
    node = next(n for n in ast.parse(text).body if isinstance(n, ast.ClassDef) and n.name == "FusedLSTM")
    return ast.get_source_segment(text, node)


def keras_script(result: ExperimentResult) -> str:
    """``reproduce.py``: the run retrained with plain Keras, outside LSTM Lab."""
    run = {
        "SETTINGS": experiment_values(result.config) | _resolved(result.data.transform),
        "THREADS": result.threads or 0,
        "MEASURED_RMSE": float(result.evaluation.test_metrics.rmse),
    }
    values = "".join(f"{name} = {_literal(value)}\n" for name, value in run.items())
    script = _fill(TEMPLATE.read_text(), "template", "")  # the note for LSTM Lab's developers
    return _fill(_fill(script, "run", values), "layer", _layer_source() + "\n")


def _resolved(transform: Transform) -> dict:
    """The transform as the run resolved it, and a seasonal one's season (given or detected)."""
    return {"transform": transform.name} | ({"season_length": transform.season} if transform.season else {})


def _literal(value: object) -> str:
    """Python source for ``value``; a dict one item a line."""
    if isinstance(value, dict):
        return "{\n" + "".join(f"    {key!r}: {item!r},\n" for key, item in value.items()) + "}"
    return repr(value)


def _fill(text: str, block: str, content: str) -> str:
    """``text`` with its lines from ``# >>> block`` to ``# <<< block`` (the markers included)
    replaced by ``content``."""
    start, end = text.index(f"# >>> {block}\n"), text.index(f"# <<< {block}\n")
    return text[:start] + content + text[end + len(f"# <<< {block}\n"):]
