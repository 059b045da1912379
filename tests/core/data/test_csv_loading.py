"""CSV loading over a corpus of messy files: what is read, what is cleaned, what is refused."""

import io

import numpy as np
import pandas as pd
import pytest

from lstm_core.data.csv.load import LoadOptions, inspect_csv, load_csv
from lstm_core.data.csv.numbers import detect_decimal, parse_column
from lstm_core.errors import ConfigError, DataError
from tests.core.data.csv_corpus import (
    CORPUS,
    DUPLICATED,
    EITHER_WAY,
    HUGE,
    INFINITE,
    IRREGULAR_GAPS,
    JUNK,
    RAGGED_LONG,
    RAGGED_SHORT,
    UNSORTED_ORDER,
    N,
    wave,
    write_corpus,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture
def load(corpus):
    def _load(name: str, **kwargs):
        return load_csv(corpus[name], **kwargs)
    return _load


def lines(series) -> list[str]:
    return series.report.lines()


def test_the_corpus_has_a_file_for_every_case(corpus):
    assert len(CORPUS) >= 25
    assert all(path.read_bytes() == CORPUS[name] for name, path in corpus.items())


# --- encodings, separators, number formats, headers ------------------------------------------

@pytest.mark.parametrize(
    ("name", "file_line", "target"),
    [
        ("iso_dates.csv", "file: UTF-8, comma separated, decimal point, a header row", "sales"),
        ("bom_semicolon.csv", "file: UTF-8 with BOM, semicolon separated, decimal point, a header row",
         "Wert"),
        ("utf16_tab.tsv", "file: UTF-16, tab separated, decimal point, a header row", "value"),
        ("utf16le_no_bom.csv", "file: UTF-16, comma separated, decimal point, a header row", "value"),
        ("no_header.csv", "file: UTF-8, comma separated, decimal point, no header row", "column 2"),
    ],
)
def test_encodings_and_separators_give_the_same_series(load, name, file_line, target):
    series = load(name)
    assert lines(series)[1] == file_line
    assert series.name == target
    np.testing.assert_array_equal(series.values, wave())
    assert series.timestamps[0] == pd.Timestamp("2021-01-01") and len(series) == N


def test_utf8_bom_and_quotes_stay_out_of_the_column_names(corpus):
    preview = inspect_csv(corpus["bom_semicolon.csv"])
    assert preview.columns == ["Datum", "Wert"]
    assert preview.time_column == "Datum"


def test_latin1_with_decimal_comma_and_thousands_points(load):
    series = load("latin1_decimal_comma.csv", features=["Débit"])
    assert series.name == "Température" and series.feature_names == ["Débit"]
    np.testing.assert_allclose(series.values, wave(scale=20))
    np.testing.assert_allclose(series.features["Débit"], np.round(np.array(wave(scale=20)) / 100, 2))
    assert lines(series)[1:5] == [
        "file: Latin-1 (Windows-1252), semicolon separated, decimal comma, a header row",
        "target: 'Température'; features: 'Débit'",
        "time: 'Datum' (dd.mm.yyyy), 2021-01-01 .. 2021-02-09, daily",
        "the file is not UTF-8: read it as Latin-1 (Windows-1252)",
    ]


def test_a_decimal_point_setting_finds_no_numbers_in_a_decimal_comma_file(load, corpus):
    options = LoadOptions(decimal="point")
    message = "no numeric column to forecast: 'Température', 'Débit' hold text such as '2.000,00'"
    with pytest.raises(DataError, match=message):
        inspect_csv(corpus["latin1_decimal_comma.csv"], options=options)
    with pytest.raises(DataError, match=message):
        load("latin1_decimal_comma.csv", options=options)


def test_pipe_separated_with_thousands_commas(load):
    series = load("pipe_thousands.csv")
    assert b"|2,135.89\n" in CORPUS["pipe_thousands.csv"]
    np.testing.assert_allclose(series.values, wave(scale=20))
    assert lines(series)[1] == "file: UTF-8, pipe separated, decimal point, a header row"


def test_quoted_headers_and_quoted_numbers_with_commas(load):
    series = load("quoted_headers.csv", features=["Units"])
    assert series.name == "Revenue, EUR"
    np.testing.assert_allclose(series.values, wave(scale=20))
    np.testing.assert_array_equal(series.features["Units"], [i % 5 for i in range(N)])
    assert lines(series)[3].startswith("time: 'Order Date' (ISO 8601)")


def test_a_file_without_header_names_its_columns_by_position(load):
    series = load("no_header.csv")
    assert "no header row: columns are named column 1 .. column 2" in lines(series)
    assert lines(series)[3].startswith("time: 'column 1' (ISO 8601)")


def test_an_excel_export_with_title_lines_and_trailing_separators(load):
    series = load("excel_export.csv")
    assert series.name == "Umsatz" and len(series) == N
    np.testing.assert_allclose(series.values, wave(scale=20))
    assert lines(series)[0] == f"rows read: {N}, rows kept: {N}"
    assert "skipped 2 line(s) before the table, starting 'Sales report'" in lines(series)
    assert "ignored 1 empty column(s) without a name" in lines(series)


def test_a_few_ragged_rows_are_dropped_or_padded(load):
    series = load("some_ragged.csv")
    assert lines(series)[0] == f"rows read: {N}, rows kept: {N - 1}"
    assert f"dropped 1 row(s) with more than 2 fields (line {RAGGED_LONG + 2})" in lines(series)
    assert "1 row(s) had fewer than 2 fields: the missing fields count as empty" in lines(series)
    w = wave()  # the long row comes first: the short one moves up by one
    assert series.values[RAGGED_SHORT - 1] == pytest.approx((w[RAGGED_SHORT - 1] + w[RAGGED_SHORT + 1]) / 2)


@pytest.mark.parametrize(
    ("cell", "decimal", "number"),
    [("1,234.5", ".", 1234.5), ("1.234,5", ",", 1234.5), ("1 234,5", ",", 1234.5),
     ("1'234.5", ".", 1234.5), ("-3e2", ".", -300.0), ("+.5", ".", 0.5), ("12", ",", 12.0)],
)
def test_number_formats(cell, decimal, number):
    assert parse_column(pd.Series([cell], dtype="str"), decimal).values[0] == number


def test_the_decimal_mark_is_voted_by_cells_that_read_only_one_way():
    cells = pd.DataFrame({"a": ["1,234", "2,5", "3"], "b": ["01.02.2021", "x", ""]}, dtype="str")
    for separator in (";", ","):
        assert detect_decimal(cells, separator).mark == ","
        assert detect_decimal(cells.replace({"2,5": "2.5"}), separator).mark == "."


COMMA_READING = [float(cell.replace(",", ".")) for cell in EITHER_WAY]  # '15,136' -> 15.136


def test_values_that_read_either_way_take_the_decimal_comma_in_a_semicolon_file(load):
    series = load("semicolon_either_way.csv")
    np.testing.assert_allclose(series.values, COMMA_READING)
    assert lines(series)[1] == "file: UTF-8, semicolon separated, decimal comma, a header row"
    assert lines(series)[4] == (
        f"decimal comma: values such as {EITHER_WAY[0]!r} read either way and the file is semicolon "
        f"separated, so {EITHER_WAY[0]!r} is {COMMA_READING[0]:g} (set decimal to point if it means "
        f"{COMMA_READING[0] * 1000:g})")


def test_values_that_read_either_way_take_the_decimal_point_elsewhere_and_say_so(load):
    series = load("pipe_either_way.csv")
    np.testing.assert_allclose(series.values, np.array(COMMA_READING) * 1000)
    assert lines(series)[1] == "file: UTF-8, pipe separated, decimal point, a header row"
    assert lines(series)[4] == (
        f"decimal point: values such as {EITHER_WAY[0]!r} read either way, so {EITHER_WAY[0]!r} is "
        f"{COMMA_READING[0] * 1000:g} (set decimal to comma if it means {COMMA_READING[0]:g})")


@pytest.mark.parametrize(("name", "decimal", "scale", "mark"), [
    ("semicolon_either_way.csv", "point", 1000, "decimal point"),
    ("pipe_either_way.csv", "comma", 1, "decimal comma"),
])
def test_the_decimal_setting_overrules_the_cells(load, corpus, name, decimal, scale, mark):
    options = LoadOptions(decimal=decimal)
    assert mark in inspect_csv(corpus[name], options=options).notes[0]
    series = load(name, options=options)
    np.testing.assert_allclose(series.values, np.array(COMMA_READING) * scale)
    assert lines(series)[1].endswith(f"separated, {mark}, a header row")
    assert not any(line.startswith("decimal ") for line in lines(series))


# --- time columns ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "time_line"),
    [
        ("iso_dates.csv", "time: 'date' (ISO 8601), 2021-01-01 .. 2021-02-09, daily"),
        ("iso_datetimes.csv", "time: 'timestamp' (ISO 8601), 2021-03-01 .. 2021-03-02 15:00:00, hourly"),
        ("dmy_dots.csv", "time: 'date' (dd.mm.yyyy), 2021-01-01 .. 2021-02-09, daily"),
        ("mdy_slashes.csv", "time: 'date' (mm/dd/yyyy), 2021-01-01 .. 2021-02-09, daily"),
        ("dmy_slashes.csv", "time: 'date' (dd/mm/yyyy), 2021-01-01 .. 2021-02-09, daily"),
        ("yyyymmdd.csv", "time: 'day' (yyyymmdd), 2021-01-01 .. 2021-02-09, daily"),
        ("month_names.csv", "time: 'date' (Mon dd yyyy), 1995-01-01 .. 1998-04-01, monthly"),
        ("year_only.csv", "time: 'year' (year), 1971-01-01 .. 2010-01-01, yearly"),
        ("year_quarter.csv",
         "time: 'Year' + 'Quarter' (year + quarter), 2000-01-01 .. 2009-10-01, quarterly"),
        ("year_month.csv", "time: 'year' + 'month' (year + month), 2019-01-01 .. 2022-04-01, monthly"),
        ("business_days.csv", "time: 'date' (ISO 8601), 2021-01-01 .. 2021-02-25, business days"),
    ],
)
def test_time_formats_are_detected_and_read(load, name, time_line):
    series = load(name)
    assert lines(series)[3] == time_line
    np.testing.assert_array_equal(series.values, wave())
    assert series.timestamps.is_monotonic_increasing and series.timestamps.is_unique
    assert series.report.warnings == []


