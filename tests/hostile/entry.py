"""One hostile input through the app's own entry point, in this process: ``python -m
tests.hostile.entry <csv|bundle|config|link|cli|bits> <path>``.

Prints one JSON line, ``{"outcome": "refused" | "accepted", "message": ..., "peak_mb": ...}``: a refusal is an
:class:`LSTMLabError` (a sentence for a person); any other exception propagates, and the harness
counts it as a crash.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

from lstm_core.errors import LSTMLabError

MESSAGE_CHARS = 300


def load_csv_upload(path: Path) -> str:
    """An upload on the Data page: the preview of the file, then the series with the default options."""
    from lstm_core.data.csv.load import LoadOptions, inspect_csv, load_csv

    data = path.read_bytes()
    inspect_csv(data)
    series = load_csv(data, options=LoadOptions())
    return f"{len(series)} rows"


def import_bundle(path: Path) -> str:
    """A run zip imported on the Run history page."""
    from lstm_core.runs.export import load_bundle

    result = load_bundle(path.read_bytes()).result()
    return f"test RMSE {result.evaluation.test_metrics.rmse:.4g}"


def import_config(path: Path) -> str:
    """A settings JSON imported on the Run history page."""
    from lstm_core.runs.export import load_config

    return f"window {load_config(path.read_bytes()).window}"


def open_link(path: Path) -> str:
    """A link's query parameters (a JSON object of texts), applied as the app does: the setup read,
    its series loaded as the Data page does, and prepared for training as a Train click does."""
    from lstm_core.data.windows import prepare
    from lstm_core.runs.experiment import load_series
    from lstm_core.runs.links import UPLOAD, from_query

    params = json.loads(path.read_text())
    shared = from_query({str(key): str(value) for key, value in params.items()})
    notices = " ".join(shared.notices)
    if shared.mode == UPLOAD:  # the file must be uploaded again: nothing more to load
        return notices
    series = load_series(shared.config.source)
    prepare(series, shared.config)
    return f"{len(series)} rows; {notices}"


def cli_config(path: Path) -> str:
    """A config file given to the command line, ``python -m lstm_core train --config FILE``: a
    refusal is its exit status 2 with one ``error:`` line on stderr, any other ending is accepted
    (the file's every case is a refusal: an accepted one would train, and so fail its case)."""
    from lstm_core.cli import EXIT_USAGE
    from lstm_core.cli import main as command_line

    said = io.StringIO()
    with contextlib.redirect_stderr(said), contextlib.redirect_stdout(io.StringIO()):
        status = command_line(["train", "--config", str(path), "--quiet", "--epochs", "1"])
    lines = said.getvalue().splitlines()
    if status == EXIT_USAGE and len(lines) == 1 and lines[0].startswith("error: "):
        raise LSTMLabError(lines[0].removeprefix("error: "))
    return f"exit status {status}: {said.getvalue()[-MESSAGE_CHARS:]}"


LAB_UNITS = 64  # the most units the sequence lab trains


def run_sequence(path: Path) -> str:
    """A sequence typed into the sequence lab ("Then continue with"), read by the function the page
    calls and run through an LSTM as large as the lab trains, as the page runs its trained model."""
    import numpy as np

    from lstm_core.data.sum_task import parse_bits
    from lstm_core.infer.numpy_net import NumpyNet

    bits = parse_bits(path.read_text())
    generator = np.random.default_rng(0)
    shapes = [(1, 4 * LAB_UNITS), (LAB_UNITS, 4 * LAB_UNITS), (4 * LAB_UNITS,), (LAB_UNITS, 1), (1,)]
    net = NumpyNet.from_weights([0.1 * generator.standard_normal(shape) for shape in shapes])
    outputs, _ = net.run(bits)
    return f"{bits.shape[1]} bits: the model's total {outputs[0, -1]:.3g}"


ENTRIES = {"csv": load_csv_upload, "bundle": import_bundle, "config": import_config, "link": open_link,
           "cli": cli_config, "bits": run_sequence}


def peak_mb() -> float:
    """This process's peak resident memory since it started Python (VmHWM of its own address
    space; ``ru_maxrss`` would also count the parent it was forked from)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(kind: str, path: str) -> None:
    try:
        outcome, message = "accepted", ENTRIES[kind](Path(path))
    except LSTMLabError as exc:
        outcome, message = "refused", str(exc)
    print(json.dumps({"outcome": outcome, "message": message[:MESSAGE_CHARS], "peak_mb": peak_mb()}),
          flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
