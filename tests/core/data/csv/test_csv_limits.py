"""Hostile or heavy CSV files are refused or read at a cost bounded by the limits, not by what
the file claims: columns counted before rows are split, rows counted while they are read,
resampling checked against the rows it would make, spans measured without their grid."""

import pandas as pd
import pytest

from lstm_core.data.csv import read, times
from lstm_core.data.csv.load import LoadOptions, inspect_csv, load_csv
from lstm_core.data.csv.read import MAX_COLUMNS
from lstm_core.data.csv.spacing import spacing_of
from lstm_core.data.examples import EXAMPLES
from lstm_core.errors import ConfigError, DataError


def wide_file(columns: int, cell: str = "1", rows: int = 3) -> bytes:
    header = ",".join(f"v{i}" for i in range(columns))
    return (header + "\n" + "\n".join([",".join([cell] * columns)] * rows) + "\n").encode()


# --- columns -----------------------------------------------------------------------------------

def test_a_header_over_the_column_limit_is_refused_before_the_rows_are_split():
    with pytest.raises(DataError) as refused:
        load_csv(wide_file(MAX_COLUMNS + 1))
    assert str(refused.value) == "line 1 has 1,001 fields, over the limit of 1,000 columns"
    assert len(inspect_csv(wide_file(MAX_COLUMNS)).columns) == MAX_COLUMNS
    quoted = '"' + "," * 2 * MAX_COLUMNS + '"'  # separators inside quotes are no columns
    series = load_csv(f"date,note,value\n2021-01-01,{quoted},1\n2021-01-02,x,2\n2021-01-03,y,4\n".encode())
    assert series.values.tolist() == [1, 2, 4]


def test_one_overlong_data_line_is_refused_by_its_line_number():
    content = b"date,value\n" + b"".join(b"2021-01-%02d,%d\n" % (day, day) for day in range(1, 20))
    content += b"2021-01-20," + b"1," * 50_000 + b"\n"
    with pytest.raises(DataError, match=r"^line 21 has 50,002 fields, over the limit of 1,000 columns$"):
        load_csv(content)


def test_column_names_are_looked_at_a_bounded_number_of_times_per_column(monkeypatch):
    """Finding the time once compared every column's name with every other's: 10,000 columns
    took minutes. The work per column must not grow with the number of columns."""
    calls = []
    normal = times._normal
    monkeypatch.setattr(times, "_normal", lambda name: calls.append(name) or normal(name))
    inspect_csv(wide_file(600))
    assert len(calls) <= 5 * 600


def test_text_columns_are_tried_as_times_together_not_one_by_one(monkeypatch):
    """Each candidate time format is parsed once for all text columns, not once per column."""
    counts = {}
    parse = times._parse
    for columns in (20, 400):
        calls = []
        monkeypatch.setattr(times, "_parse",
                            lambda cells, fmt, calls=calls: calls.append(fmt) or parse(cells, fmt))
        with pytest.raises(DataError, match="no numeric column"):
            inspect_csv(wide_file(columns, cell="1/2x"))
        counts[columns] = len(calls)
    assert counts[400] == counts[20]


def test_repeated_names_stay_distinct_even_when_a_number_is_taken():
    preview = inspect_csv(b"a,a,a (2),,column 4\n1,2,3,4,5\n2,3,4,5,6\n")
    assert preview.columns == ["a", "a (3)", "a (2)", "column 4", "column 4 (2)"]


def test_a_refusal_names_a_bounded_number_of_columns():
    with pytest.raises(DataError) as refused:
        inspect_csv(wide_file(MAX_COLUMNS, cell="abc"))
    assert "'v11' and 988 more hold text such as 'abc'" in str(refused.value)
    assert len(str(refused.value)) < 300


# --- rows --------------------------------------------------------------------------------------

def test_the_row_limit_stops_the_read_before_the_rest_of_the_file():
    """Past the limit the file is not read: a line the CSV reader cannot take (a field longer
    than its field limit) further down is never reached."""
    content = b"value\n" + b"1\n" * 500 + b'"' + b"x" * 200_000 + b'"\n' + b"2\n" * 10
    with pytest.raises(DataError) as refused:
        load_csv(content, options=LoadOptions(max_rows=100))
    assert str(refused.value) == "the file has more data rows than the limit of 100 rows"
    series = load_csv(b"value\n" + b"".join(b"%d\n" % (i % 7) for i in range(100)),
                      options=LoadOptions(max_rows=100))
    assert len(series) == 100  # at the limit: read


# --- resampling --------------------------------------------------------------------------------