def test_month_first_dates_are_told_by_a_day_above_12(load):
    series = load("mdy_slashes.csv")
    assert series.timestamps[12] == pd.Timestamp("2021-01-13")


def test_monthly_dates_settle_the_order_by_their_even_spacing(load):
    series = load("monthly_mdy.csv")
    assert "read as mm/dd/yyyy: only that order gives evenly spaced times" in lines(series)
    assert list(series.timestamps[:3]) == list(pd.date_range("2019-01-01", periods=3, freq="MS"))


def test_ambiguous_day_month_order_is_asked(corpus, load):
    with pytest.raises(DataError, match=r"the dates in 'date' \(e.g. '01/02/2021'\) could be "
                                        r"dd/mm/yyyy or mm/dd/yyyy: say whether the day or the month"):
        load("ambiguous_dates.csv")
    assert inspect_csv(corpus["ambiguous_dates.csv"]).dates_ambiguous
    day_first = load("ambiguous_dates.csv", options=LoadOptions(dayfirst=True))
    month_first = load("ambiguous_dates.csv", options=LoadOptions(dayfirst=False))
    assert day_first.timestamps[0] == pd.Timestamp("2021-02-01")
    assert month_first.timestamps[0] == pd.Timestamp("2021-01-02")
    assert "sorted the rows by time (the file was not in time order)" in lines(month_first)


