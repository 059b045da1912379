"""Messy CSV files as people really have them, written by the tests themselves.

:data:`CORPUS` maps a file name to its bytes; :func:`write_corpus` writes them all into a
folder. Most files hold :func:`wave` (a trend with a swing, two decimals) so that tests can
check the values read, not just that something was read.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

N = 40  # rows of most files: enough for a window of 3 with the default split


def wave(n: int = N, scale: float = 1.0) -> list[float]:
    return [round(scale * (100 + 2 * i + 10 * math.sin(i / 2)), 2) for i in range(n)]


def days(n: int = N, start: date = date(2021, 1, 1), fmt: str = "%Y-%m-%d") -> list[str]:
    return [(start + timedelta(days=i)).strftime(fmt) for i in range(n)]


def months(n: int, start_year: int = 2019) -> list[tuple[int, int]]:
    return [(start_year + i // 12, i % 12 + 1) for i in range(n)]


def table(rows: list[list[object]], header: list[str] | None = None, sep: str = ",") -> str:
    lines = ([sep.join(header)] if header else []) + [sep.join(map(str, row)) for row in rows]
    return "\n".join(lines) + "\n"


def _european(value: float) -> str:
    """1234.5 -> '1.234,50': thousands point, decimal comma."""
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _series(stamps: list[str], values: list[float] | None = None, header=("date", "value"),
            sep: str = ",") -> str:
    values = wave(len(stamps)) if values is None else values
    return table([[s, v] for s, v in zip(stamps, values, strict=True)], list(header), sep)


# Day and month both at most 12 and the times uneven in either reading: the order cannot be told.
AMBIGUOUS_DATES = ["01/02/2021", "03/04/2021", "05/06/2021", "02/07/2021", "11/08/2021", "06/09/2021",
                   "09/10/2021", "04/11/2021", "12/12/2021", "07/01/2022", "10/03/2022", "08/05/2022"]
UNSORTED_ORDER = [(7 * i) % N for i in range(N)]  # 7 and 40 share no factor: a permutation
DUPLICATED = {5: 1000.0, 6: 2000.0}  # row -> value of an extra row for the same day, written after it
IRREGULAR_GAPS = (3, 4, 10)  # days left out of a daily series
RAGGED_LONG, RAGGED_SHORT = 5, 9  # rows of some_ragged.csv; line = row + 2
JUNK = {2: "n/a", 5: "--", 9: "", 14: "error", 20: "N/A"}
INFINITE = {3: "inf", 8: "-inf", 12: "Infinity", 30: "1e999"}
EITHER_WAY = [f"{v / 10:.3f}".replace(".", ",") for v in wave()]  # '15,136': 15.136 or 15136
HUGE = 1e300  # squared differences of such values overflow
WIDE_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _duplicates() -> str:
    rows = []
    for i, (stamp, value) in enumerate(zip(days(), wave(), strict=True)):
        rows.append([stamp, value])
        if i in DUPLICATED:
            rows.append([stamp, DUPLICATED[i]])
    return table(rows, ["date", "value"])


def _ragged() -> str:
    """A good table with one row that has a field too many and one that lacks its value."""
    rows = [[d, v] for d, v in zip(days(), wave(), strict=True)]
    rows[RAGGED_LONG].append("oops")
    rows[RAGGED_SHORT].pop()
    return table(rows, ["date", "value"])


def _replaced(cells: dict[int, str]) -> str:
    values = [cells.get(i, v) for i, v in enumerate(wave())]
    return _series(days(), values)


def _utf8_texts() -> dict[str, str]:
    ws = wave()
    return {
        # encodings and separators
        "iso_dates.csv": table([[d, v, round(v / 10, 2)] for d, v in zip(days(), ws, strict=True)],
                               ["date", "sales", "price"]),
        "pipe_thousands.csv": _series(days(), [f"{v:,.2f}" for v in wave(scale=20)], sep="|"),
        "quoted_headers.csv": table(
            [[f'"{d}"', f'"{v:,.2f}"', i % 5] for i, (d, v) in enumerate(zip(days(), wave(scale=20),
                                                                             strict=True))],
            ['"Order Date"', '"Revenue, EUR"', '"Units"']),
        "no_header.csv": table([[d, v] for d, v in zip(days(), ws, strict=True)]),
        "excel_export.csv": "Sales report;;\nexported 2021-03-01;;\n" + table(
            [[d, _european(v), ""] for d, v in zip(days(fmt="%d.%m.%Y"), wave(scale=20), strict=True)],
            ["Datum", "Umsatz", ""], sep=";"),
        # time formats
        "iso_datetimes.csv": _series([f"2021-03-01T{h:02d}:00:00" for h in range(24)]
                                     + [f"2021-03-02T{h:02d}:00:00" for h in range(16)],
                                     header=("timestamp", "load")),
        "dmy_dots.csv": _series(days(fmt="%d.%m.%Y")),
        "mdy_slashes.csv": _series(days(fmt="%m/%d/%Y")),
        "dmy_slashes.csv": _series(days(fmt="%d/%m/%Y")),
        "ambiguous_dates.csv": _series(AMBIGUOUS_DATES),
        "monthly_mdy.csv": _series([f"{m:02d}/01/{y}" for y, m in months(24)]),
        "yyyymmdd.csv": _series(days(fmt="%Y%m%d"), header=("day", "value")),
        "month_names.csv": _series([f"{date(y, m, 1):%b}-1-{y}" for y, m in months(N, 1995)]),
        "year_only.csv": _series([str(1971 + i) for i in range(N)], header=("year", "population")),
        "year_quarter.csv": table([[2000 + i // 4, f"Q{i % 4 + 1}", v] for i, v in enumerate(ws)],
                                  ["Year", "Quarter", "GDP"]),
        "year_month.csv": table([[y, date(y, m, 1).strftime("%b"), v]
                                 for (y, m), v in zip(months(N), ws, strict=True)],
                                ["year", "month", "sales"], sep=";"),
        "no_time.csv": table([[i + 1, v] for i, v in enumerate(ws)], ["reading", "temperature"]),
        # order, duplicates, spacing
        "unsorted.csv": table([[days()[i], ws[i]] for i in UNSORTED_ORDER], ["date", "value"]),
        "newest_first.csv": table([[d, v] for d, v in zip(days()[::-1], ws[::-1], strict=True)],
                                  ["date", "value"]),
        "duplicates.csv": _duplicates(),
        "business_days.csv": _series([d for d in days(56) if date.fromisoformat(d).weekday() < 5]),
        "irregular.csv": table([[d, v] for i, (d, v) in enumerate(zip(days(), ws, strict=True))
                                if i not in IRREGULAR_GAPS], ["date", "value"]),
        "some_ragged.csv": _ragged(),
        "unreadable_times.csv": _series([("soon" if i == 7 else d) for i, d in enumerate(days())]),
        # values
        "junk_values.csv": _replaced(JUNK),
        "semicolon_either_way.csv": _series(days(), EITHER_WAY, sep=";"),
        "pipe_either_way.csv": _series(days(), EITHER_WAY, sep="|"),
        "huge.csv": table([[d, v * HUGE, v] for d, v in zip(days(), ws, strict=True)],
                          ["date", "huge", "fine"]),
        "infinities.csv": _replaced(INFINITE),
        # refusals
        "header_only.csv": "date,value\n",
        "no_numeric.csv": table([[d, "Paris", "France"] for d in days(10)], ["date", "city", "country"]),
        "ragged.csv": "date,value\n2021-01-01,1\n2021-01-02,2,3,4\n2021-01-03\n2021-01-04,4,5\n"
                      "2021-01-05,5,6,7,8\n",
        "all_missing.csv": _series(days(10), ["n/a", "", "--", "", "n/a", "NaN", "", "-", "", "null"]),
        "large.csv": _series(days(200)),
        "many_rows.csv": _series(days(150)),
        # warnings
        "constant.csv": _series(days(), [5] * N),
        "short.csv": _series(days(12)),
        "wide_months.csv": table([[2000 + y, *wave(12, scale=1 + y / 10)] for y in range(10)],
                                 ["year", *WIDE_MONTHS]),
    }


def _build() -> dict[str, bytes]:
    files = {name: text.encode("utf-8") for name, text in _utf8_texts().items()}
    files["bom_semicolon.csv"] = _series(days(), header=('"Datum"', '"Wert"'), sep=";").encode("utf-8-sig")
    files["utf16_tab.tsv"] = _series(days(), header=("time", "value"), sep="\t").encode("utf-16")
    files["utf16le_no_bom.csv"] = _series(days()).encode("utf-16-le")
    files["latin1_decimal_comma.csv"] = table(
        [[d, _european(v), _european(v / 100)]
         for d, v in zip(days(fmt="%d.%m.%Y"), wave(scale=20), strict=True)],
        ["Datum", "Température", "Débit"], sep=";").encode("latin-1")
    files["empty.csv"] = b""
    files["blank.csv"] = b"\n  \n\t\n"
    files["binary.csv"] = bytes(range(256)) * 8
    files["workbook.csv"] = b"PK\x03\x04" + bytes(range(200))
    return files


CORPUS: dict[str, bytes] = _build()


def write_corpus(directory: Path) -> dict[str, Path]:
    """Write every corpus file into ``directory``; return the paths by file name."""
    paths = {}
    for name, content in CORPUS.items():
        paths[name] = directory / name
        paths[name].write_bytes(content)
    return paths
