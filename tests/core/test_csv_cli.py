"""The corpus through the command line: ``train --csv`` exits 0 with a load report, or 2 with one
``error:`` line and no traceback. Refusals come before TensorFlow is imported, so they run
in-process; one real process checks each exit code end to end."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lstm_core.cli import build_parser, config_from_args, main
from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.examples import EXAMPLES
from lstm_core.runs.experiment import load_series
from tests.core.data.csv_corpus import EITHER_WAY, write_corpus

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--epochs", "1", "--units", "2", "--window", "3", "--horizon", "3", "--quiet"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lstm_core", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def config_of(*args: str) -> ExperimentConfig:
    return config_from_args(build_parser().parse_args(["train", *args]))


@pytest.mark.parametrize(
    ("name", "flags", "message"),
    [
        ("empty.csv", [], "the file is empty"),
        ("header_only.csv", [], "the file has a header row (date, value) but no data rows"),
        ("binary.csv", [], "the file holds binary data, not CSV text"),
        ("workbook.csv", [], "the file is a ZIP archive (an Excel .xlsx workbook is one)"),
        ("no_numeric.csv", [], "the file has no numeric column to forecast"),
        ("ragged.csv", [], "the rows do not line up: the header has 2 fields but line 3 has 4"),
        ("huge.csv", [], "the values of 'huge' reach 1.84e+302, too large to compute errors with"),
        ("huge.csv", ["--target", "fine", "--features", "huge"], "the values of 'huge' reach 1.84e+302"),
        ("iso_dates.csv", ["--decimal", "dot"], "argument --decimal: invalid choice: 'dot'"),
        ("all_missing.csv", [], "every value is missing: 'value' holds only empty cells or placeholders"),
        ("large.csv", ["--max-mb", "0.001"], "over the 1.02 KB limit"),
        ("many_rows.csv", ["--max-rows", "100"], "the file has more data rows than the limit of 100 rows"),
        ("ambiguous_dates.csv", [], "say whether the day or the month comes first (dayfirst; --dayfirst"),
        ("no_time.csv", ["--resample", "D"], "resampling needs a time column, and this file has none"),
        ("iso_dates.csv", ["--resample", "fortnightly"], "resample must be 'auto' or a pandas frequency"),
        ("iso_dates.csv", ["--target", "revenue"], "no column named 'revenue' for the target"),
        ("iso_dates.csv", ["--date-col", "sales"], "the column 'sales' holds no readable dates or times"),
        ("iso_dates.csv", ["--duplicates", "avg"], "argument --duplicates: invalid choice: 'avg'"),
        ("iso_dates.csv", ["--dayfirst", "--monthfirst"], "not allowed with argument --dayfirst"),
        ("short.csv", ["--window", "30"], "the window (30 steps) is too long for the training part"),
    ],
)
def test_refusals_exit_2_with_one_error_line(corpus, capsys, name, flags, message):
    assert main(["train", "--csv", str(corpus[name]), "--quiet", *flags]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    assert message in captured.err


def test_data_source_flags_map_onto_the_config(corpus):
    config = config_of("--csv", "x.csv", "--duplicates", "last", "--missing", "ffill", "--resample", "auto",
                       "--monthfirst", "--max-mb", "2.5", "--max-rows", "500")
    source = config.source
    assert (source.duplicates, source.missing, source.resample) == ("last", "ffill", "auto")
    assert (source.dayfirst, source.max_mb, source.max_rows) == (False, 2.5, 500)
    assert ExperimentConfig.from_json(config.to_json()) == config
    assert config_of("--csv", "x.csv", "--decimal", "comma").source.decimal == "comma"
    defaults = config_of("--csv", "x.csv").source
    chosen = (defaults.duplicates, defaults.missing, defaults.resample, defaults.dayfirst, defaults.decimal)
    assert chosen == ("mean", "interpolate", None, None, "auto")


def test_the_flags_reach_the_loader(corpus):
    source = config_of("--csv", str(corpus["ambiguous_dates.csv"]), "--dayfirst").source
    assert str(load_series(source).timestamps[0].date()) == "2021-02-01"
    source = config_of("--csv", str(corpus["duplicates.csv"]), "--duplicates", "last").source
    assert load_series(source).values[5] == 1000.0
    source = config_of("--csv", str(corpus["irregular.csv"]), "--resample", "auto").source
    assert len(load_series(source)) == 40
    source = config_of("--csv", str(corpus["semicolon_either_way.csv"]), "--decimal", "point").source
    assert load_series(source).values[0] == float(EITHER_WAY[0].replace(",", ""))


def test_train_on_a_messy_csv_prints_the_load_report(corpus):
    done = run_cli("train", "--csv", str(corpus["latin1_decimal_comma.csv"]), "--features", "Débit", *TINY)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.splitlines()[:5] == [
        "rows read: 40, rows kept: 40",
        "file: Latin-1 (Windows-1252), semicolon separated, decimal comma, a header row",
        "target: 'Température'; features: 'Débit'",
        "time: 'Datum' (dd.mm.yyyy), 2021-01-01 .. 2021-02-09, daily",
        "the file is not UTF-8: read it as Latin-1 (Windows-1252)",
    ]
    assert "test RMSE" in done.stdout and "forecast (3 steps)" in done.stdout


@pytest.mark.parametrize(("name", "message"), [
    ("binary.csv", "the file holds binary data, not CSV text"),
    ("huge.csv", "the values of 'huge' reach 1.84e+302, too large to compute errors with: rescale the "
                 "column (divide it by a power of ten) before loading it"),
])
def test_a_refused_csv_exits_2_without_a_traceback(corpus, name, message):
    done = run_cli("train", "--csv", str(corpus[name]), "--quiet")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"error: {message}"]


def test_json_output_carries_the_load_report(corpus, capsys):
    assert main(["train", "--csv", str(corpus["junk_values.csv"]), "--missing", "ffill", *TINY,
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["config"]["source"]["missing"] == "ffill"
    assert result["n_samples"] == 40 and len(result["forecast"]) == 3
    assert "filled missing values by the previous value ('value' 5)" in result["load_report"]
    assert np.isfinite(result["test_rmse"])


def test_heavy_or_misread_files_are_refused_on_the_command_line(tmp_path, capsys):
    airline = EXAMPLES["airline_passengers"]
    comma = tmp_path / "comma.csv"
    comma.write_text("date,value\n2020-01,15,3\n2020-02,16,1\n2020-03,17,25\n")
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"v{i}" for i in range(1001)) + "\n" + ",".join(["1"] * 1001) + "\n")
    for flags, message in (
        (["--csv", str(comma)], "values seem to use a decimal comma in a comma-separated file: save it "
                                "with ';' as separator or quote the values"),
        (["--csv", str(airline.path), "--target", "passengers", "--resample", "1min"],
         "resampling to '1min' steps would make 6,266,881 rows from 144, over the limit of 1,000,000 rows"),
        (["--csv", str(wide)], "line 1 has 1,001 fields, over the limit of 1,000 columns"),
    ):
        assert main(["train", *flags, "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1 and message in err


def test_a_year_per_row_file_trains_as_one_monthly_series_unless_a_month_is_named(tmp_path):
    path = tmp_path / "temperatures.csv"
    rows = [f"{1990 + y}," + ",".join(str(y + m / 10) for m in range(12)) for y in range(4)]
    path.write_text("YEAR,JAN,FEB,MAR,APR,MAY,JUN,JUL,AUG,SEP,OCT,NOV,DEC\n" + "\n".join(rows) + "\n")
    series = load_series(config_of("--csv", str(path)).source)
    assert len(series) == 48 and series.values[12] == 1.0 and series.report.frequency == "monthly"
    assert any(line.startswith("read as one monthly series: a year column ('YEAR') and 12 month columns")
               for line in series.report.lines())
    assert len(load_series(config_of("--csv", str(path), "--target", "FEB").source)) == 4