def test_without_a_time_column_the_rows_keep_their_order(load):
    series = load("no_time.csv")
    assert series.timestamps is None
    assert series.name == "temperature"  # 'reading' counts rows 1, 2, 3, ...: not a target
    np.testing.assert_array_equal(series.values, wave())
    assert lines(series)[3] == "time: no time column, the rows are used in file order"


def test_rows_whose_time_cannot_be_read_are_dropped(load):
    series = load("unreadable_times.csv")
    assert len(series) == N - 1 and wave()[7] not in series.values
    assert "dropped 1 row(s) whose time could not be read ('soon')" in lines(series)


def test_a_chosen_time_column_and_its_partner(load):
    by_quarter = load("year_quarter.csv", date_col="Quarter")
    assert by_quarter.report.time_columns == ("Year", "Quarter")
    assert by_quarter.timestamps[1] == pd.Timestamp("2000-04-01")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"date_col": "sales"}, "the column 'sales' holds no readable dates or times "
                                "(it starts '100.0', '106.79', '112.41')"),
        ({"date_col": "when"}, "no column named 'when' for the time; the file has: date, sales, price"),
        ({"target": "revenue"}, "no column named 'revenue' for the target; the file has: date, sales, price"),
        ({"features": ["date"]}, "the column 'date' holds the time; choose another column for the feature"),
    ],
)
def test_wrong_column_choices_are_refused(load, kwargs, message):
    with pytest.raises(DataError) as refused:
        load("iso_dates.csv", **kwargs)
    assert str(refused.value) == message