@pytest.mark.parametrize(("frequency", "rows"), [("1min", "6,266,881"), ("1ns", "376,012,800,000,000,001")])
def test_a_resample_step_is_weighed_before_resampling(monkeypatch, frequency, rows):
    def no_resampling(*args, **kwargs):
        raise AssertionError("resampled before checking the rows it makes")

    monkeypatch.setattr(pd.DataFrame, "resample", no_resampling)
    airline = EXAMPLES["airline_passengers"]
    with pytest.raises(DataError) as refused:
        load_csv(airline.path, target=airline.target, date_col=airline.date_col,
                 options=LoadOptions(resample=frequency))
    assert str(refused.value) == (f"resampling to '{frequency}' steps would make {rows} rows from 144, "
                                  "over the limit of 1,000,000 rows: choose a longer step")
    monkeypatch.undo()
    series = load_csv(airline.path, target=airline.target, date_col=airline.date_col,
                      options=LoadOptions(resample="QS"))
    assert len(series) == 48  # within the limit: resampled


@pytest.mark.parametrize("frequency", ["0min", "-1D"])
def test_a_resample_step_that_does_not_move_forward_is_refused(frequency):
    with pytest.raises(ConfigError, match="resample needs a step forward in time"):
        LoadOptions(resample=frequency)


# --- time spans --------------------------------------------------------------------------------

def far_apart(clock: str) -> pd.DatetimeIndex:
    stamps = [f"0001-01-01 {clock.format(i)}" for i in range(16)]
    stamps += [f"9999-12-31 {clock.format(i)}" for i in range(16)]
    return pd.DatetimeIndex(pd.to_datetime(stamps, format="ISO8601"))


@pytest.mark.parametrize(("clock", "step"), [("{:02d}:00", pd.Timedelta(hours=1)),
                                             ("00:{:02d}", pd.Timedelta(minutes=1))])
def test_a_span_of_ten_thousand_years_is_described_without_its_grid(monkeypatch, clock, step):
    def no_grid(*args, **kwargs):
        raise AssertionError("built the regular grid")

    monkeypatch.setattr(pd, "date_range", no_grid)
    stamps = far_apart(clock)
    described = spacing_of(stamps)
    assert described.missing == (stamps[-1] - stamps[0]) // step + 1 - 32
    assert described.irregular == 1
    # the same counts as the grid gave: gaps in months and business days, none off the grid
    off_grid = pd.DatetimeIndex(["2021-01-01 00:00", "2021-01-01 01:00", "2021-01-01 02:30",
                                 "2021-01-01 03:30", "2021-01-01 04:30"])
    assert spacing_of(off_grid).missing is None
    months = pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-05-01", "2020-06-01"])
    assert spacing_of(months).missing == 2
    days = pd.bdate_range("2021-01-04", periods=12).delete([3, 4])
    assert spacing_of(days).missing == 2


def test_a_file_spanning_ten_thousand_years_loads_with_its_gaps_described():
    content = "time,value\n" + "".join(f"{stamp.isoformat(sep=' ')},{i % 5}\n"
                                       for i, stamp in enumerate(far_apart("00:{:02d}")))
    series = load_csv(content.encode())
    assert series.report.lines()[3].startswith("time: 'time' (ISO 8601), 0001-01-01 .. 9999-12-31 00:15:00")
    assert "1 of 31 steps differ, 5258963504 step(s) missing" in series.report.frequency


def test_cells_and_blank_lines_are_bounded_while_reading(monkeypatch):
    """Memory grows with cells (rows times columns), time with lines, blank ones included."""
    monkeypatch.setattr(read, "MAX_CELLS", 1000)
    with pytest.raises(DataError, match=r"^the file has more than 1,000 cells \(rows times columns\), "
                                        r"over the limit: keep fewer rows or columns$"):
        load_csv(wide_file(20, rows=60))
    assert len(load_csv(wide_file(20, rows=40))) == 40
    blank = b"value\n1\n" + b"\n" * 100 + b"2\n3\n"
    with pytest.raises(DataError, match=r"^the file has more than 63 lines, too many for its rows$"):
        load_csv(blank, options=LoadOptions(max_rows=10))
    assert len(load_csv(blank, options=LoadOptions(max_rows=30))) == 3


def test_a_resample_step_beyond_any_calendar_is_refused_in_words() -> None:
    from lstm_core.data.csv.spacing import resample_step
    from lstm_core.errors import ConfigError

    with pytest.raises(ConfigError, match="longer than any calendar can hold"):
        resample_step("1000000000000D", None)
