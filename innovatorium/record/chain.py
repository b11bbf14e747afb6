"""Hash chaining for the public record. Framework-free: anyone can re-check the chain with this file alone."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "sequence", "recorded_at", "network", "actor", "action", "object_type", "object_id", "payload", "prev_hash"
)


def canonical_bytes(entry: Mapping[str, Any]) -> bytes:
    """The exact bytes that are hashed: sorted keys, no spaces, UTF-8."""
    body = {field: entry[field] for field in HASHED_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def entry_hash(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(entry)).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    sequence: int
    reason: str


def verify(entries: Iterable[Mapping[str, Any]]) -> tuple[int, Break | None]:
    """Check entries in sequence order. Returns how many were checked and the first break, if any."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for entry in entries:
        checked += 1
        sequence = entry["sequence"]
        if sequence > expected_sequence:
            # A gap: the entry that should be here was removed. Report the missing one, not its successor.
            return checked, Break(
                expected_sequence, f"it is missing (the entry after #{expected_sequence - 1} is #{sequence})"
            )
        if sequence != expected_sequence:
            return checked, Break(sequence, f"it is out of order (expected entry #{expected_sequence} here)")
        if entry["prev_hash"] != expected_prev:
            return checked, Break(sequence, "its previous-hash does not match the entry before it")
        if entry_hash(entry) != entry["hash"]:
            return checked, Break(sequence, "its content does not match its hash (it was changed)")
        expected_prev = entry["hash"]
        expected_sequence += 1
    return checked, None