def test_a_text_column_is_no_target(load):
    with pytest.raises(DataError, match="the column 'city' holds text, not numbers \\(e.g. 'Paris'\\)"):
        load("no_numeric.csv", target="city")


# --- order, duplicates, spacing -----------------------------------------------------------------

def test_unsorted_rows_are_sorted_by_time(load):
    series = load("unsorted.csv")
    assert UNSORTED_ORDER[:3] == [0, 7, 14]
    np.testing.assert_array_equal(series.values, wave())
    assert "sorted the rows by time (the file was not in time order)" in lines(series)


def test_a_newest_first_file_is_reversed(load):
    series = load("newest_first.csv")
    np.testing.assert_array_equal(series.values, wave())
    assert "reversed the rows into time order (the file runs newest first)" in lines(series)


@pytest.mark.parametrize(
    ("rule", "line", "at_5", "at_6"),
    [
        ("mean", "merged 4 rows sharing 2 timestamp(s) into their mean",
         (wave()[5] + DUPLICATED[5]) / 2, (wave()[6] + DUPLICATED[6]) / 2),
        ("last", "kept the last of 4 rows sharing 2 timestamp(s) and dropped the other 2",
         DUPLICATED[5], DUPLICATED[6]),
        ("drop", "kept the first of 4 rows sharing 2 timestamp(s) and dropped the other 2",
         wave()[5], wave()[6]),
    ],
)
def test_duplicate_timestamps_follow_the_chosen_rule(load, rule, line, at_5, at_6):
    series = load("duplicates.csv", options=LoadOptions(duplicates=rule))
    assert lines(series)[0] == f"rows read: {N + 2}, rows kept: {N}"
    assert line in lines(series)
    assert series.values[5] == pytest.approx(at_5) and series.values[6] == pytest.approx(at_6)
    assert series.timestamps.is_unique


def test_irregular_spacing_is_reported(load):
    series = load("irregular.csv")
    assert len(series) == N - len(IRREGULAR_GAPS)
    assert lines(series)[3] == (
        "time: 'date' (ISO 8601), 2021-01-01 .. 2021-02-09, irregular, mostly daily: 2 of 36 steps "
        "differ, 3 step(s) missing; the largest gap runs from 2021-01-03 to 2021-01-06"
    )
    assert series.report.warnings == [
        "the steps are uneven but the LSTM treats them as equal: resample to even them out "
        "(resample 'auto' keeps the usual step)"
    ]


