"""The command line: exit codes, one-line errors, the JSON it prints."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lstm_core.cli import main

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--length", "200", "--window", "5", "--units", "4", "--epochs", "2", "--horizon", "7", "--quiet"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lstm_core", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "--csv", "missing.csv"], "no such file: missing.csv"),
        (["train", "--units", "-3"], "units must be between 1 and 512, got -3"),
        (["train", "--window", "900"], "window (900 steps) is too long for the training part"),
        (["train", "--generate", "nope"], "invalid choice: 'nope'"),
        (["train", "--slope", "2"], "the 'sine' generator has no parameter --slope"),
        (["train", "--epochs", "ten"], "invalid int value: 'ten'"),
        (["train", "--noise", "pink"], "noise must be one of gaussian, uniform, none"),
        (["train", "--units", "100,50", "--layers", "3"], "3 layers but 2 unit counts"),
        (["train", "--config", "nowhere.json"], "cannot read the config file nowhere.json"),
        (["train", "--csv", "x.csv", "--period", "5"], "--period set(s) a generator parameter"),
        (["fly"], "invalid choice: 'fly'"),
        ([], "the following arguments are required: command"),
    ],
)
def test_bad_input_exits_2_with_one_error_line(args, message, capsys):
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    assert message in captured.err


def test_a_csv_with_an_unknown_column_is_refused(tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text("day,sales\n" + "".join(f"2024-01-{d:02d},{d}\n" for d in range(1, 29)))
    assert main(["train", "--csv", str(path), "--target", "revenue"]) == 2
    assert "no column named 'revenue'" in capsys.readouterr().err


def test_generators_are_listed(capsys):
    assert main(["generators"]) == 0
    out = capsys.readouterr().out
    assert "trend_seasonal:" in out and "--noise-level" in out


def test_config_file_is_the_base_and_flags_override(tmp_path, capsys):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"window": 2000}))
    assert main(["train", "--config", str(path)]) == 2
    assert "window must be between 1 and 1000, got 2000" in capsys.readouterr().err


WAVES = ",".join(["5"] * 2000)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"source": {"params": [1, 2]}}', "the generator's parameters must be an object of names"),
        (b'{"source": {"generator": {}}}', "unknown generator {}; choose one of sine"),
        (b'{"source": {"generator": "nope"}}', "unknown generator 'nope'"),
        (b'{"source": {"kind": "csv", "csv_path": 5}}', "the CSV file's path must be text, got 5"),
        (bytes(range(256)), "is not text (UTF-8)"),
        (b"[1, 2]", "a config must be a JSON object"),
        (b" " * (2 * 2**20), "is over 1 MB"),
        (json.dumps({"source": {"generator": "multi_sine", "params": {
            "length": 200_000, "periods": WAVES, "amplitudes": WAVES}}}).encode(),
         "periods holds 2,000 values, more than the 50 allowed"),
    ],
)
def test_a_config_file_of_any_content_exits_2_with_one_error_line(content, message, tmp_path, capsys):
    path = tmp_path / "config.json"
    path.write_bytes(content)
    assert main(["train", "--config", str(path), "--epochs", "1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    assert message in captured.err


def test_layers_over_a_config_without_units_is_one_error_line(tmp_path, capsys):
    path = tmp_path / "config.json"
    path.write_text('{"units": []}')
    assert main(["train", "--config", str(path), "--layers", "2"]) == 2
    assert capsys.readouterr().err == "error: 2 layers but 0 unit counts ([]): give one or 2\n"


def test_a_constant_series_gets_an_honest_verdict_and_every_yardstick():
    """Every model forecasts the constant exactly: a tie with each yardstick is no win, and
    AutoETS (which statsforecast fits as ETS(A,N,N) on a constant series) is among them."""
    done = run_cli("train", "--generate", "trend_seasonal", "--level", "5", "--slope", "0",
                   "--amplitude", "0", "--noise", "none", *TINY, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["test_rmse"] == 0 and {b["rmse"] for b in result["baselines"].values()} == {0}
    assert result["baselines"]["auto_ets"]["model"] == "ETS(A,N,N)"
    assert not any("could not be fitted" in note for note in result["notes"]), result["notes"]
    assert "beats all" not in result["verdict"], result["verdict"]
    assert "it ties with all 5 yardsticks" in result["verdict"], result["verdict"]


def test_train_prints_one_json_object_with_the_results():
    done = run_cli("train", "--generate", "sine", *TINY, "--json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    result = json.loads(done.stdout)
    for key in ("config", "test_rmse", "test_mae", "train_rmse", "baselines", "epochs_run",
                "stop_reason", "history", "forecast", "fit_seconds"):
        assert key in result
    assert result["config"]["window"] == 5 and result["config"]["units"] == [4]
    assert len(result["forecast"]) == 7
    assert result["epochs_run"] == 2 and len(result["history"]["loss"]) == 2
    assert {"naive", "linear_ar"} <= set(result["baselines"])
    assert all("test_rmse" in b for b in result["baselines"].values())


def test_train_from_csv_prints_a_readable_summary(tmp_path):
    path = tmp_path / "data.csv"
    rows = "".join(f"2024-01-{d:02d} 00:00,{d % 7},x\n" for d in range(1, 29))
    path.write_text("when,value,label\n" + rows * 1)
    done = run_cli("train", "--csv", str(path), "--date-col", "when", "--window", "3",
                   "--units", "2", "--epochs", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "rows read: 28" in done.stdout
    assert "test RMSE" in done.stdout and "naive" in done.stdout


def test_an_error_after_start_is_still_one_line():
    done = run_cli("train", "--window", "700", "--quiet")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: the window (700 steps) is too long for the training part (700 of 1000 samples): "
        "use a window of at most 690, or give more data to training"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backtest", "--origins", "0"], "origins must be between 1 and 100, got 0"),
        (["backtest", "--horizon", "soon"], "invalid int value: 'soon'"),
        (["backtest", "--length", "200", "--origins", "30", "--horizon", "10"],
         "a backtest of 30 origins x 10 steps needs 300 points before the test part"),
    ],
)
def test_a_backtest_with_bad_input_exits_2_with_one_error_line(args, message, capsys):
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("error: ") and message in captured.err


def test_backtest_prints_one_json_object_and_its_progress_on_stderr():
    done = run_cli("backtest", "--length", "200", "--transform", "none", "--window", "5", "--units", "4",
                   "--epochs", "2", "--origins", "2", "--horizon", "3", "--json")
    assert done.returncode == 0, done.stderr
    assert "origin 2 of 2: training" in done.stderr and "epoch 2/2" in done.stderr
    result = json.loads(done.stdout)
    assert result["spec"] == {"origins": 2, "horizon": 3, "window_kind": "expanding", "refit": True}
    assert result["origins"] == [154, 157] and result["complete"]
    assert {"lstm", "naive", "linear_ar", "auto_ets"} <= set(result["rmse"])
    assert len(result["rmse_by_step"]["lstm"]) == 3 and len(result["rmse_by_origin"]["naive"]) == 2
    assert result["wall_seconds"] > 0
