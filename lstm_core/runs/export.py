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
import math
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from lstm_core.config import safe_json
from lstm_core.config.fields import CSV_OPTIONS, LIMITS, SETTINGS, Kind, Setting, experiment_values
from lstm_core.config.settings import MAX_CONFIG_BYTES, ExperimentConfig
from lstm_core.data.csv.load import MAX_BYTES, MAX_ROWS
from lstm_core.data.csv.read import MB
from lstm_core.data.examples import EXAMPLES, FOLDER, example_at
from lstm_core.data.series import MAX_MAGNITUDE, Series
from lstm_core.data.transforms import Transform
from lstm_core.data.windows import check_window_size, input_columns, prepare
from lstm_core.errors import ConfigError, LSTMLabError
from lstm_core.eval.classical import LABELS as CLASSICAL
from lstm_core.eval.classical import Yardstick
from lstm_core.eval.ensemble import NETWORK, Combination
from lstm_core.infer.architecture import weight_shapes
from lstm_core.runs.experiment import ExperimentResult, assemble
from lstm_core.runs.progress import TrainingResult

MAX_BUNDLE_BYTES = MAX_BYTES  # as a CSV file's
MAX_SUMMARY_BYTES = 32 * MB  # the losses, and the yardsticks' predictions over the test part
SUMMARY_BYTES_PER_ROW = 2 * len(CLASSICAL) * 32  # each yardstick's one-step and rollout predictions
MAX_TABLE = 64 * 1024  # a zip's table of contents: a run's lists six files in under a kilobyte
MAX_FEATURES = 1000
MAX_WEIGHT = 1e6  # a trained LSTM's weights stay within a few hundred
MAX_EPOCHS = int(LIMITS["epochs"][1])
NPY_OVERHEAD = 4096  # a .npy file's magic string and header
NPY_HEADERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
PACKINGS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what np.savez and bundle() write
CHUNK = MB
NO_CSV_PATH = "a CSV source needs a file path"  # an upload's: the file comes with its next upload
# What reading a damaged or hostile zip can raise besides BadZipFile (zlib.error for a corrupt
# stream, EOFError for a short one, NotImplementedError for an unknown method, RuntimeError for
# an encrypted file, ValueError for a bad .npy header).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError,
            ValueError, SyntaxError, struct.error)
REQUIRED = ("config.json", "weights.npz", "data.csv", "summary.json")
OPTIONAL = ("reproduce.py", "README.txt")
TIME, VALUE = "time", "value"
FORMAT = "lstm-lab-run-1"
WHOLE = tuple(s for s in SETTINGS if s.kind is Kind.WHOLE and s.stored)
# An imported config may lower the CSV limits, never raise them past this server's.
SERVER_LIMITS = tuple((s, {"max_mb": MAX_BYTES / MB, "max_rows": MAX_ROWS}[s.name])
                      for s in CSV_OPTIONS if s.name in ("max_mb", "max_rows"))
NN = Path(__file__).parents[1] / "nn"
TEMPLATE = NN / "reproduce_template.py"  # valid, linted Python; its marked blocks are filled in


class ImportRefusedError(LSTMLabError):
    """A file that is not an LSTM Lab export, or one that does not hold together."""


def predictions_csv(result: ExperimentResult) -> bytes:
    """The test span: each time, the true value, the LSTM's one-step prediction and every
    yardstick's and ensemble's."""
    ev, series = result.evaluation, result.data.series
    times = series.timestamps[ev.test_times] if series.timestamps is not None else ev.test_times
    table = pd.DataFrame({TIME: times, "actual": ev.test_actual, "lstm": ev.test_predictions})
    for name, baseline in (ev.baselines | ev.ensembles).items():
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
        "ensemble": c.to_dict() if (c := result.evaluation.combination) else None,
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
    combination: Combination | None = None

    def result(self) -> ExperimentResult:
        data = prepare(self.series, self.config)
        if any(len(y.one_step) != len(data.test_times) for y in self.yardsticks.values()):
            raise ImportRefusedError("this run's classical yardsticks do not fit its test part")
        return assemble(self.config, data, self.weights, self.training, threads=self.threads,
                        yardsticks=self.yardsticks, combination=self.combination)