def test_resampling_to_the_usual_step_fills_the_gaps(load):
    series = load("irregular.csv", options=LoadOptions(resample="auto"))
    assert len(series) == N and series.report.warnings == []
    w = wave()
    np.testing.assert_allclose(series.values[3:5], [w[2] + (w[5] - w[2]) / 3, w[2] + 2 * (w[5] - w[2]) / 3])
    assert series.values[10] == pytest.approx((w[9] + w[11]) / 2)
    assert "resampled to daily steps (mean of each step): 37 rows became 40; 3 empty step(s) count " \
           "as missing" in lines(series)
    assert lines(series)[3].endswith(", daily")


def test_resampling_to_weeks_averages_each_week(load):
    series = load("iso_dates.csv", options=LoadOptions(resample="W"))
    assert series.timestamps[0] == pd.Timestamp("2021-01-03")  # 1 to 3 January: a Sunday closes the week
    assert series.values[0] == pytest.approx(np.mean(wave()[:3]))
    assert series.values[1] == pytest.approx(np.mean(wave()[3:10]))


def test_resampling_needs_a_time_column(load):
    with pytest.raises(DataError, match="resampling needs a time column, and this file has none"):
        load("no_time.csv", options=LoadOptions(resample="D"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"duplicates": "avg"}, "duplicates must be one of mean, last, drop, got 'avg'"),
        ({"missing": "zero"}, "missing must be one of interpolate, ffill, drop, got 'zero'"),
        ({"resample": "fortnightly"}, "resample must be 'auto' or a pandas frequency such as D, W, MS, h"),
        ({"max_rows": 0}, "the size limit and the row limit must be positive"),
        ({"decimal": "dot"}, "decimal must be one of auto, point, comma, got 'dot'"),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(ConfigError, match=message):
        LoadOptions(**options)


# --- values ----------------------------------------------------------------------------------

def test_junk_values_are_counted_and_interpolated(load):
    series = load("junk_values.csv")
    w = wave()
    assert len(series) == N and set(JUNK) == {2, 5, 9, 14, 20}
    assert series.values[2] == pytest.approx((w[1] + w[3]) / 2)
    assert series.values[14] == pytest.approx((w[13] + w[15]) / 2)
    missing = next(line for line in lines(series) if line.startswith("'value': 5 value(s) missing"))
    for kind in ("1 'n/a'", "1 '--'", "1 empty", "1 'error'", "1 'N/A'"):
        assert kind in missing
    assert "filled missing values by linear interpolation ('value' 5)" in lines(series)


def test_missing_values_by_forward_fill(load):
    series = load("junk_values.csv", options=LoadOptions(missing="ffill"))
    assert series.values[2] == wave()[1] and series.values[5] == wave()[4]
    assert "filled missing values by the previous value ('value' 5)" in lines(series)


def test_missing_values_by_dropping_their_rows(load):
    series = load("junk_values.csv", options=LoadOptions(missing="drop"))
    assert len(series) == N - len(JUNK)
    np.testing.assert_array_equal(series.values, [v for i, v in enumerate(wave()) if i not in JUNK])
    assert "dropped 5 row(s) with a missing value ('value' 5)" in lines(series)


def test_infinities_count_as_missing(load):
    series = load("infinities.csv")
    assert np.all(np.isfinite(series.values)) and len(series) == N
    assert series.values[3] == pytest.approx((wave()[2] + wave()[4]) / 2)
    assert len(INFINITE) == 4
    assert ("'value': 4 value(s) missing in the file (4 infinite); infinities count as missing"
            in lines(series))


def test_missing_values_at_the_edges_are_dropped():
    series = load_csv(b"t,v\n1,\n2,5\n3,n/a\n4,7\n5,\n")
    np.testing.assert_array_equal(series.values, [5, 6, 7])
    assert "dropped 2 row(s) at the start or end with no value to fill from" in series.report.lines()


