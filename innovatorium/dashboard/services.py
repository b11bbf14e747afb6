"""Writes for reported figures (investment leveraged, jobs created): one at a time from the form, many from a CSV
file (all or nothing), and withdrawals. Every write goes on the public record; payloads hold the figure and its
source, never who entered it (the actor appears by pseudonym only, as on every record entry).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from innovatorium.atlas.models import Innovation, PublicationStatus
from innovatorium.dashboard.models import MAX_AMOUNT, FigureKind, ReportedFigure
from innovatorium.networks.models import Network
from innovatorium.people.authority import require_network_staff
from innovatorium.people.models import Person
from innovatorium.record.services import record_append

EARLIEST = dt.date(2000, 1, 1)
MAX_ROWS = 5000
MAX_ERRORS = 200
MAX_SOURCE = 300
MAX_NOTE = 1000
REQUIRED_COLUMNS = ["kind", "amount", "period_start", "period_end", "source"]
OPTIONAL_COLUMNS = ["innovation", "source_url", "note"]
KIND_WORDS = {
    "investment": FigureKind.INVESTMENT, "investment leveraged": FigureKind.INVESTMENT,
    "jobs": FigureKind.JOBS, "jobs created": FigureKind.JOBS,
}
_url = URLValidator(schemes=["http", "https"])


# --- parsing, shared by the form and the importer ---------------------------------------------------------

def parse_kind(value: Any) -> str:
    kind = KIND_WORDS.get(str(value).strip().lower())
    if kind is None:
        raise ValueError("must be “investment” or “jobs”")
    return kind


def parse_amount(value: Any, *, kind: str) -> Decimal:
    """Pounds (a leading £ and thousands commas allowed, at most 2 decimal places) or full-time equivalent jobs."""
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip().replace(",", "").removeprefix("£").strip()
        if not re.fullmatch(r"\d+(\.\d{1,2})?", text):
            raise ValueError("must be a number of 0 or more with at most 2 decimal places, like 125000 or 2.5")
        amount = Decimal(text)
    if not amount.is_finite() or amount < 0:
        raise ValueError("must be 0 or more")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("must have at most 2 decimal places")
    if amount > MAX_AMOUNT:
        raise ValueError("is too large")
    if kind == FigureKind.JOBS and amount > Decimal(1_000_000):
        raise ValueError("is more jobs than any one report could create: check the column")
    return amount.quantize(Decimal("0.01"))


def parse_date(value: Any) -> dt.date:
    """ISO dates (2025-03-31) or UK dates (31/03/2025)."""
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError("must be a date like 2025-03-31 or 31/03/2025")


def _check_period(start: dt.date, end: dt.date, today: dt.date) -> dict[str, str]:
    errors = {}
    if start < EARLIEST:
        errors["period_start"] = f"The period must start on or after {EARLIEST:%-d %B %Y}."
    if end < start:
        errors["period_end"] = "The period must end on or after the day it starts."
    elif end > today:
        errors["period_end"] = "Report figures for periods that have ended (the end cannot be after today)."
    return errors


def _check_source(source: str, source_url: str) -> dict[str, str]:
    errors = {}
    if not source.strip():
        errors["source"] = "Say where the figure comes from, e.g. a report and its page."
    elif len(source) > MAX_SOURCE:
        errors["source"] = f"Keep the source to {MAX_SOURCE} characters."
    if source_url:
        try:
            _url(source_url)
        except ValidationError:
            errors["source_url"] = "Enter a full web address starting with https:// (or leave it empty)."
        if len(source_url) > 500:
            errors["source_url"] = "The web address is too long (500 characters at most)."
    return errors


def _duplicate(network: Network, kind: str, innovation: Innovation | None, start: dt.date,
               end: dt.date) -> ReportedFigure | None:
    return ReportedFigure.objects.filter(
        network=network, kind=kind, innovation=innovation, period_start=start, period_end=end,
        withdrawn_at__isnull=True,
    ).first()


def _payload(figure: ReportedFigure) -> dict[str, Any]:
    return {
        "kind": figure.kind, "amount": str(figure.amount), "period_start": figure.period_start.isoformat(),
        "period_end": figure.period_end.isoformat(), "innovation": figure.innovation_id,
        "source": figure.source, "source_url": figure.source_url,
    }


# --- one figure --------------------------------------------------------------------------------------------

@transaction.atomic
def reported_figure_add(
    *, network: Network, actor: Person | None, kind: str, amount: Decimal | str, period_start: dt.date | str,
    period_end: dt.date | str, source: str, source_url: str = "", innovation: Innovation | None = None,
    note: str = "",
) -> ReportedFigure:
    """Record one reported figure for the network. Refuses a second counted figure of the same kind for the same
    innovation and period (withdraw the first to correct it)."""
    require_network_staff(actor, network, "report figures")
    errors: dict[str, str] = {}
    try:
        kind = parse_kind(kind)
    except ValueError as exc:
        raise ValidationError({"kind": f"The kind {exc}."}) from exc
    try:
        amount = parse_amount(amount, kind=kind)
    except (ValueError, InvalidOperation) as exc:
        errors["amount"] = f"The amount {exc}."
    dates = {}
    for name, value in (("period_start", period_start), ("period_end", period_end)):
        try:
            dates[name] = parse_date(value)
        except ValueError as exc:
            errors[name] = f"The date {exc}."
    if len(dates) == 2:
        errors.update(_check_period(dates["period_start"], dates["period_end"], timezone.localdate()))
    source, source_url, note = source.strip(), source_url.strip(), note.strip()
    errors.update(_check_source(source, source_url))
    if len(note) > MAX_NOTE:
        errors["note"] = f"Keep the note to {MAX_NOTE} characters."
    if innovation is not None and innovation.status != PublicationStatus.PUBLISHED:
        errors["innovation"] = "Choose an innovation published in the Atlas."
    if errors:
        raise ValidationError(errors)
    existing = _duplicate(network, kind, innovation, dates["period_start"], dates["period_end"])
    if existing is not None:
        raise ValidationError({"period_end": (
            "This figure is already reported for the same innovation and period (figure "
            f"{existing.pk}). Withdraw that one first if it needs correcting.")})
    figure = ReportedFigure.objects.create(
        network=network, innovation=innovation, kind=kind, amount=amount, period_start=dates["period_start"],
        period_end=dates["period_end"], source=source, source_url=source_url, note=note, reported_by=actor,
    )
    record_append(action="dashboard.figure.reported", actor=actor, network=network, obj=figure,
                  payload=_payload(figure))
    return figure


@transaction.atomic
def reported_figure_withdraw(*, figure: ReportedFigure, actor: Person | None, reason: str) -> ReportedFigure:
    """Stop counting a figure (it stays listed, marked withdrawn, with the reason)."""
    figure = ReportedFigure.objects.select_for_update().select_related("network").get(pk=figure.pk)
    require_network_staff(actor, figure.network, "withdraw reported figures")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the figure is withdrawn, e.g. 'replaced by the audited figure'."})
    if len(reason) > MAX_SOURCE:
        raise ValidationError({"reason": f"Keep the reason to {MAX_SOURCE} characters."})
    if figure.withdrawn_at is not None:
        raise ValidationError("This figure was already withdrawn.")
    figure.withdrawn_at = timezone.now()
    figure.withdrawn_reason = reason
    figure.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    record_append(action="dashboard.figure.withdrawn", actor=actor, network=figure.network, obj=figure,
                  payload={**_payload(figure), "reason": reason})
    return figure


# --- many figures from a CSV file ----------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column “{self.column}”" if self.column else "")
        return f"{where}: {self.reason}"


class ImportRejected(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.total = len(errors)
        self.errors = sorted(errors)[:MAX_ERRORS]
        super().__init__(f"{self.total} problem(s) in the file; nothing was imported.")


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _innovation_lookup(network: Network) -> dict[str, Innovation]:
    """'network/slug' for any published innovation; a bare slug for this network's, or one unique elsewhere."""
    lookup: dict[str, Innovation] = {}
    bare: dict[str, list[Innovation]] = {}
    for innovation in Innovation.objects.filter(status=PublicationStatus.PUBLISHED).select_related("network"):
        lookup[f"{innovation.network.slug}/{innovation.slug}"] = innovation
        bare.setdefault(innovation.slug, []).append(innovation)
    for slug, found in bare.items():
        own = [i for i in found if i.network_id == network.pk]
        if own or len(found) == 1:
            lookup.setdefault(slug, (own or found)[0])
    return lookup