def rebuild_run(restored: Restored, *, progress, stop, on_stage) -> ExperimentResult:
    """A pool's work: rebuild an imported run (its windows, predictions and errors, work that
    grows with the run's data) where trainings run, within a job's time and memory limits."""
    on_stage("rebuilding the imported run: its windows, predictions and errors")
    try:
        return restored.result()
    except LSTMLabError:
        raise
    except Exception as exc:  # a file no check foresaw: one sentence, not a traceback
        raise ImportRefusedError(f"its run could not be rebuilt ({type(exc).__name__})") from exc


def load_config(data: bytes) -> ExperimentConfig:
    """A config exported as JSON, validated; a path in it is never kept (see :func:`_safe_source`)."""
    config = _read_config(data, "this config")
    _safe_source(config, None)
    _refuse_problems(config, "this config")
    return config


def _read_config(data: bytes, what: str) -> ExperimentConfig:
    """The config in ``data`` (JSON read within bounds), each whole-number setting held as one."""
    try:
        config = ExperimentConfig.from_json(data)
    except (ConfigError, TypeError) as exc:
        raise ImportRefusedError(f"{what} cannot be read: {exc}") from None
    return config


def _refuse_problems(config: ExperimentConfig, what: str) -> None:
    """Every setting checked as the command line's are (its type, its range), and the CSV limits
    no higher than this server's; only the file an uploaded source names is checked later, when
    it is uploaded again."""
    problems = [p for p in config.problems() if p != NO_CSV_PATH] + _stricter_problems(config)
    if problems:
        raise ImportRefusedError(f"{what} cannot be used: {'; '.join(problems)}")


def _stricter_problems(config: ExperimentConfig) -> list[str]:
    """What a file may hold that the settings' own checks let by: a whole number written as a
    float (10.0), and CSV limits above this server's. One problem a setting at most."""
    found: dict[str, str] = {}
    for setting in WHOLE:
        value = _value(config, setting)
        if isinstance(value, float) and not setting.problems(value):
            found[setting.name] = f"{setting.name} must be a whole number, got {value!r}"
    for setting, high in SERVER_LIMITS:
        if not setting.problems(value := _value(config, setting)):
            for problem in replace(setting, high=high).problems(value):
                found.setdefault(setting.name, problem)
    return list(found.values())


def _value(config: ExperimentConfig, setting: Setting) -> object:
    return getattr(config.source if setting.source else config, setting.name)


def _safe_source(config: ExperimentConfig, example: str | None) -> None:
    """Keep no path from outside: a bundled example is pointed at by name, anything else by none."""
    source = config.source
    if source.kind != "csv":
        return
    # A config from another LSTM Lab names the example by its path there: its file name says which.
    name = example or example_at(FOLDER / Path(str(source.csv_path or "")).name)
    if name in EXAMPLES:
        source.csv_path = str(EXAMPLES[name].path)
    else:  # an uploaded file's name, shown to the person; the file itself must be uploaded again
        source.csv_path = Path(str(source.csv_path or "")).name or "data.csv"


def load_bundle(data: bytes) -> Restored:
    """Read a bundle made by :func:`bundle`; refuse anything else with a clear sentence.

    Nothing the zip says about itself is trusted: each file is inflated a megabyte at a time and
    refused once past its own limit, the weights' headers are checked against the architecture
    the config describes before any array is allocated, and the windows' size before any is built.
    """
    if len(data) > MAX_BUNDLE_BYTES:
        raise ImportRefusedError(f"this file is over {MAX_BUNDLE_BYTES // MB} MB: it is not an LSTM Lab run")
    with _opened(data, "this file is not a zip: export a run from LSTM Lab and import that") as archive:
        members = {info.filename: info for info in archive.infolist()}
        missing = [name for name in REQUIRED if name not in members]
        if missing:
            raise ImportRefusedError(f"this zip has no {', '.join(missing)}: it was not exported by LSTM Lab")
        strangers = sorted(set(members) - set(REQUIRED) - set(OPTIONAL))
        if strangers or len(members) < len(archive.infolist()):
            raise ImportRefusedError("this zip holds files an LSTM Lab run does not "
                                     f"({', '.join(strangers[:3]) or 'a file twice'})")
        return _restore(lambda name, limit: _unpacked(archive, members[name], limit))


