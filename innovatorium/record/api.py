from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from innovatorium.record import selectors

router = Router(tags=["record"])


class EntryOut(Schema):
    sequence: int
    recorded_at: dt.datetime
    network: str
    actor: str
    action: str
    object_type: str
    object_id: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_network(obj) -> str:  # noqa: ANN001
        return obj.network_slug

    @staticmethod
    def resolve_actor(obj) -> str:  # noqa: ANN001
        # The hashed pseudonym: the API never exposes names, so the entry can be re-hashed as served.
        return obj.actor_pseudonym


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_broken_sequence: int | None
    reason: str | None


@router.get("/entries", response=list[EntryOut], summary="Public record entries, newest first")
@paginate(LimitOffsetPagination)
def list_entries(request, network: str | None = None, action: str | None = None):  # noqa: ANN001, ANN201
    return selectors.record_entries(network_slug=network, action=action)


@router.get("/verify", response=VerifyOut, summary="Re-check every hash in the chain")
def verify(request):  # noqa: ANN001, ANN201
    result = selectors.record_verify()
    return VerifyOut(
        ok=result.ok, checked=result.checked, first_broken_sequence=result.first_broken_sequence, reason=result.reason
    )