@transaction.atomic
def reported_figures_import(*, network: Network, actor: Person | None, data: bytes | str) -> list[ReportedFigure]:
    """Import a CSV file of reported figures: every row, or none (ImportRejected lists each problem by line and
    column). Columns: kind, amount, period_start, period_end, source; optional innovation, source_url, note."""
    require_network_staff(actor, network, "import reported figures")
    text = _decode(data)
    if "\x00" in text:
        raise ImportRejected([RowError(1, "", "This is not a CSV text file (it holds binary data).")])
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportRejected([RowError(1, "", f"The file cannot be read as CSV ({exc}).")]) from exc
    rows = [r for r in rows if any(cell.strip() for cell in r)] if rows else []
    if not rows:
        raise ImportRejected([RowError(1, "", "The file is empty: it needs a header row and at least one figure.")])
    header = [h.strip().lower().removeprefix("\ufeff") for h in rows[0]]
    errors: list[RowError] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        errors.append(RowError(1, "", "Missing column(s): " + ", ".join(missing)
                               + ". The header row needs: " + ", ".join(REQUIRED_COLUMNS) + "."))
    unknown = [h for h in header if h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        errors.append(RowError(1, "", "Unknown column(s): " + ", ".join(unknown[:10]) + "."))
    if len(set(header)) != len(header):
        errors.append(RowError(1, "", "A column name appears twice in the header row."))
    if errors:
        raise ImportRejected(errors)
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRejected([RowError(1, "", f"At most {MAX_ROWS} figures per file; split it.")])
    if len(rows) == 1:
        raise ImportRejected([RowError(1, "", "The file has a header row but no figures.")])
    col = {name: i for i, name in enumerate(header)}
    innovations = _innovation_lookup(network) if "innovation" in col else {}
    today = timezone.localdate()
    seen: dict[tuple, int] = {}
    existing = {
        (f.kind, f.innovation_id, f.period_start, f.period_end): f.pk
        for f in ReportedFigure.objects.filter(network=network, withdrawn_at__isnull=True)
    }
    planned: list[ReportedFigure] = []
    for line, row in enumerate(rows[1:], start=2):
        row_errors: list[RowError] = []

        def cell(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        if len(row) > len(header):
            row_errors.append(RowError(line, "", f"The row has {len(row)} cells but the header has {len(header)}."))
        kind = amount = start = end = innovation = None
        try:
            kind = parse_kind(cell("kind"))
        except ValueError as exc:
            row_errors.append(RowError(line, "kind", str(exc)))
        if kind is not None:
            try:
                amount = parse_amount(cell("amount"), kind=kind)
            except (ValueError, InvalidOperation) as exc:
                row_errors.append(RowError(line, "amount", str(exc)))
        for name in ("period_start", "period_end"):
            try:
                value = parse_date(cell(name))
            except ValueError as exc:
                row_errors.append(RowError(line, name, str(exc)))
            else:
                start, end = (value, end) if name == "period_start" else (start, value)
        if start is not None and end is not None:
            for name, reason in _check_period(start, end, today).items():
                row_errors.append(RowError(line, name, reason))
        source, source_url, note = cell("source"), cell("source_url"), cell("note")
        for name, reason in _check_source(source, source_url).items():
            row_errors.append(RowError(line, name, reason))
        if len(note) > MAX_NOTE:
            row_errors.append(RowError(line, "note", f"Keep the note to {MAX_NOTE} characters."))
        reference = cell("innovation")
        if reference:
            innovation = innovations.get(reference) or innovations.get(reference.lower())
            if innovation is None:
                row_errors.append(RowError(line, "innovation", f"No published innovation “{reference[:80]}” in the "
                                           "Atlas (use its address: network-slug/innovation-slug)."))
        if not row_errors and kind is not None and start is not None and end is not None:
            key = (kind, innovation.pk if innovation else None, start, end)
            if key in seen:
                row_errors.append(RowError(line, "period_end", f"The same figure as line {seen[key]} (same kind, "
                                           "innovation and period)."))
            elif key in existing:
                row_errors.append(RowError(line, "period_end", f"Already reported (figure {existing[key]}); "
                                           "withdraw that one first if it needs correcting."))
            seen.setdefault(key, line)
        if row_errors:
            errors.extend(row_errors)
            continue
        planned.append(ReportedFigure(
            network=network, innovation=innovation, kind=kind, amount=amount, period_start=start, period_end=end,
            source=source, source_url=source_url, note=note, reported_by=actor,
        ))
    if errors:
        raise ImportRejected(errors)
    created = ReportedFigure.objects.bulk_create(planned, batch_size=500)
    record_append(
        action="dashboard.figures.imported", actor=actor, network=network,
        payload={
            "rows": len(created), "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "investment": str(sum((f.amount for f in created if f.kind == FigureKind.INVESTMENT), Decimal(0))),
            "jobs": str(sum((f.amount for f in created if f.kind == FigureKind.JOBS), Decimal(0))),
        },
    )
    return created
