from __future__ import annotations

import json
import random

import pytest

from innovatorium.deliberation import selectors, services
from innovatorium.deliberation.models import AnalysisSnapshot
from innovatorium.opinion import analyse

pytestmark = pytest.mark.django_db


def vote_at_random(conversation, statements, people=24, seed=1):
    rng = random.Random(seed)
    for n in range(people):
        participant = services.participant_for(conversation=conversation, browser_token=f"{n:043d}")
        camp = n % 3
        for statement in statements:
            value = ["agree", "disagree", "pass"][(camp + statement.pk) % 3 if rng.random() < 0.8 else 2]
            services.vote_cast(participant=participant, statement=statement, value=value)


def test_votes_enqueue_a_recompute_after_commit_and_the_snapshot_equals_analyse_on_the_stored_votes(
    conversation, statements, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vote_at_random(conversation, statements)
    snapshot = AnalysisSnapshot.objects.get(conversation=conversation)
    data = selectors.vote_data(conversation=conversation)
    expected = analyse(data.participants, data.statements, data.votes, len(data.participant_ids),
                       len(data.statement_ids), constituencies=data.constituencies, seed=conversation.pk)
    assert snapshot.result == json.loads(expected.to_json())
    assert snapshot.vote_count == 24 * 8
    assert snapshot.statement_ids == [s.pk for s in statements]


def test_a_recompute_is_skipped_when_the_snapshot_is_newer_than_the_last_vote(conversation, statements):
    vote_at_random(conversation, statements, people=8)
    first = services.analysis_refresh(conversation_id=conversation.pk)
    assert first is not None
    assert services.analysis_refresh(conversation_id=conversation.pk) is None
    participant = services.participant_for(conversation=conversation, browser_token="q" * 43)
    services.vote_cast(participant=participant, statement=statements[0], value="agree")
    assert services.analysis_refresh(conversation_id=conversation.pk).vote_count == 8 * 8 + 1


def test_members_are_shown_by_partner_group_and_small_groups_are_suppressed(
    network, conversation, statements, patient, industry_member
):
    from innovatorium.factories import member

    people = [patient, *(member(network, "patients-public").person for _ in range(5))]
    for person in [*people, industry_member]:
        participant = services.participant_for(conversation=conversation, person=person)
        for statement in statements:
            services.vote_cast(participant=participant, statement=statement, value="agree")
    result = services.analysis_refresh(conversation_id=conversation.pk).result
    assert result["constituencies"]["names"] == ["Patients and public"]
    assert result["constituencies"]["suppressed"] == ["Industry"]


def test_a_vote_by_someone_who_joins_while_the_votes_are_read_is_left_for_the_next_recompute(
    conversation, statements
):
    from django.db import connection

    vote_at_random(conversation, statements, people=6)
    joined = []

    def someone_votes_after_the_participants_are_read(execute, sql, params, many, context):
        # Just before the votes are read (the participants already were), a newcomer votes.
        if not joined and sql.lstrip().startswith("SELECT") and 'FROM "deliberation_vote"' in sql:
            joined.append(None)  # before the writes below, which run queries through this wrapper too
            joined[0] = services.participant_for(conversation=conversation, browser_token="late" * 10 + "abc")
            services.vote_cast(participant=joined[0], statement=statements[0], value="agree")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(someone_votes_after_the_participants_are_read):
        data = selectors.vote_data(conversation=conversation)
    assert joined and joined[0].pk not in data.participant_ids
    assert len(data.votes) == 6 * 8  # the late vote is not counted against someone else's row
    assert data.participants.max() < len(data.participant_ids)
    analyse(data.participants, data.statements, data.votes, len(data.participant_ids), len(data.statement_ids),
            constituencies=data.constituencies, seed=conversation.pk)  # no "participant index out of range"
    assert selectors.vote_data(conversation=conversation).votes.size == 6 * 8 + 1