def test_a_series_filled_in_for_the_most_part_is_flagged():
    series = load_csv(b"v\n1\nn/a\n?\n--\n5\n")
    np.testing.assert_array_equal(series.values, [1, 2, 3, 4, 5])
    assert series.report.warnings == [
        "60% of 'v' was filled in: the model learns partly from invented values"
    ]


def test_target_and_features_are_chosen(load):
    series = load("iso_dates.csv", target="price", features=["sales", "sales"])
    assert series.name == "price" and series.feature_names == ["sales"]
    np.testing.assert_allclose(series.matrix()[:, 1], wave())


# --- refusals ---------------------------------------------------------------------------------

REFUSALS = [
    ("empty.csv", {}, "the file is empty"),
    ("blank.csv", {}, "the file is empty"),
    ("header_only.csv", {}, "the file has a header row (date, value) but no data rows"),
    ("binary.csv", {}, "the file holds binary data, not CSV text"),
    ("workbook.csv", {}, "the file is a ZIP archive (an Excel .xlsx workbook is one), not CSV text: "
                         "export it as CSV first"),
    ("no_numeric.csv", {}, "the file has no numeric column to forecast: 'city', 'country' hold text "
                           "such as 'Paris'"),
    ("ragged.csv", {}, "the rows do not line up: the header has 2 fields but line 3 has 4 (only 2 of 6 "
                       "lines have 2); check the separator and the quotes"),
    ("all_missing.csv", {}, "every value is missing: 'value' holds only empty cells or placeholders "
                            "(4 empty, 2 'n/a', 1 '--', 1 'NaN', 1 '-', 1 other)"),
    ("many_rows.csv", {"max_rows": 100}, "the file has more data rows than the limit of 100 rows"),
]


@pytest.mark.parametrize(("content", "message"), [
    (b"date,value\n2021-01-01\n2021-01-02\n2021-01-03,3\n2021-01-04,4,x\n",
     "the header has 2 fields but line 2 has 1 (only 2 of 5 lines have 2)"),
    (b"Sales report\ndate,value\n1,1\n2,2,x\n3,3,y\n4,4,z\n5,5\n",  # lines count the title
     "the header has 2 fields but line 4 has 3 (only 3 of 6 lines have 2)"),
    (b"2021-01-01,1\n2021-01-02\n2021-01-03\n2021-01-04,4,5\n2021-01-05,5\n",
     "line 1 has 2 fields but line 2 has 1 (only 2 of 5 lines have 2)"),
    (b"2021-01-01,1,2\n2021-01-02,2\n2021-01-03,3\n2021-01-04,4,5,6\n2021-01-05\n",
     "line 1 has 3 fields but line 2 has 2 (only 1 of 5 lines have 3)"),
])
def test_rows_that_do_not_line_up_are_measured_against_the_first_line(content, message):
    with pytest.raises(DataError) as refused:
        load_csv(content)
    assert str(refused.value) == f"the rows do not line up: {message}; check the separator and the quotes"


@pytest.mark.parametrize(("name", "options", "message"), REFUSALS)
def test_unusable_files_are_refused_with_one_clear_line(load, corpus, name, options, message):
    with pytest.raises(DataError) as refused:
        load(name, options=LoadOptions(**options))
    assert str(refused.value) == message and "\n" not in message
    with pytest.raises(DataError):
        inspect_csv(corpus[name], options=LoadOptions(**options))


def test_a_file_over_the_size_limit_is_refused(corpus):
    size_kb = len(CORPUS["large.csv"]) / 1024
    small = LoadOptions(max_bytes=1024)
    with pytest.raises(DataError, match=rf"^the file is {size_kb:.3g} KB, over the 1 KB limit$"):
        load_csv(corpus["large.csv"], options=small)
    with pytest.raises(DataError, match="^the file is over the 1 KB limit$"):
        load_csv(io.BytesIO(CORPUS["large.csv"]), options=small)
    assert len(load_csv(corpus["large.csv"])) == 200  # under the default 50 MB


