"""Deliberation in the API: conversations, their accepted statements, results as JSON, and voting.

Voting needs a session (sign in to the site; send the `X-CSRFToken` header). Results never say who voted how.
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from innovatorium.core import ratelimit
from innovatorium.core.pagination import MAX_OFFSET
from innovatorium.deliberation import ratelimits, selectors, services
from innovatorium.deliberation.models import Conversation, Statement, StatementStatus

router = Router(tags=["deliberation"])
MAX_LIMIT = 100


class ConversationOut(Schema):
    id: int
    network: str
    slug: str
    question: str
    description: str
    status: str = Field(description="open or closed")
    allow_anonymous: bool
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    url: str
    results_url: str


class ConversationPageOut(Schema):
    items: list[ConversationOut]
    count: int


class StatementOut(Schema):
    id: int
    text: str
    is_seed: bool
    agree: int
    disagree: int
    passed: int = Field(alias="pass_count")


class VoteIn(Schema):
    statement: int
    vote: str = Field(description="agree, disagree or pass")


class VoteOut(Schema):
    statement: int
    vote: str


def _out(c: Conversation) -> dict:
    return {
        "id": c.pk, "network": c.network.slug, "slug": c.slug, "question": c.question,
        "description": c.description, "status": c.status, "allow_anonymous": c.allow_anonymous,
        "opened_at": c.opened_at, "closed_at": c.closed_at, "url": c.get_absolute_url(),
        "results_url": c.report_url,
    }


def _conversation(conversation_id: int) -> Conversation:
    return get_object_or_404(Conversation.objects.select_related("network"), pk=conversation_id)


@router.get("/conversations", response=ConversationPageOut, summary="Conversations, newest first")
def list_conversations(
    request: HttpRequest, network: str | None = None, status: str | None = None, limit: int = 20, offset: int = 0
) -> dict:
    limit, offset = max(1, min(limit, MAX_LIMIT)), min(max(0, offset), MAX_OFFSET)
    conversations = Conversation.objects.select_related("network").order_by("-opened_at", "-pk")
    if network:
        conversations = conversations.filter(network__slug=network)
    if status:
        conversations = conversations.filter(status=status)
    return {"items": [_out(c) for c in conversations[offset: offset + limit]], "count": conversations.count()}


@router.get("/conversations/{conversation_id}/statements", response=list[StatementOut],
            summary="A conversation's accepted statements with vote totals")
def list_statements(request: HttpRequest, conversation_id: int) -> list:
    conversation = _conversation(conversation_id)
    return list(
        Statement.objects.filter(conversation=conversation, status=StatementStatus.ACCEPTED).order_by("pk")
        .annotate(agree=Count("votes", filter=Q(votes__value=1)), disagree=Count("votes", filter=Q(votes__value=-1)),
                  pass_count=Count("votes", filter=Q(votes__value=0)))
    )


@router.get("/conversations/{conversation_id}/results", summary="The latest opinion analysis, as JSON")
def get_results(request: HttpRequest, conversation_id: int) -> dict:
    """The analysis (see innovatorium.opinion): indices in it refer to `statement_ids`. 404 before any votes."""
    conversation = _conversation(conversation_id)
    snapshot = selectors.snapshot_for(conversation=conversation)
    if snapshot is None:
        raise HttpError(404, "There are no results yet.")
    return {"conversation": conversation.pk, "computed_at": snapshot.computed_at.isoformat(),
            "vote_count": snapshot.vote_count, "statement_ids": snapshot.statement_ids, "analysis": snapshot.result}


@router.post("/conversations/{conversation_id}/votes", response=VoteOut, auth=django_auth,
             summary="Vote on a statement (signed in; the latest vote counts)")
def cast_vote(request: HttpRequest, conversation_id: int, payload: VoteIn) -> dict:
    """403 for someone who may not take part; 409 for a closed conversation or a statement not open to votes;
    429 when voting too fast."""
    conversation = _conversation(conversation_id)
    statement = get_object_or_404(Statement, pk=payload.statement, conversation=conversation)
    person = getattr(request.user, "person", None)
    if person is None:
        raise HttpError(403, "Only a person with a profile can vote.")
    try:
        ratelimit.check(request, ratelimit.VOTES)  # per address; the service limits each participant
        participant = services.participant_for(conversation=conversation, person=person)
        services.vote_cast(participant=participant, statement=statement, value=payload.vote)
    except services.NotAllowed as exc:
        raise HttpError(403, str(exc)) from None
    except (ratelimits.RateLimited, ratelimit.RateLimited) as exc:
        raise HttpError(429, " ".join(exc.messages)) from None
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise HttpError(409, " ".join(exc.messages)) from None
    return {"statement": statement.pk, "vote": payload.vote.strip().lower()}
