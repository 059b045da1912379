"""CSV files into a clean :class:`Series`, with a report of what was done to them.

The app's upload and the command line's ``--csv`` both come through :func:`load_csv`;
:func:`inspect_csv` reads a file without choosing columns yet, for the app's pickers::

    bytes -> text cells (csv_reading) -> a year-per-row table as one monthly series (optional)
          -> numbers (number_parsing) and times (time_parsing)
          -> target and features -> rows without a readable time dropped -> sorted by time
          -> duplicate times merged -> resampled (optional) -> missing values filled or dropped
          -> warnings -> Series with its LoadReport

A file that cannot give a series is refused with a :class:`DataError` saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from lstm_core.data.csv.numbers import (
    DECIMAL_MARKS,
    DECIMAL_NAMES,
    DecimalChoice,
    ParsedColumn,
    detect_decimal,
    parse_columns,
)
from lstm_core.data.csv.read import MB, RawTable, Source, listed, read_table
from lstm_core.data.csv.spacing import resample_step, resampled_rows, spacing_of
from lstm_core.data.csv.times import TimeAxis, WideMonths, find_time, time_like_names, wide_months
from lstm_core.data.series import Series
from lstm_core.errors import ConfigError, DataError

DUPLICATE_RULES = ("mean", "last", "drop")
MISSING_RULES = ("interpolate", "ffill", "drop")
DECIMAL_RULES = ("auto", *DECIMAL_MARKS)
MAX_BYTES = 50 * MB
MAX_ROWS = 1_000_000
WIDE_TABLE_COLUMNS = 6  # this many columns named after months or years: one column per period
FILLED_SHARE_WARNING = 0.2
_UNITS = {"s": "second", "ms": "millisecond", "us": "microsecond", "ns": "nanosecond"}
_FILL_NAMES = {"interpolate": "linear interpolation", "ffill": "the previous value"}


@dataclass(frozen=True)
class LoadOptions:
    """How to clean a file.

    ``duplicates``: rows sharing a timestamp are averaged (mean), or only the last one in the
    file is kept (last), or only the first is kept and the later ones dropped (drop).
    ``missing``: missing values are interpolated (linearly in time), filled with the previous
    value (ffill), or their rows dropped (drop); rows at the edges with nothing to fill from
    are dropped. ``resample``: None, 'auto' (the usual step of the data) or a pandas frequency
    such as 'D', 'W', 'MS', 'h'. ``dayfirst``: how to read dates such as 03/04/2021 when the data
    do not tell (None: refuse and ask); a day above 12 in the data overrules it. ``decimal``:
    'auto' (the cells tell, see :func:`detect_decimal`), 'point' or 'comma'. ``wide``: a table
    of a year column and twelve month columns is read as one monthly series (False: as separate
    columns, as is a file whose columns the caller names as target, time or features).
    """

    duplicates: str = "mean"
    missing: str = "interpolate"
    resample: str | None = None
    dayfirst: bool | None = None
    decimal: str = "auto"
    wide: bool = True
    max_bytes: int = MAX_BYTES
    max_rows: int = MAX_ROWS

    def __post_init__(self) -> None:
        problems = []
        if self.duplicates not in DUPLICATE_RULES:
            problems.append(f"duplicates must be one of {', '.join(DUPLICATE_RULES)}, "
                            f"got {self.duplicates!r}")
        if self.missing not in MISSING_RULES:
            problems.append(f"missing must be one of {', '.join(MISSING_RULES)}, got {self.missing!r}")
        if self.decimal not in DECIMAL_RULES:
            problems.append(f"decimal must be one of {', '.join(DECIMAL_RULES)}, got {self.decimal!r}")
        if self.max_bytes < 1 or self.max_rows < 1:
            problems.append("the size limit and the row limit must be positive")
        if self.resample not in (None, "auto"):
            try:
                resample_step(self.resample, None)
            except ConfigError as exc:
                problems.append(str(exc))
        if problems:
            raise ConfigError("; ".join(problems))


@dataclass
class LoadReport:
    """What loading found and did; :meth:`lines` is what the CLI prints and the Data page shows."""

    rows_read: int = 0
    rows_kept: int = 0
    encoding: str = ""
    separator: str = ""
    decimal: str = "."
    has_header: bool = True
    target: str = ""
    features: list[str] = field(default_factory=list)
    time_columns: tuple[str, ...] = ()
    time_format: str | None = None
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    frequency: str | None = None  # the spacing of the times: "daily", "irregular, mostly daily: ..."
    actions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = [
            f"rows read: {self.rows_read}, rows kept: {self.rows_kept}",
            "file: " + _file_line(self.encoding, self.separator, self.decimal, self.has_header),
            f"target: '{self.target}'" + (f"; features: {_quoted(self.features)}" if self.features else ""),
            self._time_line(),
        ]
        return head + self.actions + [f"warning: {w}" for w in self.warnings]

    def _time_line(self) -> str:
        if not self.time_columns:
            return "time: no time column, the rows are used in file order"
        columns = " + ".join(f"'{c}'" for c in self.time_columns)
        frequency = f", {self.frequency}" if self.frequency else ""
        return f"time: {columns} ({self.time_format}), {_stamp(self.start)} .. {_stamp(self.end)}{frequency}"


@dataclass
class CsvPreview:
    """A file read but not chosen from yet: what the Data page's column pickers offer."""

    columns: list[str]
    numeric: list[str]  # columns holding numbers, the time excluded: target and feature choices
    default_target: str
    time_column: str | None  # pass it back as date_col (for year + quarter, the year column)
    time_label: str | None  # e.g. "'date' (dd.mm.yyyy)" or "'year' + 'quarter' (year + quarter)"
    dates_ambiguous: bool  # the day/month order is unknown: ask, then pass dayfirst
    rows: int
    head: pd.DataFrame  # the first rows as text cells
    notes: list[str]  # how the file was read: encoding, separator, decimal mark, header


