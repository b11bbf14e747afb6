"""The Innovation Exchange in the API: matches (public) and offering an innovation to a need (signed in).

Offering needs a session (sign in to the site; send the `X-CSRFToken` header). Interests are shown by
innovation only: the API never says who made an offer.
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import django_auth

from innovatorium.challenges.models import Challenge
from innovatorium.exchange import selectors, services

router = Router(tags=["exchange"])
MAX_LIMIT = 50


class ReasonOut(Schema):
    part: str = Field(description="words, clinical area, care setting, stage or region")
    text: str = Field(description="What it matched on, for people: e.g. words “nurse”, “text”.")


class InnovationMatchOut(Schema):
    id: int
    network: str
    slug: str
    name: str
    stage: str
    url: str
    score: float = Field(description="0 to 1: the weighted sum of the parts below.")
    matched_on: list[ReasonOut]


class ChallengeMatchOut(Schema):
    id: int
    network: str
    slug: str
    title: str
    status: str
    url: str
    score: float
    matched_on: list[ReasonOut]


class InterestIn(Schema):
    innovation: int = Field(description="The id of a published innovation you created, co-produce or whose "
                                        "owner organisation backs your membership.")
    message: str = ""


class InterestOut(Schema):
    id: int
    challenge: int
    innovation: int
    created_at: dt.datetime


def _reasons(reasons: list[selectors.Reason]) -> list[ReasonOut]:
    return [ReasonOut(part=r.name, text=r.text) for r in reasons]


@router.get("/challenges/{challenge_id}/matches", response=list[InnovationMatchOut],
            summary="Innovations that could meet a need, best first, with what each matched on")
def challenge_matches(request: HttpRequest, challenge_id: int, limit: int = 10) -> list[InnovationMatchOut]:
    challenge = get_object_or_404(Challenge.objects.select_related("network", "care_setting", "clinical_area"),
                                  pk=challenge_id)
    matches = selectors.matches_for_challenge(challenge=challenge, limit=max(1, min(limit, MAX_LIMIT)))
    return [
        InnovationMatchOut(id=m.innovation.pk, network=m.innovation.network.slug, slug=m.innovation.slug,
                           name=m.innovation.name, stage=m.innovation.stage, url=m.innovation.get_absolute_url(),
                           score=round(m.score, 4), matched_on=_reasons(m.reasons))
        for m in matches
    ]


@router.get("/innovations/{innovation_id}/matches", response=list[ChallengeMatchOut],
            summary="Open needs a published innovation could meet, best first, with what each matched on")
def innovation_matches(request: HttpRequest, innovation_id: int, limit: int = 10) -> list[ChallengeMatchOut]:
    innovation = get_object_or_404(selectors.published_innovations(), pk=innovation_id)
    matches = selectors.matches_for_innovation(innovation=innovation, limit=max(1, min(limit, MAX_LIMIT)))
    return [
        ChallengeMatchOut(id=m.challenge.pk, network=m.challenge.network.slug, slug=m.challenge.slug,
                          title=m.challenge.title, status=m.challenge.status, url=m.challenge.get_absolute_url(),
                          score=round(m.score, 4), matched_on=_reasons(m.reasons))
        for m in matches
    ]


@router.post("/challenges/{challenge_id}/interest", response={201: InterestOut}, auth=django_auth,
             summary="Offer one of your innovations for a need (once per need and innovation)")
def express_interest(request: HttpRequest, challenge_id: int, payload: InterestIn) -> Status:
    """403 if you do not speak for the innovation; 409 if it was already offered or the need is finished."""
    challenge = get_object_or_404(Challenge.objects.select_related("network"), pk=challenge_id)
    person = getattr(request.user, "person", None)
    if person is None:
        raise HttpError(403, "Only a person with a profile can offer innovations.")
    innovation = get_object_or_404(selectors.published_innovations(), pk=payload.innovation)
    try:
        interest = services.interest_express(challenge=challenge, innovation=innovation, actor=person,
                                             message=payload.message)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise HttpError(409, " ".join(exc.messages)) from None
    return Status(201, InterestOut(id=interest.pk, challenge=challenge.pk, innovation=innovation.pk,
                            created_at=interest.created_at))
