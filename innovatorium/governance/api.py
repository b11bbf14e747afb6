"""Governance in the API: bodies with their seats, elections with the full count, draws (re-runnable), motions.

Reading is public. Members appear by their public name (a pseudonym unless they chose to show their name).
Voting needs a session (sign in to the site; send the `X-CSRFToken` header with writes): a secret ranked ballot
in an election, or a vote on a motion of a body you sit on.
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from innovatorium.core import ratelimit
from innovatorium.core.pagination import MAX_OFFSET
from innovatorium.governance import selectors, services
from innovatorium.governance.models import Draw, Election, Motion
from innovatorium.networks.models import Network

router = Router(tags=["governance"])


class SeatOut(Schema):
    constituency: str = Field(description="The constituency's slug within the body's network.")
    name: str
    reserved: int
    filled: int
    empty: int
    members: list[str] = Field(description="Public names of the seat holders.")


class BodyOut(Schema):
    id: int
    network: str
    slug: str
    name: str
    kind: str
    purpose: str
    term_months: int
    url: str
    seats: list[SeatOut]


class NominationOut(Schema):
    option: str = Field(description="The candidate's id in the count (n<number>).")
    candidate: str = Field(description="Public name.")
    statement: str
    elected: bool


class ContestOut(Schema):
    constituency: str
    seats: int
    candidates: list[NominationOut]
    result: dict[str, Any] | None = Field(description="The full STV count, every stage, once counted.")
    ballot_set_hash: str


class ElectionOut(Schema):
    id: int
    body: str
    title: str
    status: str
    round_id: str = Field(description="Seeds the published tie-break order (per contest: round_id:constituency).")
    closes_at: dt.datetime | None
    counted_at: dt.datetime | None
    voters: int
    url: str
    contests: list[ContestOut]


class DrawOut(Schema):
    id: int
    body: str
    seed: str
    candidates_hash: str
    quotas: dict[str, int]
    selected: dict[str, list[str]]
    candidates: list[list[str]] = Field(description="[pseudonym, constituency slug] pairs drawn from.")
    drawn_at: dt.datetime


class RerunOut(Schema):
    same: bool = Field(description="True when re-running the draw from its seed gives the published panel.")
    selected: dict[str, list[str]]
    candidates_hash: str


class VoteOut(Schema):
    member: str
    constituency: str
    option: str
    reason: str


class MotionOut(Schema):
    id: int
    body: str
    title: str
    text: str
    kind: str
    quorum: int
    threshold: str
    double_majority: bool
    hide_results: bool
    status: str
    outcome: str
    counts: dict[str, int] | None = Field(description="Hidden (null) while open if the motion hides results.")
    by_constituency: dict[str, dict[str, int]]
    explanation: list[str]
    decision: str
    minutes: str
    votes: list[VoteOut] | None
    recused: list[str]
    url: str


class BallotIn(Schema):
    ranking: list[int] = Field(description="Nomination numbers (from `option` n<number>), first choice first.")


class ReceiptOut(Schema):
    receipt: str = Field(description="Shown once: find it in the published ballots after the count.")


class MotionVoteIn(Schema):
    option: str = Field(description="agree, abstain, disagree or block; or consent or objection.")
    reason: str = ""


def _person(request: HttpRequest) -> Any:
    person = getattr(request.user, "person", None)
    if person is None:
        raise HttpError(403, "Only a person with a profile can vote.")
    return person


def _body_out(body: Any) -> dict:
    rows = selectors.seat_rows(body)
    return {
        "id": body.pk, "network": body.network.slug, "slug": body.slug, "name": body.name, "kind": body.kind,
        "purpose": body.purpose, "term_months": body.term_months, "url": body.get_absolute_url(),
        "seats": [{"constituency": r.constituency.slug, "name": r.constituency.name, "reserved": r.reserved,
                   "filled": r.filled, "empty": r.empty, "members": [m.person.public_name for m in r.members]}
                  for r in rows],
    }


@router.get("/networks/{network_slug}/bodies", response=list[BodyOut], summary="A network's governing bodies")
def list_bodies(request: HttpRequest, network_slug: str) -> list[dict]:
    network = get_object_or_404(Network, slug=network_slug)
    return [_body_out(b) for b in selectors.bodies_for_network(network)]


@router.get("/networks/{network_slug}/bodies/{body_slug}", response=BodyOut, summary="One body, with its seats")
def get_body(request: HttpRequest, network_slug: str, body_slug: str) -> dict:
    return _body_out(selectors.body_get(network_slug=network_slug, body_slug=body_slug))


def _election_out(election: Election) -> dict:
    contests = selectors.contests(election)
    return {
        "id": election.pk, "body": election.body.slug, "title": election.title, "status": election.status,
        "round_id": election.round_id, "closes_at": election.closes_at, "counted_at": election.counted_at,
        "voters": election.voters.count(), "url": election.get_absolute_url(),
        "contests": [{
            "constituency": c.constituency.slug, "seats": c.seats, "result": c.result,
            "ballot_set_hash": c.ballot_set_hash,
            "candidates": [{"option": n.option_id, "candidate": n.person.public_name, "statement": n.statement,
                            "elected": n.elected} for n in c.nominations.all() if n.withdrawn_at is None],
        } for c in contests],
    }


@router.get("/elections/{election_id}", response=ElectionOut, summary="An election, with the count stage by stage")
def get_election(request: HttpRequest, election_id: int) -> dict:
    return _election_out(get_object_or_404(Election.objects.select_related("body__network"), pk=election_id))


@router.post("/elections/{election_id}/ballot", response={201: ReceiptOut}, auth=django_auth,
             summary="Cast a secret ranked ballot (members of a constituency with seats; once each)")
def cast_ballot(request: HttpRequest, election_id: int, data: BallotIn) -> Status:
    """403 for someone who may not vote here; 409 after close or for a second ballot; 422 for a bad ranking."""
    election = get_object_or_404(Election, pk=election_id)
    person = _person(request)
    try:
        ratelimit.check(request, ratelimit.BALLOTS, person=person)
        receipt = services.ballot_cast(election=election, actor=person, ranking=data.ranking)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except ratelimit.RateLimited as exc:
        raise HttpError(429, " ".join(exc.messages)) from None
    except (services.VotingClosed, services.AlreadyVoted) as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return Status(201, {"receipt": receipt})


def _draw_out(draw: Draw) -> dict:
    return {"id": draw.pk, "body": draw.body.slug, "seed": draw.seed, "candidates_hash": draw.candidates_hash,
            "quotas": draw.quotas, "selected": draw.selected, "candidates": draw.candidates,
            "drawn_at": draw.drawn_at}


@router.get("/draws/{draw_id}", response=DrawOut, summary="A draw by lot: seed, candidate list and who was drawn")
def get_draw(request: HttpRequest, draw_id: int) -> dict:
    return _draw_out(get_object_or_404(Draw.objects.select_related("body"), pk=draw_id))


@router.get("/draws/{draw_id}/rerun", response=RerunOut, summary="Re-run a draw from its seed and compare")
def rerun_draw(request: HttpRequest, draw_id: int) -> dict:
    draw = get_object_or_404(Draw, pk=draw_id)
    again, same = services.rerun_draw(draw)
    return {"same": same, "selected": {k: list(v) for k, v in again.selected.items()},
            "candidates_hash": again.candidates_hash}


def _motion_out(motion: Motion) -> dict:
    votes = selectors.motion_votes(motion)
    visible = selectors.results_visible(motion)
    decided = motion.status == "decided"
    return {
        "id": motion.pk, "body": motion.body.slug, "title": motion.title, "text": motion.text, "kind": motion.kind,
        "quorum": motion.quorum, "threshold": motion.threshold, "double_majority": motion.double_majority,
        "hide_results": motion.hide_results, "status": motion.status, "outcome": motion.outcome,
        "counts": (motion.counts if decided else selectors.live_counts(motion, votes)) if visible else None,
        "by_constituency": motion.by_constituency, "explanation": motion.explanation, "decision": motion.decision,
        "minutes": motion.minutes,
        "votes": [{"member": v.person.public_name, "constituency": v.constituency.slug, "option": v.option,
                   "reason": v.reason} for v in votes] if visible else None,
        "recused": [r.person.public_name for r in motion.recusals.all()],
        "url": motion.get_absolute_url(),
    }


@router.get("/networks/{network_slug}/motions", response=list[MotionOut], summary="A network's motions, newest first")
def list_motions(request: HttpRequest, network_slug: str, limit: int = 50, offset: int = 0) -> list[dict]:
    network = get_object_or_404(Network, slug=network_slug)
    limit, offset = max(1, min(limit, 100)), min(max(0, offset), MAX_OFFSET)  # negative or huge would answer 500
    motions = selectors.with_votes(selectors.motions_for(network=network))[offset: offset + limit]
    return [_motion_out(m) for m in motions]


@router.get("/motions/{motion_id}", response=MotionOut, summary="One motion, with its votes and decision")
def get_motion(request: HttpRequest, motion_id: int) -> dict:
    return _motion_out(get_object_or_404(selectors.with_votes(Motion.objects.select_related("body__network")),
                                         pk=motion_id))


@router.post("/motions/{motion_id}/vote", response={201: MotionOut}, auth=django_auth,
             summary="Vote on a motion (members of the body; once each; recusal enforced)")
def vote_motion(request: HttpRequest, motion_id: int, data: MotionVoteIn) -> Status:
    """403 for a non-member or a member who must recuse; 409 after close or a second vote; 422 for bad input."""
    motion = get_object_or_404(Motion.objects.select_related("body__network"), pk=motion_id)
    person = _person(request)
    try:
        ratelimit.check(request, ratelimit.BALLOTS, person=person)
        services.motion_vote(motion=motion, actor=person, option=data.option, reason=data.reason)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except ratelimit.RateLimited as exc:
        raise HttpError(429, " ".join(exc.messages)) from None
    except (services.VotingClosed, services.AlreadyVoted) as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return Status(201, _motion_out(selectors.with_votes(Motion.objects.select_related("body__network"))
                                   .get(pk=motion.pk)))
