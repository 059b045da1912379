"""The time of each row: which column holds it, and how its values read.

A time column is chosen by the caller or found as the first column that reads as times:
ISO dates and datetimes, ``dd.mm.yyyy``, ``dd/mm/yyyy`` or ``mm/dd/yyyy`` (the order told by a
day above 12, or by the only reading that gives evenly spaced times, or else asked for),
month names (``Jan-1-1995``), ``2020-Q1``, ``YYYYMMDD`` integers, years, and a year column
paired with a quarter or month column. Each candidate format is tried on a sample first, so
a large file is parsed in full only once, with the winning format.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

import pandas as pd

from lstm_core.data.csv.numbers import MISSING_MARKERS
from lstm_core.data.csv.read import listed
from lstm_core.data.csv.spacing import spacing_of
from lstm_core.errors import DataError

SAMPLE = 500
GATE_ROWS = 10  # a text column none of whose first cells reads as a time is not tried in full
MIN_READABLE = 0.8  # share of non-blank cells that must read as times for a column to be found

_YEAR_NAMES = {"year", "yr", "jahr", "annee", "année", "año", "anno"}
_PART_NAMES = {
    "quarter": {"quarter", "qtr", "q", "quartal"},
    "month": {"month", "mon", "monat", "mois", "mes"},
}
_MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
           for number, name in enumerate(names) if name}

_CLOCKS = ("", " %H:%M", " %H:%M:%S")
_DATES = (
    *(f"{a}{sep}{b}{sep}{year}" for sep in "/-" for year in ("%Y", "%y")
      for a, b in (("%d", "%m"), ("%m", "%d"))),
    "%d.%m.%Y", "%d.%m.%y", "%Y/%m/%d", "%Y.%m.%d",
)
_NUMERIC_FORMATS = ("ISO8601", *(date + clock for date in _DATES for clock in _CLOCKS))
_NAMED_MONTH_FORMATS = (
    "%b %d %Y", "%d %b %Y", "%B %d %Y", "%d %B %Y", "%Y %b %d", "%b %Y", "%B %Y", "%Y %b", "%Y %B",
    "%b %d %y", "%d %b %y", "%b %y",
)
_QUARTER = re.compile(
    r"(?i)(?:(?P<y1>\d{4})\s*[-/ ]?\s*q(?P<q1>[1-4])|q(?P<q2>[1-4])\s*[-/ ]?\s*(?P<y2>\d{4}))"
)
_STYLE_PARTS = {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy", "%H": "hh", "%M": "mm", "%S": "ss",
                "%b": "Mon", "%B": "Month"}


@dataclass
class TimeAxis:
    """The time of every row (NaT where it could not be read) and where it came from."""

    columns: tuple[str, ...]
    style: str  # how the values were read: "ISO 8601", "dd.mm.yyyy", "year + quarter", ...
    times: pd.Series
    ambiguous: bool = False  # day/month order not told by the data: the caller must choose
    note: str | None = None  # how the day/month order was settled

    @property
    def label(self) -> str:
        return " + ".join(f"'{c}'" for c in self.columns)


def find_time(frame: pd.DataFrame, numeric: set[str], date_col: str | None = None,
              dayfirst: bool | None = None) -> TimeAxis | None:
    """The chosen ``date_col`` read as times, or the first column that reads as times, or None."""
    if date_col is not None:
        return _chosen(frame, numeric, date_col, dayfirst)
    pair = _calendar_pair(frame)
    hopeless = _timeless_text(frame, [name for name in frame.columns if name not in numeric])
    for name in frame.columns:
        if name in hopeless and not (pair and name in pair[:2]):
            continue
        axis = _read(frame, name, name in numeric, dayfirst, chosen=False, pair=pair)
        if axis is not None and _readable_share(axis, frame[name]) >= MIN_READABLE:
            return axis
    return None


def _timeless_text(frame: pd.DataFrame, names: list[str]) -> set[str]:
    """The text columns whose first :data:`GATE_ROWS` cells hold something but nothing that any
    format reads as a time. Every format is tried once on the first rows of all these columns
    together, so that a file of a thousand text columns costs a few dozen parses, not thousands."""
    if not names:
        return set()
    head = frame[names].head(GATE_ROWS)
    cells = pd.Series(head.to_numpy(dtype=object).ravel(order="F"), dtype="str")
    filled = ~cells.str.lower().isin(MISSING_MARKERS).to_numpy()
    readable = _quarter_strings(cells).notna().to_numpy().copy()
    named = cells.str.replace(r"[\s,./-]+", " ", regex=True)
    for formats, prepared in ((_NUMERIC_FORMATS, cells), (_NAMED_MONTH_FORMATS, named)):
        for fmt in formats:
            readable |= _parse(prepared, fmt).notna().to_numpy()
    shape = (len(names), len(head))
    has_cells, has_times = filled.reshape(shape).any(axis=1), readable.reshape(shape).any(axis=1)
    return {name for name, full, timely in zip(names, has_cells, has_times, strict=True)
            if full and not timely}


@dataclass(frozen=True)
class WideMonths:
    """A table with one row per year: the year column and the twelve month columns, January first."""

    year: str
    months: tuple[str, ...]


def wide_months(frame: pd.DataFrame) -> WideMonths | None:
    """The year column and the twelve month columns (``JAN`` .. ``DEC``, ``January`` .., ``1`` ..
    ``12``) of a table laid out one row per year, or None for any other layout."""
    months: dict[int, str] = {}
    for name in frame.columns:
        number = _month_number(name)
        if number is not None:
            months.setdefault(number, name)
    if len(months) < 12:
        return None
    others = [name for name in frame.columns if name not in months.values()]
    year = next((name for name in others if _normal(name) in _YEAR_NAMES), None)
    if year is None and others and _filled(frame[others[0]]).str.fullmatch(r"\d{4}").all():
        year = others[0]
    return None if year is None else WideMonths(year, tuple(months[m] for m in range(1, 13)))


def _month_number(name: str) -> int | None:
    key = _normal(name).rstrip(".")
    if key.isdigit() and len(key) <= 2:
        return int(key) if 1 <= int(key) <= 12 else None
    return _MONTHS.get(key, 9 if key == "sept" else None)


def time_like_names(names: list[str]) -> list[str]:
    """Column names that are months or years: the mark of a wide table, one column per period."""
    return [name for name in names
            if name.strip().lower().rstrip(".") in _MONTHS or re.fullmatch(r"\d{4}([-/]\d{1,2})?", name)]


def _chosen(frame: pd.DataFrame, numeric: set[str], date_col: str, dayfirst: bool | None) -> TimeAxis:
    if date_col not in frame.columns:
        raise DataError(
            f"no column named '{date_col}' for the time; the file has: {listed(list(frame.columns))}"
        )
    axis = _read(frame, date_col, date_col in numeric, dayfirst, chosen=True, pair=_calendar_pair(frame))
    if axis is None or not axis.times.notna().any():
        start = ", ".join(repr(v) for v in _filled(frame[date_col]).head(3))
        raise DataError(f"the column '{date_col}' holds no readable dates or times (it starts {start})")
    return axis


def _read(frame: pd.DataFrame, name: str, numeric: bool, dayfirst: bool | None, chosen: bool,
          pair: tuple[str, str, str] | None) -> TimeAxis | None:
    if pair is not None and name in pair[:2]:
        return _from_parts(frame, *pair)
    if numeric:
        return _from_integers(frame[name], name, chosen or _normal(name) in _YEAR_NAMES)
    return _from_text(frame[name], name, dayfirst)


def _normal(name: str) -> str:
    return name.strip().lower()


def _filled(cells: pd.Series) -> pd.Series:
    return cells[~cells.str.lower().isin(MISSING_MARKERS)]


def _readable_share(axis: TimeAxis, cells: pd.Series) -> float:
    filled = len(_filled(cells))
    return axis.times.notna().sum() / filled if filled else 0.0


def _calendar_pair(frame: pd.DataFrame) -> tuple[str, str, str] | None:
    """(year column, quarter or month column, 'quarter' or 'month') when the file has such a pair.

    Found once per file: the names are looked at once, however many columns there are."""
    named = {_normal(c): c for c in frame.columns}
    year = next((named[n] for n in _YEAR_NAMES if n in named), None)
    for kind, names in _PART_NAMES.items():
        part = next((named[n] for n in names if n in named), None)
        if year is not None and part is not None:
            return year, part, kind
    return None


def _from_parts(frame: pd.DataFrame, year: str, part: str, kind: str) -> TimeAxis:
    years = pd.to_numeric(frame[year], errors="coerce")
    cells = frame[part].str.lower()
    if kind == "quarter":
        quarters = pd.to_numeric(cells.str.removeprefix("q"), errors="coerce")
        months = 3 * quarters.where(quarters.between(1, 4)) - 2
    else:
        months = pd.to_numeric(cells, errors="coerce").fillna(cells.str.rstrip(".").map(_MONTHS))
    moments = pd.DataFrame({"year": years, "month": months.where(months.between(1, 12)), "day": 1})
    return TimeAxis((year, part), f"year + {kind}", pd.to_datetime(moments, errors="coerce"))


def _from_integers(cells: pd.Series, name: str, year_allowed: bool) -> TimeAxis | None:
    """YYYYMMDD dates, or years when the column is named or chosen as one, or counts whole years."""
    first = next((cell for cell in cells.head(SAMPLE) if cell.lower() not in MISSING_MARKERS), "")
    if not (first.isdigit() and len(first) in (4, 8)):  # most columns stop here, without pandas
        return None
    filled = _filled(cells)
    if filled.empty or not filled.str.fullmatch(r"\d+").all():
        return None
    lengths = filled.str.len()
    if (lengths == 8).all():
        times = pd.to_datetime(cells, format="%Y%m%d", errors="coerce")
        return TimeAxis((name,), "yyyymmdd", times) if times.dt.year.between(1800, 2200).all() else None
    if (lengths == 4).all() and (year_allowed or _whole_years(filled.astype(int))):
        return TimeAxis((name,), "year", pd.to_datetime(cells, format="%Y", errors="coerce"))
    return None


def _whole_years(numbers: pd.Series) -> bool:
    """Every year from the first to the last, each at least once: a column of years, not values."""
    low, high = int(numbers.min()), int(numbers.max())
    return low >= 1800 and high <= 2200 and high - low >= 2 and numbers.nunique() == high - low + 1


def _from_text(cells: pd.Series, name: str, dayfirst: bool | None) -> TimeAxis | None:
    sample = _filled(cells).head(SAMPLE)
    if sample.empty or not sample.str.contains(r"\d").any():
        return None
    if _quarter_strings(sample).notna().sum() >= MIN_READABLE * len(sample):
        return TimeAxis((name,), "yyyy-Qn", _quarter_strings(cells))
    named = sample.str.contains(r"[A-Za-z]{3}").mean() > 0.5  # month names, not a stray word
    formats = _NAMED_MONTH_FORMATS if named else _NUMERIC_FORMATS
    prepared = cells.str.replace(r"[\s,./-]+", " ", regex=True) if named else cells
    scores = {fmt: int(_parse(prepared[sample.index], fmt).notna().sum()) for fmt in formats}
    best = max(scores.values())
    if best == 0:
        return None
    winners = [fmt for fmt, score in scores.items() if score == best]
    return _settle_order(prepared, name, winners, dayfirst)


def _quarter_strings(cells: pd.Series) -> pd.Series:
    found = cells.str.extract(_QUARTER)
    years = pd.to_numeric(found["y1"].fillna(found["y2"]), errors="coerce")
    quarters = pd.to_numeric(found["q1"].fillna(found["q2"]), errors="coerce")
    moments = pd.DataFrame({"year": years, "month": 3 * quarters - 2, "day": 1})
    return pd.to_datetime(moments, errors="coerce")


def _parse(cells: pd.Series, fmt: str) -> pd.Series:
    if fmt == "ISO8601":  # offsets such as +02:00 or Z are converted to UTC, then dropped
        return pd.to_datetime(cells, format=fmt, errors="coerce", utc=True).dt.tz_convert(None)
    return pd.to_datetime(cells, format=fmt, errors="coerce")


def _settle_order(cells: pd.Series, name: str, winners: list[str], dayfirst: bool | None) -> TimeAxis:
    """Parse with the best format; when day-first and month-first read the sample alike, let the
    whole column, then ``dayfirst``, then the spacing of the times decide, or flag the ambiguity."""
    readings = {fmt: _parse(cells, fmt) for fmt in winners}
    counts = {fmt: int(times.notna().sum()) for fmt, times in readings.items()}
    winners = [fmt for fmt in winners if counts[fmt] == max(counts.values())]
    day, month = _day_month_pair(winners)
    if day is None or readings[day].equals(readings[month]):
        return TimeAxis((name,), _style(winners[0]), readings[winners[0]])
    if dayfirst is not None:
        chosen = day if dayfirst else month
        return TimeAxis((name,), _style(chosen), readings[chosen])
    even = [fmt for fmt in (day, month) if _evenly_spaced(readings[fmt])]
    if len(even) == 1:
        note = f"read as {_style(even[0])}: only that order gives evenly spaced times"
        return TimeAxis((name,), _style(even[0]), readings[even[0]], note=note)
    return TimeAxis((name,), f"{_style(day)} or {_style(month)}", readings[day], ambiguous=True)


def _day_month_pair(formats: list[str]) -> tuple[str | None, str | None]:
    """The day-first and month-first formats among ``formats`` that differ only in that order."""
    for fmt in formats:
        swapped = fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
        if fmt.startswith("%d") and swapped in formats:
            return fmt, swapped
    return None, None


def _evenly_spaced(times: pd.Series) -> bool:
    spacing = spacing_of(pd.DatetimeIndex(times.dropna().drop_duplicates().sort_values()))
    return spacing is not None and spacing.regular


def _style(fmt: str) -> str:
    if fmt == "ISO8601":
        return "ISO 8601"
    return re.sub(r"%[dmYyHMSbB]", lambda m: _STYLE_PARTS[m.group()], fmt)
