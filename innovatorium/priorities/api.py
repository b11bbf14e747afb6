"""Priority-setting rounds in the API: public rounds and results; casting a ballot for members of the electorate.

Casting needs a session (sign in to the site; send the `X-CSRFToken` header). The API never says how anyone voted.
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from innovatorium.core import ratelimit
from innovatorium.priorities import selectors, services
from innovatorium.priorities.models import Round, RoundStatus, VotingMethod

router = Router(tags=["priorities"])


class OptionOut(Schema):
    id: str = Field(description="The option id used in ballots, exports and results.")
    text: str
    challenge: int | None = Field(description="The need (challenge) id the option comes from, if any.")


class RoundOut(Schema):
    id: int
    network: str
    slug: str
    title: str
    stage: str
    method: str = Field(description="One of: " + ", ".join(VotingMethod.values))
    seats: int
    top_n: int | None
    secret: bool
    status: str
    election_id: str = Field(description="Seeds the published tie-break order.")
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    published_at: dt.datetime | None
    electorate: int
    voted: int
    options: list[OptionOut]
    url: str


class BallotIn(Schema):
    marks: Any = Field(
        description="Ranked methods: option ids best first. Approval: the ids you approve. "
        "Score: an object of option id -> 0..5."
    )


class ReceiptOut(Schema):
    receipt: str = Field(description="Your receipt: it appears next to your ballot in the published ballot list.")


def _rounds():
    return Round.objects.exclude(status=RoundStatus.DRAFT).select_related("network").prefetch_related("options")


def _out(round_: Round) -> dict:
    return {
        "id": round_.pk, "network": round_.network.slug, "slug": round_.slug, "title": round_.title,
        "stage": round_.stage, "method": round_.method, "seats": round_.seats, "top_n": round_.top_n,
        "secret": round_.secret, "status": round_.status, "election_id": round_.election_id,
        "opened_at": round_.opened_at, "closed_at": round_.closed_at, "published_at": round_.published_at,
        "electorate": selectors.electorate_size(round_), "voted": selectors.turnout(round_),
        "options": [{"id": o.option_id, "text": o.text, "challenge": o.challenge_id} for o in round_.options.all()],
        "url": round_.get_absolute_url(),
    }


@router.get("/rounds", response=list[RoundOut], summary="Priority-setting rounds (open and closed)")
def list_rounds(request: HttpRequest, network: str | None = None) -> list[dict]:
    rounds = _rounds()
    if network:
        rounds = rounds.filter(network__slug=network)
    return [_out(r) for r in rounds[:100]]


@router.get("/rounds/{round_id}", response=RoundOut, summary="One round")
def get_round(request: HttpRequest, round_id: int) -> dict:
    return _out(get_object_or_404(_rounds(), pk=round_id))


@router.get("/rounds/{round_id}/result", summary="The full result of a closed round (raw, balanced, by group)")
def get_result(request: HttpRequest, round_id: int) -> dict:
    round_ = get_object_or_404(_rounds().filter(status=RoundStatus.CLOSED), pk=round_id)
    return round_.result.data


@router.post("/rounds/{round_id}/ballot", response=ReceiptOut, auth=django_auth,
             summary="Cast or replace your ballot (members of the round's electorate)")
def cast_ballot(request: HttpRequest, round_id: int, ballot: BallotIn) -> dict:
    """403 outside the electorate; 409 when the round is not open; 422 for a bad ballot; 429 when rate limited."""
    round_ = get_object_or_404(_rounds(), pk=round_id)
    person = getattr(request.user, "person", None)
    if person is None:
        raise HttpError(403, "Only a person with a profile can vote.")
    try:
        ratelimit.check(request, ratelimit.BALLOTS)  # per address; the service limits each person
        receipt = services.ballot_cast(round=round_, person=person, marks=ballot.marks)
    except services.NotInElectorate as exc:
        raise HttpError(403, str(exc)) from None
    except services.RoundNotOpen as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    except (services.RateLimited, ratelimit.RateLimited) as exc:
        raise HttpError(429, " ".join(exc.messages)) from None
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return {"receipt": receipt}
