"""Bytes into a table of text cells: size limit, binary check, encoding, separator, header, ragged rows.

Nothing here decides what a cell means: :mod:`lstm_core.data.csv.numbers` reads numbers and
:mod:`lstm_core.data.csv.times` reads times. Every refusal is a :class:`DataError` whose message
says what is wrong with the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pandas as pd

from lstm_core.data.csv.numbers import MISSING_MARKERS
from lstm_core.errors import DataError

Source = str | os.PathLike | bytes | bytearray | memoryview | BinaryIO

MB = 2**20
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SNIFF_CHARS = 65_536
SNIFF_ROWS = 1000
MAX_PREAMBLE_LINES = 10
MIN_ALIGNED_SHARE = 0.8  # below this share of rows with the usual field count, the file is refused
MAX_COLUMNS = 1000  # more fields on any line and the file is refused before its rows are parsed
MAX_CELLS = 4_000_000  # rows x columns: what the memory a file costs grows with
BLANK_LINES_PER_ROW = 2  # past this many lines per row allowed, blank lines are no longer skipped

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (an Excel .xlsx workbook is one)",
    b"\xd0\xcf\x11\xe0": "an Excel .xls workbook",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"PAR1": "a Parquet file",
    b"SQLite format 3": "an SQLite database",
}
_MONTH_WORDS = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", re.IGNORECASE
)
_DATA_LIKE = re.compile(r"[\d\s.,:/'+\-TZQEe]*\d[\d\s.,:/'+\-TZQEe]*")


@dataclass
class RawTable:
    """The file as text cells (stripped; "" where a row had no field) and how it was read."""

    frame: pd.DataFrame
    encoding: str
    separator: str
    has_header: bool
    notes: list[str] = field(default_factory=list)
    rows_in_file: int = 0  # data rows, dropped ragged rows included

    @property
    def separator_name(self) -> str:
        return SEPARATORS.get(self.separator, repr(self.separator))


def read_table(source: Source, max_bytes: int, max_rows: int) -> RawTable:
    """Read ``source`` into a :class:`RawTable`, or refuse it with a DataError."""
    text, encoding, notes = decode(read_bytes(source, max_bytes))
    separator = detect_separator(text)
    # a header and the title lines before it may come on top of the data rows
    rows, lines = _parse_rows(text, separator, stop_after=max_rows + MAX_PREAMBLE_LINES + 1)
    if len(rows) > max_rows + MAX_PREAMBLE_LINES + 1:
        raise DataError(f"the file has more data rows than the limit of {max_rows:,} rows")
    rows, align_notes, dropped = _align(rows, lines, separator)
    notes += align_notes
    first = [cell.strip() for cell in rows[0]]
    has_header = _is_header(first)
    width = len(first)
    names = _column_names(first) if has_header else [f"column {i}" for i in range(1, width + 1)]
    data = rows[1:] if has_header else rows
    if not data:
        raise DataError(f"the file has a header row ({listed(names)}) but no data rows")
    if len(data) > max_rows:
        raise DataError(f"the file has {len(data):,} data rows, over the limit of {max_rows:,} rows")
    frame = pd.DataFrame(data, columns=names, dtype="str").apply(lambda column: column.str.strip())
    frame, empty_notes = _drop_unnamed_empty(frame, has_header, first)
    if not has_header:
        notes.append(f"no header row: columns are named column 1 .. column {width}")
    return RawTable(frame, encoding, separator, has_header, notes + empty_notes,
                    rows_in_file=len(data) + dropped)


def read_bytes(source: Source, max_bytes: int) -> bytes:
    """The raw bytes of a path, a bytes-like object or a binary file-like object (read from its start)."""
    limit = _size(max_bytes)
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
    elif hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        raw = source.read(max_bytes + 1)
        raw = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    else:
        path = os.fspath(source)
        if not os.path.isfile(path):
            raise DataError(f"no such file: {path}")
        size = os.path.getsize(path)
        if size > max_bytes:
            raise DataError(f"the file is {_size(size)}, over the {limit} limit")
        with open(path, "rb") as handle:
            raw = handle.read()
    if len(raw) > max_bytes:
        raise DataError(f"the file is over the {limit} limit")
    return raw


def _size(count: int) -> str:
    """Bytes in the largest unit that keeps a whole part: 52428800 -> '50 MB', 1536 -> '1.5 KB'."""
    for unit, size in (("MB", MB), ("KB", 1024)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


def decode(raw: bytes) -> tuple[str, str, list[str]]:
    """Text, the encoding's name and notes; refuses empty and binary content."""
    if not raw.strip():
        raise DataError("the file is empty")
    _refuse_known_binary(raw)
    text, encoding = _decode_text(raw)
    if not text.strip():
        raise DataError("the file is empty")
    _refuse_control_characters(text)
    notes = [] if encoding.startswith("UTF") else [f"the file is not UTF-8: read it as {encoding}"]
    return text, encoding, notes