def _opened(data: bytes, refusal: str) -> zipfile.ZipFile:
    """``data`` as a zip whose table of contents is no larger than a run's; ``refusal`` if not one."""
    end = data.rfind(b"PK\x05\x06", -(22 + 0xFFFF))  # the end record: where the table is, its size
    if end >= 0 and len(data) >= end + 16 and int.from_bytes(data[end + 12:end + 16], "little") > MAX_TABLE:
        raise ImportRefusedError("this zip lists more files than an LSTM Lab run holds")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGED:
        raise ImportRefusedError(refusal) from None


def _unpacked(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's content, inflated a megabyte at a time and refused once past ``limit`` bytes."""
    _refuse_packing(info, "this run's")
    parts, size = [], 0
    try:
        with archive.open(info) as member:
            while size <= limit and (part := member.read(min(CHUNK, limit + 1 - size))):
                parts.append(part)
                size += len(part)
    except _DAMAGED as exc:
        raise ImportRefusedError(f"this run's {info.filename} is damaged: {_reason(exc)}") from None
    if size > limit:
        raise ImportRefusedError(f"this run's {info.filename} unpacks to over {_size(limit)}, more than "
                                 "a run of LSTM Lab's holds")
    return b"".join(parts)


def _refuse_packing(info: zipfile.ZipInfo, whose: str) -> None:
    if info.flag_bits & 0x1:
        raise ImportRefusedError(f"{whose} {info.filename} is encrypted: LSTM Lab never encrypts a run")
    if info.compress_type not in PACKINGS:
        raise ImportRefusedError(f"{whose} {info.filename} is compressed in a way LSTM Lab never writes "
                                 f"(method {info.compress_type})")


def _reason(exc: BaseException) -> str:
    """Why reading failed, in one short line (ours whole: they are written for a person)."""
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, LSTMLabError):
        return text
    return text if len(text) <= 120 else text[:117] + "..."


def _size(limit: int) -> str:
    return f"{limit / MB:.3g} MB" if limit >= MB else f"{limit:,} bytes"


def _restore(read: Callable[[str, int], bytes]) -> Restored:
    """The run a bundle holds, each file read by ``read(name, most bytes)`` in the order that lets
    the earlier ones bound the later ones."""
    config = _read_config(read("config.json", MAX_CONFIG_BYTES), "this run's config")
    table = read("data.csv", MAX_BYTES)
    # The summary's size follows from the rows: the yardsticks' predictions over the test part.
    limit = min(MAX_SUMMARY_BYTES, MB + SUMMARY_BYTES_PER_ROW * table.count(b"\n"))
    try:
        summary = safe_json.loads(read("summary.json", limit), "the summary", limit)
    except ConfigError as exc:
        raise ImportRefusedError(f"this run's summary cannot be read: {exc}") from None
    if not isinstance(summary, dict) or summary.get("format") != FORMAT:
        raise ImportRefusedError("this zip's summary.json is not an LSTM Lab run summary")
    example = summary.get("example") if summary.get("example") in EXAMPLES else None
    _safe_source(config, example)
    _refuse_problems(config, "this run's config")
    names = _feature_names(summary)
    series = _series(table, summary, names)
    columns = input_columns(series, config)
    try:
        check_window_size(len(series), config.window, columns, config.outputs)
    except ConfigError as exc:
        raise ImportRefusedError(f"this run cannot be rebuilt here: {exc}") from None
    expected = weight_shapes(config, columns)
    weights = _weights(read("weights.npz", _npz_bytes(expected)), expected)
    yardsticks = _read_yardsticks(summary)
    return Restored(config, series, weights, _training(summary), _threads(summary),
                    yardsticks, _read_combination(summary, yardsticks))


