"""CSV files into a clean :class:`Series`, with a report of what was done to them.

The app's upload and the command line's ``--csv`` both come through :func:`load_csv`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pandas as pd

from .errors import DataError
from .series import Series

MAX_BYTES = 50 * 1024 * 1024


@dataclass
class LoadReport:
    rows_read: int = 0
    rows_kept: int = 0
    actions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = [f"rows read: {self.rows_read}, rows kept: {self.rows_kept}"]
        return head + self.actions + [f"warning: {w}" for w in self.warnings]


def _read_bytes(source: str | os.PathLike | bytes | BinaryIO, max_bytes: int) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        raw = bytes(source)
    elif hasattr(source, "read"):
        raw = source.read(max_bytes + 1)
    else:
        path = os.fspath(source)
        if not os.path.isfile(path):
            raise DataError(f"no such file: {path}")
        if os.path.getsize(path) > max_bytes:
            raise DataError(f"the file is larger than the {max_bytes // 2**20} MB limit")
        with open(path, "rb") as handle:
            raw = handle.read()
    if len(raw) > max_bytes:
        raise DataError(f"the file is larger than the {max_bytes // 2**20} MB limit")
    if not raw.strip():
        raise DataError("the file is empty")
    if b"\x00" in raw[:4096]:
        raise DataError("the file looks binary, not like a CSV text file")
    return raw


def _frame(raw: bytes) -> pd.DataFrame:
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        return pd.read_csv(io.StringIO(text), sep=None, engine="python")
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataError(f"the file could not be parsed as CSV: {str(exc).splitlines()[0]}") from None


def _column(frame: pd.DataFrame, name: str, role: str) -> str:
    if name not in frame.columns:
        raise DataError(
            f"no column named '{name}' for the {role}; the file has: {', '.join(map(str, frame.columns))}"
        )
    return name


def load_csv(source: str | os.PathLike | bytes | BinaryIO, target: str | None = None,
             date_col: str | None = None, features: list[str] | None = None,
             max_bytes: int = MAX_BYTES) -> Series:
    """Read a CSV and return the target (and feature) columns as a clean Series.

    Non-numeric entries become missing; rows missing the target or a feature are dropped
    and counted in the report; rows are sorted by ``date_col`` when one is given.
    """
    frame = _frame(_read_bytes(source, max_bytes))
    report = LoadReport(rows_read=len(frame))
    if frame.empty:
        raise DataError("the file holds a header but no data rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    timestamps = None
    if date_col:
        _column(frame, date_col, "dates")
        parsed = pd.to_datetime(frame[date_col], errors="coerce", format="mixed")
        if parsed.isna().all():
            raise DataError(f"the column '{date_col}' holds no readable dates")
        frame = frame.assign(**{date_col: parsed})
    numeric = frame.drop(columns=[date_col] if date_col else []).apply(pd.to_numeric, errors="coerce")
    numeric = numeric.replace([np.inf, -np.inf], np.nan)
    usable = [c for c in numeric.columns if numeric[c].notna().any()]
    if not usable:
        raise DataError("the file has no numeric column to forecast")
    target = _column(frame, target, "target") if target else usable[0]
    if target not in usable:
        raise DataError(f"the column '{target}' holds no numbers")
    features = [_column(frame, f, "features") for f in features or [] if f != target]
    keep = numeric[[target, *features]].notna().all(axis=1)
    if date_col:
        keep &= frame[date_col].notna()
    dropped = int((~keep).sum())
    if dropped:
        report.actions.append(f"dropped {dropped} row(s) with a missing or non-numeric value")
    frame, numeric = frame[keep], numeric[keep]
    if date_col:
        order = np.argsort(frame[date_col].to_numpy(), kind="stable")
        if np.any(order != np.arange(len(order))):
            report.actions.append(f"sorted rows by '{date_col}'")
        frame, numeric = frame.iloc[order], numeric.iloc[order]
        timestamps = pd.DatetimeIndex(frame[date_col])
    report.rows_kept = len(numeric)
    if report.rows_kept == 0:
        raise DataError(f"every row lacks a numeric value in '{target}'")
    values = numeric[target].to_numpy(dtype=np.float64)
    if np.ptp(values) == 0:
        report.warnings.append("the series is constant: there is nothing to learn")
    return Series(
        values=values,
        name=target,
        timestamps=timestamps,
        features=numeric[features].reset_index(drop=True) if features else None,
        report=report,
    )
