"""Writing to the public record. Every service calls `record_append` inside its own transaction."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from innovatorium.record import chain
from innovatorium.record.models import RecordEntry, RecordHead

if TYPE_CHECKING:
    from innovatorium.networks.models import Network
    from innovatorium.people.models import Person

SYSTEM_ACTOR = "system"


def entry_fields(entry: RecordEntry) -> dict[str, Any]:
    """The hashed view of a stored entry, as `chain` expects it."""
    return {
        "sequence": entry.sequence,
        "recorded_at": entry.recorded_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "network": entry.network_slug,
        "actor": entry.actor_pseudonym,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "payload": entry.payload,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _lock_head() -> RecordHead:
    """Lock the chain's head row until the caller's transaction ends: appends queue here, one at a time.

    On PostgreSQL `select_for_update` blocks a second writer until the first commits, and it then reads the
    new head. On SQLite the whole transaction already holds the write lock (transaction_mode IMMEDIATE).
    """
    head = RecordHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # The very first append. get_or_create survives two first appends racing: the loser's insert fails
        # inside a savepoint and it reads the winner's row instead, then waits for its lock like everyone else.
        RecordHead.objects.get_or_create(pk=1, defaults={"last_sequence": 0, "last_hash": chain.GENESIS_HASH})
        head = RecordHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def record_append(
    *,
    action: str,
    actor: Person | None,
    network: Network | None = None,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> RecordEntry:
    """Append one entry to the chain, in the caller's transaction (so the change and its entry land together).

    The payload must hold no personal data: it is public forever and survives erasure.
    """
    # Round-trip through JSON so what is stored is exactly what is hashed (dates, decimals become strings).
    clean_payload = json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder))
    head = _lock_head()
    now = dt.datetime.now(tz=dt.UTC)
    entry = RecordEntry(
        sequence=head.last_sequence + 1,
        recorded_at=now,
        network=network,
        network_slug=network.slug if network else "",
        actor=actor,
        actor_pseudonym=actor.pseudonym if actor else SYSTEM_ACTOR,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        payload=clean_payload,
        prev_hash=head.last_hash,
    )
    entry.hash = chain.entry_hash(entry_fields_unhashed(entry))
    entry.save()
    head.last_sequence = entry.sequence
    head.last_hash = entry.hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return entry


def entry_fields_unhashed(entry: RecordEntry) -> dict[str, Any]:
    """The fields that go into an entry's hash (all but the hash itself)."""
    fields = entry_fields(entry)
    fields.pop("hash")
    return fields