def test_a_missing_path_is_refused():
    with pytest.raises(DataError, match="^no such file: nowhere.csv$"):
        load_csv("nowhere.csv")


# --- warnings ---------------------------------------------------------------------------------

def test_a_constant_series_is_loaded_with_a_warning(load):
    series = load("constant.csv")
    assert series.report.warnings == ["the series is constant (every value is 5): there is nothing to learn"]
    assert "warning: the series is constant (every value is 5): there is nothing to learn" in lines(series)


def test_a_series_too_short_for_the_window_is_loaded_with_a_warning(load):
    assert load("iso_dates.csv", window=3).report.warnings == []
    assert load("short.csv", window=30).report.warnings == [
        "the series is too short for a window of 30: with the default split its training part holds "
        "9 of 12 rows, and a window of 30 needs at least 40"
    ]


def test_a_wide_table_with_one_column_per_month_is_flagged(load):
    series = load("wide_months.csv", options=LoadOptions(wide=False))
    assert series.name == "Jan" and len(series) == 10
    assert series.report.warnings == [
        "the table looks wide: 12 columns (Jan .. Dec) each hold one period; reshape it to one row per "
        "period (a time column and a value column); only 'Jan' is used now"
    ]


# --- sources and inspection ---------------------------------------------------------------------

def test_paths_bytes_and_file_objects_read_alike(corpus):
    content = CORPUS["dmy_dots.csv"]
    read_before = io.BytesIO(content)
    read_before.read()  # an uploader's buffer may have been read already: it is read from its start
    sources = [corpus["dmy_dots.csv"], str(corpus["dmy_dots.csv"]), content, bytearray(content),
               memoryview(content), read_before]
    for source in sources:
        series = load_csv(source)
        np.testing.assert_array_equal(series.values, wave())
        assert series.report.lines() == load_csv(content).report.lines()


def test_inspect_offers_the_column_choices(corpus):
    preview = inspect_csv(corpus["iso_dates.csv"])
    assert preview.columns == ["date", "sales", "price"]
    assert preview.numeric == ["sales", "price"]
    assert preview.default_target == "sales"
    assert (preview.time_column, preview.time_label) == ("date", "'date' (ISO 8601)")
    assert not preview.dates_ambiguous and preview.rows == N
    assert preview.head.shape == (10, 3) and preview.head.iloc[0, 1] == "100.0"
    assert preview.notes == ["UTF-8, comma separated, decimal point, a header row"]


def test_inspected_time_column_loads_the_same(corpus):
    preview = inspect_csv(corpus["year_quarter.csv"])
    assert preview.time_column == "Year" and preview.numeric == ["GDP"]
    chosen = load_csv(corpus["year_quarter.csv"], target=preview.default_target, date_col=preview.time_column)
    assert chosen.report.lines() == load_csv(corpus["year_quarter.csv"]).report.lines()


# --- values near the float limit -----------------------------------------------------------------

def test_values_too_large_to_compute_errors_with_are_refused(load, corpus):
    peak = max(wave()) * HUGE
    message = (f"the values of 'huge' reach {peak:.3g}, too large to compute errors with: rescale the "
               "column (divide it by a power of ten) before loading it")
    for kwargs in ({}, {"target": "huge"}, {"target": "fine", "features": ["huge"]}):
        with pytest.raises(DataError) as refused:
            load("huge.csv", **kwargs)
        assert str(refused.value) == message
    assert inspect_csv(corpus["huge.csv"]).numeric == ["huge", "fine"]
    np.testing.assert_array_equal(load("huge.csv", target="fine").values, wave())


def test_large_values_below_the_bound_load():
    series = load_csv(b"v\n-1e99\n5e99\n3\n")
    np.testing.assert_array_equal(series.values, [-1e99, 5e99, 3])
    with pytest.raises(DataError, match="the values of 'v' reach -2e[+]100, too large"):
        load_csv(b"v\n-2e100\n5e99\n3\n")