@dataclass
class _Table:
    raw: RawTable
    decimal: DecimalChoice
    columns: dict[str, ParsedColumn]
    time: TimeAxis | None

    @property
    def time_columns(self) -> tuple[str, ...]:
        return self.time.columns if self.time else ()

    def value_columns(self) -> list[str]:
        return [n for n, c in self.columns.items() if c.kind == "numeric" and n not in self.time_columns]


def inspect_csv(source: Source, date_col: str | None = None,
                options: LoadOptions | None = None) -> CsvPreview:
    """Read ``source`` and say what it holds, without choosing target or features.

    Refuses what :func:`load_csv` would refuse for any choice of columns; an unknown day/month
    order is not refused but flagged in ``dates_ambiguous``.
    """
    options = options or LoadOptions()
    table = _parse(source, date_col, options)
    time = table.time
    return CsvPreview(
        columns=list(table.columns),
        numeric=table.value_columns(),
        default_target=_default_target(table),
        time_column=time.columns[0] if time else None,
        time_label=f"{time.label} ({time.style})" if time else None,
        dates_ambiguous=bool(time and time.ambiguous),
        rows=len(table.raw.frame),
        head=table.raw.frame.head(10),
        notes=_file_notes(table),
    )


def load_csv(source: Source, target: str | None = None, date_col: str | None = None,
             features: list[str] | None = None, *, options: LoadOptions | None = None,
             window: int | None = None) -> Series:
    """Read a CSV (a path, bytes or a binary file-like object) into a clean Series.

    ``target`` defaults to the first sensible numeric column; ``date_col`` to the first column
    that reads as times (none: the rows are taken in file order). ``window``, when given, adds a
    warning if the series is too short for it. The report is in ``series.report``.
    """
    options = options or LoadOptions()
    table = _parse(source, date_col, options, named=[target, *(features or [])])
    if table.time and table.time.ambiguous:
        raise DataError(_ambiguity_message(table))
    target = _check_value_column(table, target, "target") if target else _default_target(table)
    features = [_check_value_column(table, f, "feature") for f in dict.fromkeys(features or [])
                if f != target]
    report = _start_report(table, target, features)
    frame = pd.DataFrame({name: table.columns[name].values for name in [target, *features]})
    frame = _in_time_order(frame, table, options, report)
    frame = _fill_missing(frame, options.missing, report)
    _finish_report(report, frame, table, window)
    return Series(
        values=frame[target].to_numpy(dtype=np.float64),
        name=target,
        timestamps=frame.index if isinstance(frame.index, pd.DatetimeIndex) else None,
        features=frame[features].reset_index(drop=True) if features else None,
        report=report,
    )