def _refuse_known_binary(raw: bytes) -> None:
    for signature, kind in _BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise DataError(f"the file is {kind}, not CSV text: export it as CSV first")


def _decode_text(raw: bytes) -> tuple[str, str]:
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            return _strict(raw, codec, name), name
    order = _utf16_without_bom(raw)
    if order:
        return _strict(raw, order, "UTF-16"), "UTF-16"
    if b"\x00" in raw[:SNIFF_CHARS]:
        raise DataError("the file holds binary data, not CSV text")
    for codec, name in (("utf-8", "UTF-8"), ("cp1252", "Latin-1 (Windows-1252)")):
        try:
            return raw.decode(codec), name
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "Latin-1"


def _strict(raw: bytes, codec: str, name: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        raise DataError(f"the file starts like {name} text but does not decode as {name}") from None


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 of mostly ASCII text has a zero in every other byte: which side tells the byte order."""
    sample = raw[: SNIFF_CHARS - SNIFF_CHARS % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zeros, odd_zeros = sample[0::2].count(0), sample[1::2].count(0)
    if odd_zeros > 0.3 * pairs and even_zeros < 0.02 * pairs:
        return "utf-16-le"
    if even_zeros > 0.3 * pairs and odd_zeros < 0.02 * pairs:
        return "utf-16-be"
    return None


def _refuse_control_characters(text: str) -> None:
    sample = text[:SNIFF_CHARS]
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or 127 <= ord(c) < 160)
    if controls > 0.01 * len(sample):
        raise DataError("the file holds binary data, not CSV text")


def detect_separator(text: str) -> str:
    """The candidate separator that splits the first lines into the most consistent field counts."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS:
        sample = sample[: sample.rfind("\n") + 1] or sample
    best, best_score = ",", (False, 0.0, 0)
    for separator in SEPARATORS:
        counts = [len(row) for row in _csv_reader(sample, separator) if any(c.strip() for c in row)]
        if not counts:
            continue
        width, frequency = Counter(counts).most_common(1)[0]
        score = (width > 1, frequency / len(counts), width)
        if score > best_score:
            best, best_score = separator, score
    return best


def _csv_reader(text: str, separator: str):
    return csv.reader(io.StringIO(text, newline=None), delimiter=separator, skipinitialspace=True)


def _parse_rows(text: str, separator: str, stop_after: int) -> tuple[list[list[str]], list[int]]:
    """The non-blank rows (cells not yet stripped) and the line number where each starts.

    The read stops once it holds more than ``stop_after`` rows (the caller refuses the file
    then); a line with more than :data:`MAX_COLUMNS` fields is refused before it is split, and
    so is a file past :data:`MAX_CELLS` cells or too many (blank) lines: what a file costs is
    bounded by the limits, not by its size.
    """
    max_lines = (BLANK_LINES_PER_ROW + 1) * stop_after
    reader = csv.reader(_lines_within_width(text, separator, max_lines), delimiter=separator,
                        skipinitialspace=True)
    rows, lines, cells = [], [], 0
    last_start = ended = 0  # the line the last row starts on; the line the row before it ended on
    try:
        for row in reader:
            if "".join(row).strip():
                rows.append(row)
                lines.append(reader.line_num)
                last_start = ended + 1
                cells += len(row)
                if len(rows) > stop_after:
                    return rows, lines
                if cells > MAX_CELLS:
                    raise DataError(f"the file has more than {MAX_CELLS:,} cells (rows times columns), "
                                    "over the limit: keep fewer rows or columns")
            ended = reader.line_num
    except csv.Error as exc:
        raise DataError(f"the file cannot be read as CSV near line {reader.line_num}: {exc}") from None
    if rows and last_start < lines[-1]:
        _refuse_unclosed_quote(text, last_start, lines[-1])
    return rows, lines


def _refuse_unclosed_quote(text: str, start: int, end: int) -> None:
    """Refuse a file whose last row, starting on line ``start``, runs to its end (line ``end``)
    inside a quote: an opening quote never closed swallows every line after it into one cell,
    which would then be refused for something else (too many fields, text in a number column)
    or, worse, read as a short file. Quotes in a well-formed file come in pairs (an escaped
    quote is two), so an odd count from that line on is one left open."""
    if text.count('"', _line_offset(text, start)) % 2:
        raise DataError(f"line {start} opens a quote (\") that is never closed, so the {end - start + 1} "
                        "lines from there to the end of the file read as one value: close the quote or "
                        "remove it")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _line_offset(text: str, line: int) -> int:
    """Where line number ``line`` (from 1, as the csv reader counts) starts in ``text``."""
    if line <= 1:
        return 0
    for number, found in enumerate(_LINE_BREAK.finditer(text), start=2):
        if number == line:
            return found.end()
    return len(text)


def _lines_within_width(text: str, separator: str, max_lines: int) -> Iterator[str]:
    """The lines of ``text``; a line with more than :data:`MAX_COLUMNS` fields is refused, and
    so is a line past ``max_lines`` (a file of mostly blank lines)."""
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        if line.count(separator) >= MAX_COLUMNS:  # cheap bound first; quoted separators do not count
            fields = re.sub(r'"[^"]*"?', "", line).count(separator) + 1
            if fields > MAX_COLUMNS:
                raise DataError(f"line {number} has {fields:,} fields, over the limit of "
                                f"{MAX_COLUMNS:,} columns")
        if number > max_lines:
            raise DataError(f"the file has more than {max_lines:,} lines, too many for its rows")
        yield line


def _align(rows: list[list[str]], lines: list[int],
           separator: str) -> tuple[list[list[str]], list[str], int]:
    """Rows of one width: leading title lines skipped, short rows padded, overlong rows dropped.

    The width is the most common field count, else the first line's; extra fields that are all
    empty (trailing separators) are cut. Returns the rows, notes on what was done and how many
    data rows were dropped; refuses a file whose rows mostly disagree on their width, and a
    comma-separated file whose numbers seem to carry decimal commas.
    """
    start = _preamble_length(rows)
    if separator == ",":  # a header narrower than its rows looks like a title line: try it too
        for header in {max(start - 1, 0), start}:
            _refuse_split_decimals(rows[header:], lines[header:])
    body, lines = rows[start:], lines[start:]
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    width, long, short = _width(body, lengths, lines)
    longer = np.flatnonzero(lengths > width)
    notes = []
    if start:
        notes.append(f"skipped {start} line(s) before the table, starting {rows[0][0].strip()[:40]!r}")
    if long:
        notes.append(f"dropped {len(long)} row(s) with more than {width} fields "
                     f"(line {_lines([lines[i] for i in long])})")
    if len(short):
        notes.append(f"{len(short)} row(s) had fewer than {width} fields: the missing fields count as empty")
    for i in short:
        body[i] = body[i] + [""] * (width - len(body[i]))
    for i in longer:
        body[i] = body[i][:width]
    dropped = set(long)
    return [row for i, row in enumerate(body) if i not in dropped] if dropped else body, notes, len(long)


def _width(body: list[list[str]], lengths: np.ndarray, lines: list[int]) -> tuple[int, list[int], np.ndarray]:
    """The field count most rows fit (the most common one, else the first line's) and the rows
    that do not fit it (see :func:`_misfits`); refuses rows that fit neither."""
    for width in (int(np.bincount(lengths).argmax()), int(lengths[0])):
        long, short = _misfits(body, lengths, width)
        if len(body) - len(long) - len(short) >= MIN_ALIGNED_SHARE * len(body):
            return width, long, short
    first = min([*long, *short.tolist()])  # the loop ended on the first line's width
    reference = "the header" if _is_header([cell.strip() for cell in body[0]]) else f"line {lines[0]}"
    raise DataError(
        f"the rows do not line up: {reference} has {_fields(width)} but line {lines[first]} has "
        f"{lengths[first]} (only {len(body) - len(long) - len(short)} of {len(body)} lines have {width}); "
        "check the separator and the quotes"
    )


def _misfits(body: list[list[str]], lengths: np.ndarray, width: int) -> tuple[list[int], np.ndarray]:
    """The rows longer than ``width`` with something in their extra fields, and the shorter rows."""
    longer = np.flatnonzero(lengths > width)
    return ([int(i) for i in longer if any(cell.strip() for cell in body[i][width:])],
            np.flatnonzero(lengths < width))


def _refuse_split_decimals(body: list[list[str]], lines: list[int]) -> None:
    """Refuse a comma-separated file whose values carry unquoted decimal commas (``2020-01,15,3``
    under ``date,value``): rows of data longer than the header where each extra field is the
    digits after a whole number, a split that no reading of the columns can undo safely."""
    header = [cell.strip() for cell in body[0]]
    if len(body) < 2 or not _is_header(header) or not all(header):
        return
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    longer = [i for i in np.flatnonzero(lengths[1:] > len(header)) + 1
              if _filled_length(body[i]) > len(header)]
    lengths[longer] = [_filled_length(body[i]) for i in longer]  # trailing separators do not count
    if longer and all(_split_decimals(body[i][:lengths[i]]) >= lengths[i] - len(header) for i in longer):
        first = longer[0]
        raise DataError(
            "values seem to use a decimal comma in a comma-separated file: save it with ';' as "
            f"separator or quote the values (line {lines[first]}, {','.join(body[first])[:40]!r}, has "
            f"{lengths[first]} fields under a header of {len(header)})"
        )


_WHOLE = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:[.' \u00a0]\d{3})+)")
_DIGITS = re.compile(r"\d+")


def _split_decimals(row: list[str]) -> int:
    """How many separate times a whole number is followed by a field of bare digits (``15`` then
    ``3``), in a row of data only (none, for a row with words in it)."""
    if not all(_looks_like_data(cell.strip()) for cell in row if cell.strip()):
        return 0
    splits, position = 0, 0
    while position < len(row) - 1:
        if _WHOLE.fullmatch(row[position].strip()) and _DIGITS.fullmatch(row[position + 1]):
            splits, position = splits + 1, position + 2
        else:
            position += 1
    return splits


def _fields(count: int) -> str:
    return f"{count} field" + ("" if count == 1 else "s")


def _preamble_length(rows: list[list[str]]) -> int:
    """Leading title lines ("Sales report", "exported on ...") that fill fewer fields than the
    table's rows do and hold words, so they cannot be data rows."""
    sample = [[cell.strip() for cell in row] for row in rows[:SNIFF_ROWS]]
    usual = Counter(map(_filled_length, sample)).most_common(1)[0][0]
    for position, cells in enumerate(sample[: MAX_PREAMBLE_LINES + 1]):
        if _filled_length(cells) >= usual or not _is_header(cells):
            return position
    return 0


def _filled_length(cells: list[str]) -> int:
    """Fields up to the last non-empty one (trailing separators add empty ones)."""
    return max((i + 1 for i, cell in enumerate(cells) if cell), default=0)


def listed(names: list[str], quote: str = "", shown: int = 12) -> str:
    """``names`` for a message, comma separated: the first ``shown`` and how many more."""
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    return ", ".join(f"{quote}{name}{quote}" for name in names[:shown]) + more


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:5]))
    return shown + (" ..." if len(numbers) > 5 else "")


