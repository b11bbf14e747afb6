"""Reads for deliberation: lists, the next statement for a participant, and the votes as arrays for analysis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from innovatorium.deliberation.models import (
    AnalysisSnapshot,
    Conversation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from innovatorium.deliberation.selection import next_statement
from innovatorium.networks.models import Network


def _count_of(rows: QuerySet) -> Coalesce:
    return Coalesce(Subquery(rows.order_by().values("conversation").annotate(n=Count("pk")).values("n")[:1]),
                    Value(0))


def conversations_for_network(*, network: Network) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(network=network).select_related("network")
        .annotate(  # two counting subqueries: joining statements to a million votes took 19 s at national scale
            n_statements=_count_of(Statement.objects.filter(conversation=OuterRef("pk"),
                                                            status=StatementStatus.ACCEPTED)),
            # everyone who took part: a participant is made at their first vote or statement
            n_participants=_count_of(Participant.objects.filter(conversation=OuterRef("pk"))),
        )
    )


def conversation_get(*, network_slug: str, slug: str) -> Conversation:
    return get_object_or_404(Conversation.objects.select_related("network"), network__slug=network_slug, slug=slug)


def participant_find(
    *, conversation: Conversation, person=None, anonymous_hash: str | None = None
) -> Participant | None:
    """The participant for a person or a browser hash, without making one."""
    if person is not None:
        found = Participant.objects.filter(conversation=conversation, person=person).first()
    elif anonymous_hash:
        found = Participant.objects.filter(conversation=conversation, anonymous_hash=anonymous_hash).first()
    else:
        return None
    if found is not None:
        found.conversation = conversation
    return found


@dataclass
class Progress:
    statement: Statement | None
    answered: int
    total: int


def next_for(*, conversation: Conversation, participant: Participant | None) -> Progress:
    """The statement to show next, and how far the participant has got (two queries, or three signed in)."""
    rows = list(  # the running tallies kept by services.vote_cast: no count of every vote on each request
        Statement.objects.filter(conversation=conversation, status=StatementStatus.ACCEPTED).order_by("pk")
    )
    answered: set[int] = set()
    if participant is not None:
        answered = set(Vote.objects.filter(participant=participant).values_list("statement_id", flat=True))
    seed = (participant.pk * 1_000_003 + len(answered)) if participant is not None else conversation.pk
    chosen = next_statement(
        statements=[s.pk for s in rows], seen=[s.n_votes for s in rows], agree=[s.n_agree for s in rows],
        disagree=[s.n_disagree for s in rows], answered=answered, seed=seed,
    )
    by_id = {s.pk: s for s in rows}
    return Progress(
        statement=by_id.get(chosen) if chosen is not None else None,
        answered=sum(1 for s in rows if s.pk in answered), total=len(rows),
    )


def pending_statements(*, conversation: Conversation) -> QuerySet[Statement]:
    return Statement.objects.filter(conversation=conversation, status=StatementStatus.PENDING).order_by("pk")


def moderated_statements(*, conversation: Conversation) -> QuerySet[Statement]:
    return Statement.objects.filter(conversation=conversation, is_seed=False).exclude(
        status=StatementStatus.PENDING
    ).order_by("-moderated_at")


def accepted_statements(*, conversation: Conversation) -> QuerySet[Statement]:
    return Statement.objects.filter(conversation=conversation, status=StatementStatus.ACCEPTED).order_by("pk")


def snapshot_for(*, conversation: Conversation) -> AnalysisSnapshot | None:
    return AnalysisSnapshot.objects.filter(conversation=conversation).first()


@dataclass
class VoteData:
    """The votes as parallel index arrays, with the ids each index stands for (what `analyse` takes)."""

    participants: np.ndarray
    statements: np.ndarray
    votes: np.ndarray
    participant_ids: list[int]
    statement_ids: list[int]
    constituencies: list[str | None]


def vote_data(*, conversation: Conversation) -> VoteData:
    """Every vote on an accepted statement, read in one pass of three columns (fast for big conversations)."""
    statement_ids = list(
        Statement.objects.filter(conversation=conversation, status=StatementStatus.ACCEPTED)
        .order_by("pk").values_list("pk", flat=True)
    )
    people = list(
        Participant.objects.filter(conversation=conversation, votes__isnull=False).distinct()
        .order_by("pk").values_list("pk", "constituency__name")
    )
    participant_ids = [pk for pk, _ in people]
    rows = np.array(
        list(Vote.objects.filter(conversation=conversation, statement__status=StatementStatus.ACCEPTED)
             .values_list("participant_id", "statement_id", "value")),
        dtype=np.int64,
    ).reshape(-1, 3)
    # The three reads are separate statements, so votes keep arriving between them: a vote by someone who
    # first voted after the participants were read (or on a statement accepted since) is left for the next run.
    known_participants = np.array(participant_ids, dtype=np.int64)
    known_statements = np.array(statement_ids, dtype=np.int64)
    participant_index = np.searchsorted(known_participants, rows[:, 0])
    statement_index = np.searchsorted(known_statements, rows[:, 1])
    known = (participant_index < len(known_participants)) & (statement_index < len(known_statements))
    known[known] = ((known_participants[participant_index[known]] == rows[known, 0])
                    & (known_statements[statement_index[known]] == rows[known, 1]))
    rows, participant_index, statement_index = rows[known], participant_index[known], statement_index[known]
    return VoteData(
        participants=participant_index.astype(np.int64), statements=statement_index.astype(np.int64),
        votes=rows[:, 2].copy(), participant_ids=participant_ids, statement_ids=statement_ids,
        constituencies=[name for _, name in people],
    )