def _parse(source: Source, date_col: str | None, options: LoadOptions,
           named: list[str | None] = ()) -> _Table:
    """The file read and its cells parsed; ``named``: the columns the caller asks for besides the time."""
    raw = read_table(source, options.max_bytes, options.max_rows)
    wide = wide_months(raw.frame) if options.wide else None
    if wide and not {date_col, *named} & set(raw.frame.columns):
        raw = _one_monthly_series(raw, wide)
    decimal = (DecimalChoice(DECIMAL_MARKS[options.decimal]) if options.decimal in DECIMAL_MARKS
               else detect_decimal(raw.frame, raw.separator))
    columns = parse_columns(raw.frame, decimal.mark)
    numeric = {name for name, column in columns.items() if column.kind == "numeric"}
    return _Table(raw, decimal, columns, find_time(raw.frame, numeric, date_col, options.dayfirst))


def _one_monthly_series(raw: RawTable, wide: WideMonths) -> RawTable:
    """A year-per-row table as the rows of one monthly series: a 'month' column (the first of
    each month) and a 'value' column, the months of each year in turn; blank cells stay blank
    (missing values), and a row without a readable year gives months without a time (dropped)."""
    frame = raw.frame
    years = frame[wide.year].where(frame[wide.year].str.fullmatch(r"\d{1,4}"), "")
    stamps = [np.where(years != "", years.str.zfill(4) + f"-{month:02d}-01", "") for month in range(1, 13)]
    long = pd.DataFrame({
        "month": np.column_stack(stamps).ravel(),
        "value": frame[list(wide.months)].to_numpy(dtype=object).ravel(),
    }, dtype="str")
    ignored = [name for name in frame.columns if name not in (wide.year, *wide.months)]
    note = (f"read as one monthly series: a year column ('{wide.year}') and 12 month columns "
            f"('{wide.months[0]}' .. '{wide.months[-1]}') became the columns 'month' and 'value'"
            + (f"; ignored {listed(ignored, quote=chr(39))}" if ignored else "")
            + " (name a column as the target to read the columns as they are)")
    return replace(raw, frame=long, notes=[*raw.notes, note])


def _ambiguity_message(table: _Table) -> str:
    time = table.time
    example = table.raw.frame[time.columns[0]].iloc[0]
    return (f"the dates in {time.label} (e.g. {example!r}) could be {time.style}: say whether the "
            "day or the month comes first (dayfirst; --dayfirst or --monthfirst on the command line)")


def _default_target(table: _Table) -> str:
    """The first numeric column that is neither a row counter nor constant, else the first one."""
    candidates = table.value_columns()
    if not candidates:
        raise DataError(_no_numbers_message(table))
    sensible = [name for name in candidates if not _is_counter(table.columns[name].values)
                and np.nanmax(table.columns[name].values) > np.nanmin(table.columns[name].values)]
    return (sensible or candidates)[0]


def _no_numbers_message(table: _Table) -> str:
    others = {n: c for n, c in table.columns.items() if n not in table.time_columns}
    empty = [n for n, c in others.items() if c.kind == "empty"]
    if empty:
        return (f"every value is missing: {_holds(empty)} only empty cells or placeholders "
                f"({others[empty[0]].describe_missing()})")
    text = [n for n, c in others.items() if c.kind == "text"]
    holds = f": {_holds(text)} text such as {others[text[0]].example_text()!r}" if text else ""
    return f"the file has no numeric column to forecast{holds}"


def _check_value_column(table: _Table, name: str, role: str) -> str:
    if name not in table.columns:
        raise DataError(f"no column named '{name}' for the {role}; "
                        f"the file has: {listed(list(table.columns))}")
    if name in table.time_columns:
        raise DataError(f"the column '{name}' holds the time; choose another column for the {role}")
    column = table.columns[name]
    if column.kind == "empty":
        raise DataError(f"every value in '{name}' is missing ({column.describe_missing()})")
    if column.kind == "text":
        raise DataError(f"the column '{name}' holds text, not numbers (e.g. {column.example_text()!r}); "
                        f"numeric columns: {listed(table.value_columns()) or 'none'}")
    return name


def _is_counter(values: pd.Series) -> bool:
    """1, 2, 3, ... (or 0, 1, 2, ...): a row number, not something to forecast."""
    steps = np.diff(values.to_numpy())
    return len(steps) >= 2 and bool(np.all(steps == 1))