def _is_header(cells: list[str]) -> bool:
    """A first row is a header unless every cell in it looks like data (a number or a date)."""
    return any(cell and cell.lower() not in MISSING_MARKERS and not _looks_like_data(cell)
               for cell in cells)


def _looks_like_data(cell: str) -> bool:
    return _DATA_LIKE.fullmatch(_MONTH_WORDS.sub("", cell)) is not None


def _column_names(cells: list[str]) -> list[str]:
    """Header cells as distinct names: whitespace collapsed, blanks named by position, repeats
    numbered (``a``, ``a (2)``; a number that another header cell already holds is skipped)."""
    names = [" ".join(cell.split()) or f"column {position}" for position, cell in enumerate(cells, start=1)]
    taken = set(names)
    repeats: Counter[str] = Counter()
    distinct = []
    for name in names:
        repeats[name] += 1
        if repeats[name] > 1:
            while f"{name} ({repeats[name]})" in taken:
                repeats[name] += 1
            taken.add(name := f"{name} ({repeats[name]})")
        distinct.append(name)
    return distinct


def _drop_unnamed_empty(frame: pd.DataFrame, has_header: bool,
                        header: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Columns with neither a name nor a value (left by trailing separators) are noise."""
    unnamed = [name for name, cell in zip(frame.columns, header, strict=True)
               if (not has_header or not cell) and not frame[name].str.len().any()]
    if not unnamed:
        return frame, []
    return frame.drop(columns=unnamed), [f"ignored {len(unnamed)} empty column(s) without a name"]