def _feature_names(summary: dict) -> list[str]:
    names = summary.get("feature_names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or len(names) > MAX_FEATURES:
        raise ImportRefusedError(f"this run's summary lists its feature columns wrongly (a list of at "
                                 f"most {MAX_FEATURES} names is expected)")
    return names


def _threads(summary: dict) -> int | None:
    threads = summary.get("threads")
    whole = isinstance(threads, int) and not isinstance(threads, bool)
    return threads if whole and 0 < threads < 2**16 else None


def _series(data: bytes, summary: dict, names: list[str]) -> Series:
    """data.csv, its header checked before anything is parsed: no more than a run's columns."""
    header = data.split(b"\n", 1)[0].strip().decode("utf-8", "replace").split(",")
    columns = [f"feature_{k + 1}" for k in range(len(names))]
    try:
        if header not in ([VALUE, *columns], [TIME, VALUE, *columns]):
            raise ValueError(f"its columns are not {', '.join([TIME, VALUE, *columns][:4])}")
        if data.count(b"\n") > MAX_ROWS + 1:
            raise ValueError(f"it holds over {MAX_ROWS:,} rows")
        table = pd.read_csv(io.BytesIO(data), dtype={name: np.float64 for name in header if name != TIME})
        features = pd.DataFrame(table[columns].to_numpy(dtype=np.float64), columns=names) if names else None
        stamps = pd.DatetimeIndex(pd.to_datetime(table[TIME], format="ISO8601")) if TIME in header else None
        return Series(table[VALUE].to_numpy(dtype=np.float64), name=str(summary.get("series_name", VALUE)),
                      timestamps=stamps, features=features)
    except (KeyError, ValueError, TypeError, OverflowError, pd.errors.ParserError, LSTMLabError) as exc:
        raise ImportRefusedError(f"this run's data.csv cannot be read: {_reason(exc)}") from None


def _npz_bytes(expected: list[tuple[int, ...]]) -> int:
    """The most a weights.npz of these shapes can unpack to: float64 arrays, with room for headers."""
    return sum(8 * math.prod(shape) + NPY_OVERHEAD for shape in expected)


def _weights(data: bytes, expected: list[tuple[int, ...]]) -> list[np.ndarray]:
    """The arrays of weights.npz, w0.npy, w1.npy, ...: each header (dtype and shape) is checked
    before its array is read, and the array read no further than the header says."""
    names = [f"w{k}.npy" for k in range(len(expected))]
    with _opened(data, "this run's weights.npz is not an archive of arrays") as archive:
        members = {info.filename: info for info in archive.infolist()}
        if sorted(members) != sorted(names) or len(archive.infolist()) != len(names):
            found = len(archive.infolist())
            raise ImportRefusedError(f"this run's weights do not fit the model its config describes "
                                     f"(found {found} arrays, expected shapes {expected})")
        weights = [_array(archive, members[name], shape) for name, shape in zip(names, expected, strict=True)]
    if not all(np.all(np.abs(w) <= MAX_WEIGHT) for w in weights):  # NaN fails the test too
        raise ImportRefusedError(f"this run's weights are not all finite numbers within ±{MAX_WEIGHT:g}")
    return [w.astype(np.float32) for w in weights]


def _array(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shape: tuple[int, ...]) -> np.ndarray:
    _refuse_packing(info, "this run's weights.npz's")
    try:
        with archive.open(info) as member:
            dtype, fortran = _header(member, info.filename, shape)
            size = math.prod(shape) * dtype.itemsize
            content = member.read(size + 1)
    except ImportRefusedError:
        raise
    except _DAMAGED as exc:
        raise ImportRefusedError(f"this run's weights.npz is damaged: {_reason(exc)}") from None
    if len(content) != size:
        raise ImportRefusedError(f"this run's weights.npz is damaged: {info.filename} does not hold the "
                                 "array its header describes")
    return np.frombuffer(content, dtype).reshape(shape, order="F" if fortran else "C")


def _header(member: IO[bytes], name: str, shape: tuple[int, ...]) -> tuple[np.dtype, bool]:
    """The dtype and order a .npy header declares, refused unless plain floats of ``shape``."""
    version = np.lib.format.read_magic(member)
    read_header = NPY_HEADERS.get(version)
    if read_header is None:
        raise ImportRefusedError(f"this run's weights.npz holds something other than plain arrays: "
                                 f"{name} is a .npy of version {version}")
    try:
        found, fortran, dtype = read_header(member)
    except (ValueError, SyntaxError, TypeError):  # not the dict of descr, fortran_order and shape
        raise ImportRefusedError(f"this run's weights.npz is damaged: {name}'s header cannot be "
                                 "read") from None
    if dtype.kind != "f" or dtype.itemsize not in (4, 8) or dtype.hasobject:
        raise ImportRefusedError(f"this run's weights.npz holds something other than plain arrays: "
                                 f"{name} holds {dtype}, not floating-point numbers")
    if tuple(found) != shape:
        raise ImportRefusedError(f"this run's weights do not fit the model its config describes "
                                 f"({name} declares shape {_shape(found)}, the model needs {shape})")
    return dtype, bool(fortran)


def _shape(shape: tuple[int, ...]) -> str:
    text = str(tuple(shape))
    return text if len(text) <= 60 else text[:57] + "..."


def _read_yardsticks(summary: dict) -> dict[str, Yardstick]:
    """The classical models' predictions a run carries (none in runs exported before them)."""
    found = summary.get("yardsticks", {})
    try:
        if not isinstance(found, dict) or not set(found) <= set(CLASSICAL):
            raise ValueError(f"unknown yardsticks {sorted(map(str, found))[:6]}")
        read = {key: Yardstick(key, str(entry["model"]), _finite(entry["one_step"]),
                               _finite(entry["rollout"]), 0.0) for key, entry in found.items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportRefusedError(f"this run's classical yardsticks cannot be read: {exc}") from None
    if any(len(y.one_step) != len(y.rollout) for y in read.values()):
        raise ImportRefusedError("this run's classical yardsticks cannot be read: lengths differ")
    return read


def _read_combination(summary: dict, yardsticks: dict[str, Yardstick]) -> Combination | None:
    """The weighted ensemble's weights a run carries (none in runs exported before them)."""
    record = summary.get("ensemble")
    if record is None:
        return None
    try:
        combination = Combination.from_dict(record)
    except ValueError as exc:
        raise ImportRefusedError(f"this run's ensemble cannot be read: {exc}") from None
    if not set(combination.weights) <= {NETWORK, *yardsticks}:
        raise ImportRefusedError("this run's ensemble weighs models the run does not carry")
    return combination


def _finite(values: object) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or not np.all(np.abs(array) <= MAX_MAGNITUDE):
        raise ValueError(f"predictions must be a list of finite numbers within ±{MAX_MAGNITUDE:g}")
    return array


def _training(summary: dict) -> TrainingResult:
    record = summary.get("training", {})
    try:
        losses = (record["loss"], record["val_loss"])
        if not all(isinstance(v, list) and len(v) <= MAX_EPOCHS for v in losses):
            raise ValueError(f"the losses must be lists of at most {MAX_EPOCHS} numbers")
        return TrainingResult(
            stop_reason=str(record["stop_reason"]), message=str(record["message"]),
            epochs_run=int(record["epochs_run"]),
            best_epoch=None if record["best_epoch"] is None else int(record["best_epoch"]),
            fit_seconds=float(record["fit_seconds"]),
            loss=[float(v) for v in record["loss"]],
            val_loss=[None if v is None else float(v) for v in record["val_loss"]],
        )
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ImportRefusedError(f"this run's training history cannot be read: {exc}") from None


def _layer_source() -> str:
    """The FusedLSTM class's and the masked loss's sources, read as text: importing them would
    load TensorFlow into the app's server just to print a script."""
    return "\n\n\n".join(_source(file, name) for file, name in (("fused_lstm.py", "FusedLSTM"),
                                                                 ("losses.py", "masked_mse")))


def _source(file: str, name: str) -> str:
    text = (NN / file).read_text()
    node = next(n for n in ast.parse(text).body
                if isinstance(n, ast.ClassDef | ast.FunctionDef) and n.name == name)
    return ast.get_source_segment(text, node)


def keras_script(result: ExperimentResult) -> str:
    """``reproduce.py``: the run retrained with plain Keras, outside LSTM Lab."""
    run = {
        "SETTINGS": experiment_values(result.config) | _resolved(result.data.transform)
        | {"phase_season": result.data.phase_season},
        "THREADS": result.threads or 0,
        "MEASURED_RMSE": float(result.evaluation.test_metrics.rmse),
    }
    values = "".join(f"{name} = {_literal(value)}\n" for name, value in run.items())
    script = _fill(TEMPLATE.read_text(), "template", "")  # the note for LSTM Lab's developers
    return _fill(_fill(script, "run", values), "layer", _layer_source() + "\n")


def _resolved(transform: Transform) -> dict:
    """The transform as the run resolved it, a seasonal one's season (given or detected), and
    what it fitted on the training part (a hybrid's seasonal profile)."""
    season = {"season_length": transform.season} if transform.season else {}
    return {"transform": transform.name} | season | transform.fitted()


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
