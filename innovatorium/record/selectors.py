"""Reading the public record, shared by pages, the API and `manage.py record_verify`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from innovatorium.record import chain
from innovatorium.record.models import RecordEntry
from innovatorium.record.services import entry_fields


def record_entries(*, network_slug: str | None = None, action: str | None = None) -> QuerySet[RecordEntry]:
    """Newest first, optionally for one network and one action (or action prefix such as `people.`)."""
    entries = RecordEntry.objects.select_related("actor", "network").order_by("-sequence")
    if network_slug:
        entries = entries.filter(network_slug=network_slug)
    if action:
        entries = entries.filter(action__startswith=action) if action.endswith(".") else entries.filter(action=action)
    return entries


def record_actions(*, network_slug: str | None = None) -> list[str]:
    """The distinct action codes present, for the filter menu."""
    entries = RecordEntry.objects.all()
    if network_slug:
        entries = entries.filter(network_slug=network_slug)
    return list(entries.order_by("action").values_list("action", flat=True).distinct())


@dataclass(frozen=True)
class Verification:
    checked: int
    ok: bool
    first_broken_sequence: int | None
    reason: str | None


def _stream() -> Iterator[dict[str, Any]]:
    for entry in RecordEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        yield entry_fields(entry)


def record_verify() -> Verification:
    """Recompute every hash in order and report the first broken entry."""
    checked, broken = chain.verify(_stream())
    if broken is None:
        return Verification(checked=checked, ok=True, first_broken_sequence=None, reason=None)
    return Verification(checked=checked, ok=False, first_broken_sequence=broken.sequence, reason=broken.reason)
