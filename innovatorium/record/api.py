"""The public record over the API: entries exactly as they were hashed, and the chain check."""

# No `from __future__ import annotations` here: ninja reads parameter types at runtime, and through
# @paginate's wrapper string annotations would be resolved in ninja's module, not this one.

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from innovatorium.record import selectors
from innovatorium.record.models import RecordEntry

router = Router(tags=["record"])


class EntryOut(Schema):
    """One entry with every hashed field, so anyone can recompute `hash` from what the API serves."""

    sequence: int
    recorded_at: str = Field(description="UTC time in ISO 8601 with microseconds, exactly the string hashed.")
    network: str = Field(description="The network's slug, or empty for national entries.")
    actor: str = Field(description="A stable pseudonym (or `system`), never a name: it survives erasure.")
    action: str = Field(description="Namespaced action code, such as `people.membership.verified`.")
    object_type: str
    object_id: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_network(obj: RecordEntry) -> str:
        return obj.network_slug

    @staticmethod
    def resolve_actor(obj: RecordEntry) -> str:
        # The hashed pseudonym: the API never exposes names, so the entry can be re-hashed as served.
        return obj.actor_pseudonym

    @staticmethod
    def resolve_recorded_at(obj: RecordEntry) -> str:
        # Exactly the string that was hashed (UTC, microseconds), not a re-formatting of it.
        return obj.recorded_at.astimezone(dt.UTC).isoformat(timespec="microseconds")


class VerifyOut(Schema):
    ok: bool
    checked: int = Field(description="Entries checked (up to and including the first broken one).")
    first_broken_sequence: int | None
    reason: str | None


@router.get("/entries", response=list[EntryOut], summary="Public record entries, newest first")
@paginate(LimitOffsetPagination)
def list_entries(
    request: HttpRequest,
    network: str | None = None,
    action: str | None = Query(None, description="An action code, or a prefix ending in a dot (`people.`)."),
    object_type: str | None = None,
    object_id: str | None = None,
    after: int | None = Query(None, description="Only entries with a sequence number above this one."),
    order: Literal["newest", "oldest"] = "newest",
) -> QuerySet[RecordEntry]:
    return selectors.record_entries(
        network_slug=network, action=action, object_type=object_type, object_id=object_id,
        after_sequence=after, oldest_first=order == "oldest",
    )


@router.get("/entries/{sequence}", response=EntryOut, summary="One public record entry")
def get_entry(request: HttpRequest, sequence: int) -> RecordEntry:
    return get_object_or_404(selectors.record_entries(), sequence=sequence)


@router.get("/verify", response=VerifyOut, summary="Re-check every hash in the chain")
def verify(request: HttpRequest) -> VerifyOut:
    result = selectors.record_verify()
    return VerifyOut(
        ok=result.ok, checked=result.checked, first_broken_sequence=result.first_broken_sequence, reason=result.reason
    )
