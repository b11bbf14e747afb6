"""Reading the public record, shared by pages, the API and `manage.py record_verify`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from innovatorium.record import chain
from innovatorium.record.models import RecordEntry, RecordHead
from innovatorium.record.services import entry_fields


def record_entries(
    *,
    network_slug: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    after_sequence: int | None = None,
    oldest_first: bool = False,
) -> QuerySet[RecordEntry]:
    """Newest first (or oldest first), optionally for one network and one action (or prefix such as `people.`).

    `after_sequence` lets a reader that already holds entries up to #n fetch only what came since.
    """
    entries = RecordEntry.objects.select_related("actor", "network")
    entries = entries.order_by("sequence" if oldest_first else "-sequence")
    if network_slug:
        entries = entries.filter(network_slug=network_slug)
    if action:
        entries = entries.filter(action__startswith=action) if action.endswith(".") else entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if after_sequence is not None:
        entries = entries.filter(sequence__gt=after_sequence)
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


Progress = Callable[[Iterable[dict[str, Any]]], Iterable[dict[str, Any]]]


def record_size() -> int:
    """How many entries the record holds (for a progress bar's total)."""
    return RecordEntry.objects.count()


def _stream(seen: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for entry in RecordEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        fields = entry_fields(entry)
        seen[:] = [fields]  # keep only the last entry: the chain can be far larger than memory
        yield fields


def _check_head(last: dict[str, Any] | None) -> chain.Break | None:
    """The chain alone cannot see its own end cut off; the head row remembers where it should end."""
    head = RecordHead.objects.filter(pk=1).first()
    last_sequence = last["sequence"] if last else 0
    if head is None:
        if last is None:
            return None
        return chain.Break(last_sequence, "the record's head (its last sequence number and hash) is missing")
    if head.last_sequence > last_sequence:
        return chain.Break(
            last_sequence + 1, f"it is missing (the record should end at #{head.last_sequence} but ends at "
            f"#{last_sequence})"
        )
    if head.last_sequence < last_sequence:
        return chain.Break(head.last_sequence + 1, "it was added outside the application (after the record's head)")
    if last is not None and head.last_hash != last["hash"]:
        return chain.Break(last_sequence, "its hash is not the one the record's head remembers")
    return None


def record_verify(*, progress: Progress | None = None) -> Verification:
    """Recompute every hash in order and report the first broken entry.

    `progress` wraps the stream of entries (the management command passes a tqdm bar).
    """
    seen: list[dict[str, Any]] = []
    stream: Iterable[dict[str, Any]] = _stream(seen)
    if progress is not None:
        stream = progress(stream)
    checked, broken = chain.verify(stream)
    if broken is None:
        broken = _check_head(seen[0] if seen else None)
    if broken is None:
        return Verification(checked=checked, ok=True, first_broken_sequence=None, reason=None)
    return Verification(checked=checked, ok=False, first_broken_sequence=broken.sequence, reason=broken.reason)
