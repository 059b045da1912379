"""Layouts that used to be misread: a year per row with a column per month, and decimal commas
in a comma-separated file."""

import calendar

import numpy as np
import pytest

from lstm_core.data.csv.load import LoadOptions, inspect_csv, load_csv
from lstm_core.errors import DataError

UPPER = [m.upper() for m in calendar.month_abbr[1:]]  # JAN .. DEC
FULL = list(calendar.month_name[1:])  # January .. December
NUMBERED = [str(m) for m in range(1, 13)]


def year_per_row(months: list[str], year: str = "YEAR", extra: str = "", blank_last: int = 0) -> bytes:
    rows = [f"{year},{','.join(months)}{',' + extra if extra else ''}"]
    for y in range(3):
        values = [str(100 * y + m) for m in range(1, 13)]
        if y == 2 and blank_last:
            values[-blank_last:] = [""] * blank_last
        rows.append(f"{1990 + y},{','.join(values)}{',0' if extra else ''}")
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("months", [UPPER, FULL, NUMBERED])
def test_a_year_per_row_table_reads_as_one_monthly_series(months):
    series = load_csv(year_per_row(months))
    assert series.values.tolist() == [100 * y + m for y in range(3) for m in range(1, 13)]
    assert series.timestamps[0].isoformat() == "1990-01-01T00:00:00"
    assert series.timestamps[-1].isoformat() == "1992-12-01T00:00:00"
    assert series.report.frequency == "monthly"
    assert (f"read as one monthly series: a year column ('YEAR') and 12 month columns ('{months[0]}' .. "
            f"'{months[-1]}') became the columns 'month' and 'value'") in "\n".join(series.report.lines())
    assert not series.report.warnings


def test_blank_months_are_missing_values_and_other_columns_are_ignored():
    series = load_csv(year_per_row(FULL, year="Year", extra="J-D", blank_last=2))
    assert len(series) == 34 and series.values[-1] == 210  # Nov and Dec of the last year are blank
    lines = "\n".join(series.report.lines())
    assert "; ignored 'J-D' (name a column as the target to read the columns as they are)" in lines
    assert "dropped 2 row(s) at the start or end with no value to fill from" in lines


def test_a_blank_inside_the_series_is_filled_like_any_missing_value():
    content = year_per_row(UPPER).replace(b"1990,1,2,3", b"1990,1,,3")
    series = load_csv(content)
    assert series.values[1] == pytest.approx(2, abs=0.1)
    assert "'value': 1 value(s) missing in the file (1 empty)" in series.report.lines()


def test_the_preview_offers_the_monthly_reading():
    preview = inspect_csv(year_per_row(UPPER))
    assert (preview.columns, preview.numeric) == (["month", "value"], ["value"])
    assert preview.default_target == "value"
    assert preview.time_label == "'month' (ISO 8601)" and preview.rows == 36
    assert any(note.startswith("read as one monthly series") for note in preview.notes)
    eleven = inspect_csv(year_per_row(UPPER).replace(b",DEC", b",TOTAL"))
    assert eleven.default_target == "JAN"  # eleven months: not this layout


def test_the_option_or_naming_a_month_column_keeps_the_columns():
    for kwargs, options in (({}, LoadOptions(wide=False)), ({"target": "MAR"}, None)):
        series = load_csv(year_per_row(UPPER), options=options, **kwargs)
        assert len(series) == 3 and series.name == kwargs.get("target", "JAN")
        assert series.report.warnings[0].startswith("the table looks wide: 12 columns (JAN .. DEC)")


# --- decimal commas in a comma-separated file ---------------------------------------------------

ADVICE = ("values seem to use a decimal comma in a comma-separated file: save it with ';' as "
          "separator or quote the values")


@pytest.mark.parametrize("content", [
    b"date,value\n2020-01,15,3\n2020-02,16,1\n2020-03,17,25\n",
    b"date,value\n2020-01,15,3\n2020-02,16\n2020-03,17,25\n2020-04,18\n2020-05,19\n2020-06,20\n",
    b"date,a,b\n2020-01,15,3,-2,5\n2020-02,1.234,5,7\n2020-03,17,2,8\n",
])
def test_unquoted_decimal_commas_are_refused_with_advice(content):
    with pytest.raises(DataError) as refused:
        load_csv(content)
    assert str(refused.value).startswith(ADVICE + " (line 2, '2020-01,15,3")
    quoted = load_csv(b'date,value\n2020-01,"15,3"\n2020-02,"16,1"\n2020-03,"17,25"\n')
    semicolon = load_csv(b"date;value\n2020-01;15,3\n2020-02;16,1\n2020-03;17,25\n")
    assert np.allclose(quoted.values, [15.3, 16.1, 17.25])
    assert np.allclose(semicolon.values, [15.3, 16.1, 17.25])


    for other in (b"date,value\n2020-01,1\n2020-02,2,x\n2020-03,3\n2020-04,4\n2020-05,5\n",  # words
                  b"date,value\n2021-01-01,1\n2021-01-02,2,3,4\n2021-01-03,3\n2021-01-04,4\n"):  # 2 extra
        try:
            load_csv(other)
        except DataError as refused:
            assert "decimal comma" not in str(refused)


def test_a_tie_is_explained_with_a_value_whose_two_readings_differ():
    series = load_csv(b"v\n0.000\n1.250\n2.500\n0.000\n")
    assert series.report.actions[0] == ("decimal point: values such as '1.250' read either way, so '1.250' "
                                        "is 1.25 (set decimal to comma if it means 1250)")


# --- a quote opened and never closed -------------------------------------------------------------

@pytest.mark.parametrize(("content", "line", "lines"), [
    # no decimal anywhere: a line with one field, then a quote never closed (it was refused as
    # decimal commas: the rest of the file, read as one value, made a row longer than the header)
    (b't,value\n1,10\n2\n3,12,"\n4,13\n5,14\n6,15\n', 4, 4),
    # read as a file of two rows, silently, before
    (b'month,passengers\n1949-01,112\n1949-02,"118\n1949-03,132\n1949-04,129\n', 3, 3),
    (b'"month,passengers\n1949-01,112\n1949-02,118\n', 1, 3),
])
def test_a_quote_never_closed_is_named_as_the_cause(content, line, lines):
    with pytest.raises(DataError) as refused:
        load_csv(content)
    assert str(refused.value) == (f"line {line} opens a quote (\") that is never closed, so the {lines} "
                                  "lines from there to the end of the file read as one value: close the "
                                  "quote or remove it")


def test_quoted_values_over_several_lines_and_escaped_quotes_still_load():
    series = load_csv(b'date,note,value\n2021-01-01,"two\nlines",1\n2021-01-02,"say ""hi""",2\n'
                      b'2021-01-03,"last\nrow, quoted",3\n', target="value")
    assert series.values.tolist() == [1, 2, 3]
