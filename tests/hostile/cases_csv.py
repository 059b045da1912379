"""Hostile and heavy CSV files, built on the spot (nothing multi-MB is committed): each is loaded
by the app's CSV loader under the harness's memory and time ceilings, and must be refused with one
clear line or read sanely. Resampling is an option, not a file: its cases (1min, 1ns on the
airline example) live in tests/core/data/csv/test_csv_limits.py."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.harness import Case


def _write(name: str, content: bytes):
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content() if callable(content) else content)
        return path
    return build


def _columns(count: int, cell: str = "1", rows: int = 20) -> bytes:
    header = ",".join(f"v{i}" for i in range(count))
    return (header + "\n" + "\n".join([",".join([cell] * count)] * rows) + "\n").encode()


def _far_apart(clock: str) -> bytes:
    """32 rows, half on the first day of year 1 and half on the last day of year 9999."""
    stamps = [f"0001-01-01 {clock.format(i)}" for i in range(16)]
    stamps += [f"9999-12-31 {clock.format(i)}" for i in range(16)]
    return ("time,value\n" + "".join(f"{stamp},{i % 5}\n" for i, stamp in enumerate(stamps))).encode()


def _year_per_row() -> bytes:
    months = "JAN,FEB,MAR,APR,MAY,JUN,JUL,AUG,SEP,OCT,NOV,DEC"
    rows = [f"{year}," + ",".join(str(year % 7 + m) for m in range(12)) for year in range(1, 10_000)]
    return (f"YEAR,{months}\n" + "\n".join(rows) + ",,\n").encode()


CASES: list[Case] = [
    # the rows of issue 20's table
    Case("csv_10000_columns", "csv", _write("columns_10000.csv", lambda: _columns(10_000))),
    Case("csv_100000_columns", "csv", _write("columns_100000.csv", lambda: _columns(100_000))),
    Case("csv_24m_one_char_rows", "csv", _write("rows_24m.csv", lambda: b"1\n" * 24_000_000)),
    Case("csv_years_1_to_9999_hourly", "csv", _write("years_hourly.csv", lambda: _far_apart("{:02d}:00"))),
    Case("csv_years_1_to_9999_minutes", "csv", _write("years_minutes.csv", lambda: _far_apart("00:{:02d}"))),
    # others of the same kinds
    Case("csv_1000_date_like_text_columns", "csv",
         _write("text_columns.csv", lambda: _columns(1000, cell="2020-01-0x", rows=500))),
    Case("csv_one_line_of_5m_fields", "csv",
         _write("long_line.csv",
                lambda: b"date,value\n2021-01-01,1\n2021-01-02," + b"12," * 5_000_000 + b"\n")),
    Case("csv_1m_commas_inside_quotes", "csv",
         _write("quoted_commas.csv",
                lambda: b'date,note,value\n2021-01-01,"' + b"," * 1_000_000 + b'",1\n2021-01-02,x,2\n')),
    Case("csv_unclosed_quote", "csv",
         _write("unclosed_quote.csv",
                lambda: b'date,value\n2021-01-01,"1\n' + b"2021-01-02,2\n" * 2_000_000)),
    Case("csv_repeated_header_names", "csv",
         _write("repeated_names.csv", lambda: ((",".join(["a", "a (2)"] * 500) + "\n") * 3).encode())),
    Case("csv_decimal_commas_in_comma_file", "csv",
         _write("decimal_commas.csv", b"date,value\n2020-01,15,3\n2020-02,16,1\n2020-03,17,25\n")),
    Case("csv_year_per_row_9999_years", "csv", _write("year_per_row.csv", _year_per_row)),
    Case("csv_24m_cells_1000_columns", "csv",
         _write("cells.csv", lambda: _columns(1000, rows=24_000))),
    Case("csv_48m_blank_lines", "csv", _write("blank_lines.csv", lambda: b"value\n" + b"\n" * 48_000_000)),
]
