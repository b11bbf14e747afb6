"""Challenges (needs) in the API: public lists and details; supporting for signed-in members.

Supporting needs a session (sign in to the site; send the `X-CSRFToken` header with writes). Supporters appear
only as counts per constituency: the API never says who supports a need.
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from innovatorium.challenges import selectors, services
from innovatorium.challenges.models import Challenge, ChallengeStatus, ChallengeSupport
from innovatorium.networks.models import Constituency

router = Router(tags=["challenges"])
MAX_LIMIT = 100


class ConstituencySupportOut(Schema):
    constituency: str = Field(description="The constituency's slug within the challenge's network.")
    name: str
    supporters: int


class ChallengeOut(Schema):
    id: int
    network: str
    slug: str
    title: str
    description: str
    who_is_affected: str
    people_affected: int | None = Field(description="Roughly how many people, as the person raising it guessed.")
    care_setting: str | None
    clinical_area: str | None
    status: str = Field(description="One of: " + ", ".join(ChallengeStatus.values))
    closed_reason: str
    raised_by_constituency: str | None = Field(description="The partner group of the member who raised it.")
    created_at: dt.datetime
    url: str
    supporters: int
    supporters_by_constituency: list[ConstituencySupportOut]


class ResponseOut(Schema):
    author: str = Field(description="The facilitator's public name (a pseudonym unless they consented).")
    text: str
    created_at: dt.datetime


class ChallengeDetailOut(ChallengeOut):
    responses: list[ResponseOut]


class ChallengePageOut(Schema):
    items: list[ChallengeOut]
    count: int


class SupportOut(Schema):
    supporting: bool
    supporters: int
    supporters_by_constituency: list[ConstituencySupportOut]


def _by_constituency(challenge_ids: list[int]) -> dict[int, dict[int, int]]:
    """Support counts per challenge per constituency, for a page of challenges in one query."""
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        ChallengeSupport.objects.filter(challenge_id__in=challenge_ids)
        .values_list("challenge_id", "constituency_id")
        .annotate(n=Count("id"))
    )
    for challenge_id, constituency_id, n in rows:
        counts[challenge_id][constituency_id] = n
    return counts


def _constituencies(network_ids: set[int]) -> dict[int, list[Constituency]]:
    by_network: dict[int, list[Constituency]] = defaultdict(list)
    for c in Constituency.objects.filter(network_id__in=network_ids).order_by("position", "name"):
        by_network[c.network_id].append(c)
    return by_network


def _support_list(constituencies: list[Constituency], counts: dict[int, int]) -> list[ConstituencySupportOut]:
    return [ConstituencySupportOut(constituency=c.slug, name=c.name, supporters=counts.get(c.pk, 0))
            for c in constituencies]


def _out(challenge: Challenge, constituencies: list[Constituency], counts: dict[int, int]) -> dict:
    return {
        "id": challenge.pk, "network": challenge.network.slug, "slug": challenge.slug, "title": challenge.title,
        "description": challenge.description, "who_is_affected": challenge.who_is_affected,
        "people_affected": challenge.people_affected,
        "care_setting": challenge.care_setting.slug if challenge.care_setting else None,
        "clinical_area": challenge.clinical_area.slug if challenge.clinical_area else None,
        "status": challenge.status, "closed_reason": challenge.closed_reason,
        "raised_by_constituency": challenge.raiser_constituency.slug if challenge.raiser_constituency else None,
        "created_at": challenge.created_at, "url": challenge.get_absolute_url(),
        "supporters": sum(counts.values()),
        "supporters_by_constituency": _support_list(constituencies, counts),
    }


def _challenges():
    return Challenge.objects.select_related("network", "care_setting", "clinical_area", "raiser_constituency")


@router.get("/", response=ChallengePageOut, summary="Needs raised in every network, newest first")
def list_challenges(
    request: HttpRequest,
    network: str | None = None,
    status: str | None = None,
    care_setting: str | None = None,
    clinical_area: str | None = None,
    q: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict:
    """Filter by network slug, status, care setting and clinical area slugs; `q` keeps needs whose title or
    description contains every word."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = min(max(0, offset), 10**9)  # a larger offset would overflow the database's integer (500)
    challenges = _challenges().order_by("-created_at", "-pk")
    if network:
        challenges = challenges.filter(network__slug=network)
    if status:
        challenges = challenges.filter(status=status)
    if care_setting:
        challenges = challenges.filter(care_setting__slug=care_setting)
    if clinical_area:
        challenges = challenges.filter(clinical_area__slug=clinical_area)
    for word in (q or "").split()[:8]:
        challenges = challenges.filter(Q(title__icontains=word) | Q(description__icontains=word))
    count = challenges.count()
    page = list(challenges[offset: offset + limit])
    counts = _by_constituency([c.pk for c in page])
    constituencies = _constituencies({c.network_id for c in page})
    items = [_out(c, constituencies[c.network_id], counts.get(c.pk, {})) for c in page]
    return {"items": items, "count": count}


@router.get("/{challenge_id}", response=ChallengeDetailOut, summary="One need, with facilitators' responses")
def get_challenge(request: HttpRequest, challenge_id: int) -> dict:
    challenge = get_object_or_404(_challenges(), pk=challenge_id)
    counts = _by_constituency([challenge.pk]).get(challenge.pk, {})
    constituencies = _constituencies({challenge.network_id})[challenge.network_id]
    responses = [
        ResponseOut(author=r.author.public_name if r.author else "A facilitator", text=r.text,
                    created_at=r.created_at)
        for r in selectors.challenge_responses(challenge=challenge)
    ]
    return {**_out(challenge, constituencies, counts), "responses": responses}


def _support_state(request: HttpRequest, challenge: Challenge) -> SupportOut:
    counts = selectors.challenge_support_counts(challenge=challenge)
    return SupportOut(
        supporting=selectors.is_supporting(challenge=challenge, person=request.user.person),
        supporters=sum(c.count for c in counts),
        supporters_by_constituency=[
            ConstituencySupportOut(constituency=c.constituency.slug, name=c.constituency.name, supporters=c.count)
            for c in counts
        ],
    )


def _person(request: HttpRequest):
    person = getattr(request.user, "person", None)
    if person is None:
        raise HttpError(403, "Only a person with a profile can support needs.")
    return person


@router.post("/{challenge_id}/support", response=SupportOut, auth=django_auth,
             summary="Support a need (members of its network; once each)")
def support_challenge(request: HttpRequest, challenge_id: int) -> SupportOut:
    """403 for someone who is not a counted member of the need's network; 409 if they already support it."""
    challenge = get_object_or_404(_challenges(), pk=challenge_id)
    person = _person(request)
    try:
        services.challenge_support(challenge=challenge, actor=person)
    except services.NotAMember as exc:
        raise HttpError(403, str(exc)) from None
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return _support_state(request, challenge)


@router.delete("/{challenge_id}/support", response=SupportOut, auth=django_auth, summary="Withdraw your support")
def withdraw_support(request: HttpRequest, challenge_id: int) -> SupportOut:
    challenge = get_object_or_404(_challenges(), pk=challenge_id)
    person = _person(request)
    try:
        services.challenge_withdraw_support(challenge=challenge, actor=person)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return _support_state(request, challenge)
