"""Benefit sharing in the API: public totals, agreements and statements; posting and reversing for facilitators.

Statements carry only what each agreement makes public (totals always; party names, party amounts and who paid
only by the agreement's choice). Writes need a facilitator's session (sign in to the site; send the `X-CSRFToken`
header). Posting is idempotent: send the same `idempotency_key` again and the first posting is returned with
`created: false` (HTTP 200) instead of a second one (HTTP 201 the first time).
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import django_auth

from innovatorium.benefits import selectors, services
from innovatorium.benefits.models import EventKind
from innovatorium.benefits.views import statement_data
from innovatorium.core import ratelimit
from innovatorium.core.permissions import acting_person
from innovatorium.networks.models import Network

router = Router(tags=["benefits"])


class TotalsOut(Schema):
    network: str | None = Field(description="The network's slug, or null for all of England.")
    earned: str = Field(description="Licence income, royalties and grants, in pounds (net of reversals).")
    saved: str = Field(description="Cash-releasing savings, in pounds.")
    shared: str = Field(description="What went to the parties, in pounds.")
    reinvested: str = Field(description="What went to the community funds, in pounds.")


class AgreementOut(Schema):
    innovation: str
    innovation_slug: str
    version: int | None = Field(description="The current version: the adopted one, else the newest.")
    status: str | None
    earned: str
    saved: str
    shared: str
    reinvested: str
    url: str


class ShareOut(Schema):
    to: str = Field(description="A party (as the agreement allows it to be named) or the community fund.")
    share: str
    amount: str


class PostingOut(Schema):
    posting_id: str
    date: str = Field(description="When it was posted: the event's date, or the day a reversal was made.")
    event_date: str
    kind: str
    amount: str = Field(description="Negative for a reversal.")
    reverses: str | None
    payer: str | None = Field(description="Only when the agreement publishes event details.")
    description: str | None
    shared: list[ShareOut]


class PartyOut(Schema):
    name: str
    kind: str
    share: str
    received: str | None = Field(description="Only when the agreement publishes party amounts.")


class StatementOut(Schema):
    innovation: str
    innovation_slug: str
    network: str
    version: int | None
    basis: str | None
    reinvestment_percent: str | None
    public_fields: list[str]
    totals: dict[str, str]
    parties: list[PartyOut]
    postings: list[PostingOut]


class EventIn(Schema):
    kind: str = Field(description="One of: " + ", ".join(EventKind.values))
    amount: str = Field(description="Pounds to the penny as a string, e.g. \"1250.00\" (never a float).")
    occurred_on: dt.date
    idempotency_key: str = Field(description="Your reference for the event (e.g. the invoice number).")
    payer: str = ""
    description: str = ""


class PostedOut(Schema):
    created: bool = Field(description="False when this key was already posted: nothing new was posted.")
    posting_id: str
    amount: str
    shared: list[ShareOut]


class ReverseIn(Schema):
    reason: str


def _money(value: Any) -> str:
    return f"{value:.2f}"


def _errors(exc: ValidationError) -> HttpError:
    return HttpError(422, "; ".join(exc.messages))


@router.get("/totals", response=TotalsOut, summary="What innovations earned and saved, and how it was shared")
def totals(request: HttpRequest, network: str | None = None) -> dict[str, Any]:
    net = get_object_or_404(Network, slug=network) if network else None
    t = selectors.benefit_totals(network=net)
    return {"network": network, "earned": _money(t.earned), "saved": _money(t.saved), "shared": _money(t.shared),
            "reinvested": _money(t.reinvested)}


@router.get("/networks/{network}/agreements", response=list[AgreementOut], summary="A network's agreements")
def agreements(request: HttpRequest, network: str) -> list[dict[str, Any]]:
    net = get_object_or_404(Network, slug=network)
    out = []
    for agreement, version, t in selectors.agreements_for_network(network=net):
        if version is not None and version.status == "draft" and not request.user.has_perm(
                "benefits.manage_agreement", agreement):
            version = next((v for v in agreement.versions.all() if v.status != "draft"), None)
        out.append({
            "innovation": agreement.innovation.name, "innovation_slug": agreement.innovation.slug,
            "version": version.number if version else None, "status": version.status if version else None,
            "earned": _money(t.earned), "saved": _money(t.saved), "shared": _money(t.shared),
            "reinvested": _money(t.reinvested), "url": request.build_absolute_uri(agreement.get_absolute_url()),
        })
    return out


@router.get("/networks/{network}/agreements/{innovation}/statement", response=StatementOut,
            summary="An innovation's public statement (public fields only)")
def statement(request: HttpRequest, network: str, innovation: str) -> dict[str, Any]:
    agreement = selectors.agreement_get(network_slug=network, innovation_slug=innovation)
    return statement_data(agreement)


def _posted(posting: Any, created: bool) -> dict[str, Any]:
    row = selectors.posting_row(posting=posting, show_private=True)
    return {"created": created, "posting_id": row.posting.posting_id, "amount": _money(row.amount),
            "shared": [{"to": ln.name, "share": ln.share, "amount": _money(ln.amount)} for ln in row.lines]}


@router.post("/networks/{network}/agreements/{innovation}/events", response={200: PostedOut, 201: PostedOut},
             auth=django_auth, summary="Post a payment or saving and share it out (facilitators; idempotent)")
def post_event(request: HttpRequest, network: str, innovation: str, payload: EventIn) -> Status:
    """422 with a plain message for a bad amount (e.g. a fraction of a penny), an unadopted agreement, or a key
    already used for a different event; 403 for anyone but the network's facilitators."""
    agreement = selectors.agreement_get(network_slug=network, innovation_slug=innovation)
    if not request.user.has_perm("benefits.record_event", agreement):
        raise HttpError(403, "Only the network's facilitators can post payments.")
    try:
        ratelimit.check(request, ratelimit.POSTS, person=acting_person(request))
    except ratelimit.RateLimited as exc:
        raise HttpError(429, " ".join(exc.messages)) from exc
    try:
        event, created = services.event_record(
            actor=acting_person(request), agreement=agreement, kind=payload.kind, amount=payload.amount,
            occurred_on=payload.occurred_on, idempotency_key=payload.idempotency_key, payer=payload.payer,
            description=payload.description)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise _errors(exc) from exc
    posting = event.postings.filter(reverses__isnull=True).get()
    return Status(201 if created else 200, _posted(posting, created))


@router.post("/networks/{network}/agreements/{innovation}/postings/{posting_id}/reverse",
             response={201: PostedOut}, auth=django_auth, summary="Reverse a posting (facilitators)")
def reverse_posting(request: HttpRequest, network: str, innovation: str, posting_id: str,
                    payload: ReverseIn) -> Status:
    agreement = selectors.agreement_get(network_slug=network, innovation_slug=innovation)
    if not request.user.has_perm("benefits.reverse_posting", agreement):
        raise HttpError(403, "Only the network's facilitators can reverse postings.")
    posting = selectors.posting_get(agreement=agreement, posting_id=posting_id)
    try:
        reversal = services.posting_reverse(actor=acting_person(request), posting=posting, reason=payload.reason)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise _errors(exc) from exc
    return Status(201, _posted(reversal, True))