def _start_report(table: _Table, target: str, features: list[str]) -> LoadReport:
    raw = table.raw
    report = LoadReport(
        rows_read=raw.rows_in_file, encoding=raw.encoding, separator=raw.separator_name,
        decimal=table.decimal.mark, has_header=raw.has_header, target=target, features=features,
        time_columns=table.time_columns, time_format=table.time.style if table.time else None,
    )
    report.actions += _reading_notes(table)
    if table.time and table.time.note:
        report.actions.append(table.time.note)
    for name in [target, *features]:
        column = table.columns[name]
        if column.missing:
            infinities = "; infinities count as missing" if column.infinite else ""
            report.actions.append(f"'{name}': {column.missing} value(s) missing in the file "
                                  f"({column.describe_missing()}){infinities}")
    return report


def _in_time_order(frame: pd.DataFrame, table: _Table, options: LoadOptions,
                   report: LoadReport) -> pd.DataFrame:
    """Index ``frame`` by time: unreadable times dropped, sorted, duplicates merged, resampled."""
    if table.time is None:
        if options.resample is not None:
            raise DataError("resampling needs a time column, and this file has none")
        return frame
    frame = _index_by_time(frame, table, report)
    frame = _sort(frame, report)
    frame = _merge_duplicates(frame, options.duplicates, report)
    return _resample(frame, options.resample, report, options.max_rows) if options.resample else frame


def _index_by_time(frame: pd.DataFrame, table: _Table, report: LoadReport) -> pd.DataFrame:
    times = table.time.times
    unreadable = times.isna().to_numpy()
    if unreadable.any():
        cells = table.raw.frame.loc[unreadable, list(table.time.columns)].agg(" ".join, axis=1)
        examples = ", ".join(repr(c) for c in cells.drop_duplicates().head(3))
        report.actions.append(f"dropped {int(unreadable.sum())} row(s) whose time could not be read "
                              f"({examples})")
    return frame[~unreadable].set_axis(pd.DatetimeIndex(times[~unreadable]), axis=0)


