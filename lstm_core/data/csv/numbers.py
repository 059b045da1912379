"""Text cells into numbers: decimal point or comma, thousands separators, placeholders and infinities.

One decimal mark is chosen for the whole file from the cells that read only one way
(``1.5`` votes for the point, ``1,5`` and ``1.234,5`` for the comma); cells such as ``1,234``
that read both ways follow the vote. When the vote is tied, a semicolon separator (the usual
sign of a file written with decimal commas) tips the choice to the comma.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Cells that mean "no value" (compared lower-case, after stripping).
MISSING_MARKERS = frozenset({
    "", "na", "n/a", "n.a.", "nan", "null", "none", "nil", "missing", "-", "--", "---", "?", ".",
    "#n/a", "#na", "#value!", "#div/0!", "#ref!", "#num!", "#null!",
})
INFINITIES = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "∞", "+∞", "-∞"})
DECIMAL_NAMES = {".": "decimal point", ",": "decimal comma"}
DECIMAL_MARKS = {"point": ".", "comma": ","}  # the decimal setting's choices besides auto

_THOUSANDS = {".": "[,' \u00a0\u202f]", ",": "[.' \u00a0\u202f]"}
KEPT_BLANKS = 20  # distinct unread cells remembered per column, for messages
NUMERIC_SHARE = 0.5  # a column is numeric when more than this share of its non-blank cells are numbers


def _number_pattern(decimal: str) -> str:
    group = _THOUSANDS[decimal]
    return rf"[+-]?(?:\d{{1,3}}(?:{group}\d{{3}})+|\d*)(?:\{decimal}\d*)?(?:[eE][+-]?\d+)?"


_PATTERNS = {mark: _number_pattern(mark) for mark in DECIMAL_NAMES}


@dataclass
class ParsedColumn:
    """One column read as numbers: NaN where a cell was blank, a placeholder, text or infinite."""

    values: pd.Series
    numbers: int = 0  # finite numbers read
    infinite: int = 0  # infinities, now missing
    unread: int = 0  # cells that are neither numbers nor infinities: blanks, placeholders, text
    text_cells: int = 0  # unread cells that are not blanks or placeholders either
    blanks: Counter[str] = field(default_factory=Counter)  # the most common unread cells ("" = empty)

    @property
    def kind(self) -> str:
        """'numeric', 'empty' (nothing but blanks and placeholders) or 'text'."""
        if self.numbers == 0:
            return "text" if self.text_cells else "empty"
        read = self.numbers + self.infinite
        return "numeric" if read > NUMERIC_SHARE * (read + self.text_cells) else "text"

    @property
    def missing(self) -> int:
        return self.unread + self.infinite

    def describe_missing(self) -> str:
        """E.g. "3 empty, 2 'n/a', 1 'error', 1 infinite": the five most common unread cells, the
        number of other ones, and the infinities."""
        common = self.blanks.most_common(5)
        parts = [f"{count} {'empty' if token == '' else repr(token)}" for token, count in common]
        others = self.unread - sum(count for _, count in common)
        parts += [f"{others} other"] if others else []
        parts += [f"{self.infinite} infinite"] if self.infinite else []
        return ", ".join(parts)

    def example_text(self) -> str | None:
        """The most common cell that is not a number nor a placeholder."""
        texts = [token for token, _ in self.blanks.most_common() if token.lower() not in MISSING_MARKERS]
        return texts[0] if texts else None


@dataclass(frozen=True)
class DecimalChoice:
    """The decimal mark of a file, and why it was chosen when the cells alone did not tell."""

    mark: str  # "." or ","
    note: str = ""  # e.g. "decimal comma: values such as '15,136' read either way and ..."


def detect_decimal(frame: pd.DataFrame, separator: str) -> DecimalChoice:
    """The mark under which more cells read as numbers that the other mark cannot read.

    A tie with cells that read both ways and differ (``15,136``: 15.136 or 15136) goes to the
    comma in a semicolon-separated file and to the point otherwise, with a note saying so.
    """
    cells = _stacked(frame)
    point = cells.str.fullmatch(_PATTERNS["."])
    comma = cells.str.fullmatch(_PATTERNS[","])
    votes = {".": int((point & ~comma).sum()), ",": int((comma & ~point).sum())}
    if votes[","] != votes["."]:
        return DecimalChoice("," if votes[","] > votes["."] else ".")
    either = cells[point & comma & cells.str.contains(r"\d[.,]")].drop_duplicates().head(KEPT_BLANKS)
    differing = [cell for cell in either if _read(cell, ".") != _read(cell, ",")]  # not '0.000'
    if not differing:
        return DecimalChoice(".")
    return _tie_broken(differing[0], "," if separator == ";" else ".")


def _stacked(frame: pd.DataFrame) -> pd.Series:
    """Every cell of ``frame`` in one series, column after column: one pandas call per step for
    the whole file, however many columns it has."""
    return pd.Series(frame.to_numpy(dtype=object).ravel(order="F"), dtype="str")


def _tie_broken(cell: str, mark: str) -> DecimalChoice:
    """``mark`` for a file whose ``cell`` reads either way, with a note giving both readings."""
    other = "." if mark == "," else ","
    chosen, rejected = (f"{_read(cell, m):.15g}" for m in (mark, other))
    setting = next(name for name, m in DECIMAL_MARKS.items() if m == other)
    because = " and the file is semicolon separated" if mark == "," else ""
    return DecimalChoice(mark, f"{DECIMAL_NAMES[mark]}: values such as {cell!r} read either way{because}, "
                               f"so {cell!r} is {chosen} (set decimal to {setting} if it means {rejected})")


def _read(cell: str, mark: str) -> float:
    return float(parse_column(pd.Series([cell], dtype="str"), mark).values.iloc[0])


def parse_column(cells: pd.Series, decimal: str) -> ParsedColumn:
    """Read one column of stripped text cells as float64, counting what could not be read."""
    return next(iter(parse_columns(cells.to_frame(), decimal).values()))


def parse_columns(frame: pd.DataFrame, decimal: str) -> dict[str, ParsedColumn]:
    """Every column of ``frame`` (stripped text cells) read as by :func:`parse_column`, all cells
    in one pass."""
    cells = _stacked(frame)
    shaped = cells.str.fullmatch(_PATTERNS[decimal]) & cells.str.contains(r"\d")
    cleaned = cells.where(shaped, "").str.replace(_THOUSANDS[decimal], "", regex=True)
    if decimal == ",":
        cleaned = cleaned.str.replace(",", ".", regex=False)
    values = pd.to_numeric(cleaned, errors="coerce").astype(np.float64).to_numpy()
    infinite = cells.str.lower().isin(INFINITIES).to_numpy() | np.isinf(values)  # isinf: e.g. 1e999
    finite = np.isfinite(values)
    unread = ~finite & ~infinite
    text = unread & ~cells.str.lower().isin(MISSING_MARKERS).to_numpy()
    shape = (frame.shape[1], frame.shape[0])
    numbers, infinities, unreads, texts = (mask.reshape(shape).sum(axis=1)
                                           for mask in (finite, infinite, unread, text))
    blanks = _common_cells(cells[unread], frame.shape[0])
    columns = np.where(finite, values, np.nan).reshape(shape)
    return {
        name: ParsedColumn(values=pd.Series(columns[i], index=frame.index, name=name),
                           numbers=int(numbers[i]), infinite=int(infinities[i]), unread=int(unreads[i]),
                           text_cells=int(texts[i]), blanks=blanks.get(i, Counter()))
        for i, name in enumerate(frame.columns)
    }


def _common_cells(cells: pd.Series, rows: int) -> dict[int, Counter[str]]:
    """The :data:`KEPT_BLANKS` most common of ``cells`` (a stacked series) in each column, by the
    column's position."""
    counts = (pd.DataFrame({"column": cells.index // rows, "cell": cells.to_numpy(dtype=object)})
              .groupby(["column", "cell"], sort=False).size().rename("count").reset_index()
              .sort_values(["column", "count"], ascending=[True, False], kind="stable")
              .groupby("column").head(KEPT_BLANKS))
    common: dict[int, Counter[str]] = {}
    for column, cell, count in counts.itertuples(index=False):
        common.setdefault(column, Counter())[cell] = count
    return common
