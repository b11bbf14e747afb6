"""Reading a CSV file of monthly observations. Plain Python: every problem is named by line and column.

The file has a header row with ``period`` and ``value`` columns (``note`` optional, other columns refused so a
misspelt header is not silently ignored). ``period`` is a month: ``2025-04``, ``2025-04-01`` or ``04/2025``.
``value`` is a number (a decimal point, no thousands separators, no units). A month may appear once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

REQUIRED = ("period", "value")
OPTIONAL = ("note",)
MAX_ROWS = 10_000
MAX_ABS = Decimal("1e10")


@dataclass(frozen=True)
class Row:
    line: int
    period: dt.date
    value: Decimal
    note: str


@dataclass(frozen=True)
class Problem:
    line: int  # 1 is the header row
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_MONTH_UK = re.compile(r"^(\d{1,2})/(\d{4})$")


def parse_period(text: str) -> dt.date:
    """A month from ``YYYY-MM``, ``YYYY-MM-DD`` (must be the 1st) or ``MM/YYYY``."""
    text = text.strip()
    m = _MONTH.match(text)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3] or 1)
        if day != 1:
            raise ValueError("give the month (e.g. 2025-04) or its first day (2025-04-01)")
    else:
        m = _MONTH_UK.match(text)
        if not m:
            raise ValueError(f"“{text}” is not a month: write it like 2025-04")
        year, month = int(m[2]), int(m[1])
    if not 1 <= month <= 12:
        raise ValueError(f"“{text}” has no month {month}")
    if not 1900 <= year <= 2200:
        raise ValueError(f"“{text}” has an unlikely year")
    return dt.date(year, month, 1)


def parse_value(text: str) -> Decimal:
    text = text.strip()
    if not text:
        raise ValueError("is empty: every month needs a value")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}” is not a number (use digits and a decimal point, no units)") from None
    if not value.is_finite() or abs(value) >= MAX_ABS:
        raise ValueError(f"“{text}” is not a usable number")
    if value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueError(f"“{text}” has more than 4 decimal places")
    return value


def read_observations(
    text: str, *, today: dt.date, progress: Callable[[Iterable], Iterable] | None = None
) -> tuple[list[Row], list[Problem]]:
    """Rows of a CSV file, or every problem in it. A file with any problem gives no rows."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        return [], [Problem(1, "", "the file is empty: it needs a header row with period and value")]
    names = [h.strip().lower() for h in header]
    for col in REQUIRED:
        if col not in names:
            problems.append(Problem(1, col, f"the header has no “{col}” column"))
    for name in names:
        if name not in REQUIRED + OPTIONAL:
            problems.append(Problem(1, name, "is not a column this import reads (period, value, note)"))
    if problems:
        return [], problems
    index = {name: names.index(name) for name in names}
    rows: list[Row] = []
    seen: dict[dt.date, int] = {}
    records = enumerate(reader, start=2)
    for line, record in progress(records) if progress else records:
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(Problem(line, "", f"the file has more than {MAX_ROWS:,} rows"))
            break
        if len(record) != len(names):
            problems.append(Problem(line, "", f"has {len(record)} cells, the header has {len(names)}"))
            continue
        row_ok = True
        try:
            period = parse_period(record[index["period"]])
            if period > today:
                raise ValueError(f"{period:%B %Y} has not started yet")
            if period in seen:
                raise ValueError(f"{period:%B %Y} is already on line {seen[period]}")
            seen[period] = line
        except ValueError as exc:
            problems.append(Problem(line, "period", str(exc)))
            row_ok = False
        try:
            value = parse_value(record[index["value"]])
        except ValueError as exc:
            problems.append(Problem(line, "value", str(exc)))
            row_ok = False
        note = record[index["note"]].strip() if "note" in index else ""
        if len(note) > 300:
            problems.append(Problem(line, "note", "is longer than 300 characters"))
            row_ok = False
        if row_ok:
            rows.append(Row(line, period, value, note))
    if not rows and not problems:
        problems.append(Problem(2, "", "the file has a header but no rows"))
    return ([] if problems else rows), problems