def _sort(frame: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    if frame.index.is_monotonic_increasing:
        return frame
    if frame.index.is_monotonic_decreasing:
        report.actions.append("reversed the rows into time order (the file runs newest first)")
    else:
        report.actions.append("sorted the rows by time (the file was not in time order)")
    return frame.sort_index(kind="stable")


def _merge_duplicates(frame: pd.DataFrame, rule: str, report: LoadReport) -> pd.DataFrame:
    repeated = frame.index.duplicated(keep=False)
    if not repeated.any():
        return frame
    rows, stamps = int(repeated.sum()), frame.index[repeated].nunique()
    shared = f"{rows} rows sharing {stamps} timestamp(s)"
    if rule == "mean":
        report.actions.append(f"merged {shared} into their mean")
        return frame.groupby(level=0, sort=False).mean()
    keep = "last" if rule == "last" else "first"
    report.actions.append(f"kept the {keep} of {shared} and dropped the other {rows - stamps}")
    return frame[~frame.index.duplicated(keep=keep)]


def _resample(frame: pd.DataFrame, frequency: str, report: LoadReport, max_rows: int) -> pd.DataFrame:
    step, label = resample_step(frequency, spacing_of(frame.index))
    rows = resampled_rows(frame.index[0], frame.index[-1], step)
    if rows > max_rows:
        raise DataError(f"resampling to {label} steps would make {rows:,} rows from {len(frame):,}, over "
                        f"the limit of {max_rows:,} rows: choose a longer step")
    if isinstance(step, pd.offsets.Tick) and pd.Timedelta(step) < pd.Timedelta(1, unit=frame.index.unit):
        raise DataError(f"resampling to {label} steps is finer than the times themselves "
                        f"(1 {_UNITS[frame.index.unit]}): choose a longer step")
    origin = {"origin": "start"} if isinstance(step, pd.offsets.Tick) else {}
    bins = frame.resample(step, **origin)
    resampled, empty = bins.mean(), int((bins.size() == 0).sum())
    gaps = f"; {empty} empty step(s) count as missing" if empty else ""
    report.actions.append(f"resampled to {label} steps (mean of each step): {len(frame)} rows became "
                          f"{len(resampled)}{gaps}")
    return resampled


def _fill_missing(frame: pd.DataFrame, rule: str, report: LoadReport) -> pd.DataFrame:
    missing = frame.isna().sum()
    if missing.sum() == 0:
        return frame
    counts = ", ".join(f"'{name}' {count}" for name, count in missing.items() if count)
    if rule == "drop":
        kept = frame.dropna()
        report.actions.append(f"dropped {len(frame) - len(kept)} row(s) with a missing value ({counts})")
    else:
        filled = _filled(frame, rule)
        kept = filled.dropna()
        report.actions.append(f"filled missing values by {_FILL_NAMES[rule]} ({counts})")
        if len(kept) < len(frame):
            report.actions.append(f"dropped {len(frame) - len(kept)} row(s) at the start or end "
                                  "with no value to fill from")
        share = missing.iloc[0] / max(len(kept), 1)
        if share > FILLED_SHARE_WARNING:
            report.warnings.append(f"{share:.0%} of '{frame.columns[0]}' was filled in: the model "
                                   "learns partly from invented values")
    if kept.empty:
        raise DataError("no row is left once the rows with missing values are dropped")
    return kept


def _filled(frame: pd.DataFrame, rule: str) -> pd.DataFrame:
    if rule == "ffill":
        return frame.ffill()
    method = "time" if isinstance(frame.index, pd.DatetimeIndex) else "linear"
    return frame.interpolate(method=method, limit_area="inside")


def _finish_report(report: LoadReport, frame: pd.DataFrame, table: _Table, window: int | None) -> None:
    report.rows_kept = len(frame)
    if isinstance(frame.index, pd.DatetimeIndex):
        report.start, report.end = frame.index[0], frame.index[-1]
        spacing = spacing_of(frame.index)
        report.frequency = spacing.describe() if spacing else None
        if spacing and not spacing.regular:
            report.warnings.append("the steps are uneven but the LSTM treats them as equal: resample "
                                   "to even them out (resample 'auto' keeps the usual step)")
    values = frame.iloc[:, 0]
    if values.max() == values.min():
        report.warnings.append(f"the series is constant (every value is {values.iloc[0]:g}): "
                               "there is nothing to learn")
    wide = time_like_names(list(table.columns))
    if len(wide) >= WIDE_TABLE_COLUMNS:
        report.warnings.append(
            f"the table looks wide: {len(wide)} columns ({wide[0]} .. {wide[-1]}) each hold one period; "
            f"reshape it to one row per period (a time column and a value column); only "
            f"'{report.target}' is used now"
        )
    if window is not None:
        report.warnings += _window_warning(len(frame), window)


def _window_warning(rows: int, window: int) -> list[str]:
    """Warn when the default split leaves too few training windows (the check training would fail)."""
    from lstm_core.config.settings import (
        ExperimentConfig,  # windows imports scikit-learn: only when a window is given
    )
    from lstm_core.data.windows import MIN_TRAIN_WINDOWS, Split

    defaults = ExperimentConfig()
    train_rows = Split.of(rows, defaults.val_share, defaults.test_share).train_end
    if train_rows - window >= MIN_TRAIN_WINDOWS:
        return []
    return [f"the series is too short for a window of {window}: with the default split its training "
            f"part holds {train_rows} of {rows} rows, and a window of {window} needs at least "
            f"{window + MIN_TRAIN_WINDOWS}"]


def _file_notes(table: _Table) -> list[str]:
    raw = table.raw
    return [_file_line(raw.encoding, raw.separator_name, table.decimal.mark, raw.has_header),
            *_reading_notes(table)]


def _reading_notes(table: _Table) -> list[str]:
    """How the file was read, past the file line: why the decimal mark, then the reader's notes."""
    note = table.decimal.note
    return ([note] if note else []) + table.raw.notes


def _file_line(encoding: str, separator: str, decimal: str, has_header: bool) -> str:
    header = "a header row" if has_header else "no header row"
    return f"{encoding}, {separator} separated, {DECIMAL_NAMES[decimal]}, {header}"


def _quoted(names: list[str]) -> str:
    return listed(names, quote="'")


def _holds(names: list[str]) -> str:
    return _quoted(names) + (" holds" if len(names) == 1 else " hold")


def _stamp(moment: pd.Timestamp) -> str:
    return moment.date().isoformat() if moment == moment.normalize() else moment.isoformat(sep=" ")
