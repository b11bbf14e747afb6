from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innovatorium.deliberation import services
from innovatorium.deliberation.models import Participant, Statement, StatementStatus, Vote
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify

pytestmark = pytest.mark.django_db


def anonymous(conversation, token="a" * 43):
    return services.participant_for(conversation=conversation, browser_token=token)


def test_opening_a_conversation_puts_it_and_each_seed_statement_on_the_record(conversation):
    actions = list(RecordEntry.objects.filter(object_type__startswith="deliberation").values_list("action", flat=True))
    assert actions.count("deliberation.conversation.opened") == 1
    assert actions.count("deliberation.statement.seeded") == 8
    assert conversation.statements.filter(status=StatementStatus.ACCEPTED).count() == 8


def test_only_the_networks_facilitators_open_conversations(network, patient, other_admin):
    for person in (patient, other_admin):
        with pytest.raises(PermissionDenied):
            services.conversation_open(network=network, actor=person, question="Anything?", seed_statements=["A"])


def test_a_seed_statement_longer_than_280_characters_is_refused_with_its_length(network, facilitator):
    with pytest.raises(ValidationError) as exc:
        services.conversation_open(network=network, actor=facilitator, question="Q?", seed_statements=["x" * 281])
    assert "281 characters" in str(exc.value)


def test_a_second_vote_on_a_statement_replaces_the_first(conversation, statements, patient):
    participant = services.participant_for(conversation=conversation, person=patient)
    services.vote_cast(participant=participant, statement=statements[0], value="agree")
    services.vote_cast(participant=participant, statement=statements[0], value="agree")
    services.vote_cast(participant=participant, statement=statements[0], value="disagree")
    assert list(Vote.objects.filter(statement=statements[0]).values_list("value", flat=True)) == [-1]


def test_voting_after_the_conversation_closed_is_refused(conversation, statements, facilitator):
    participant = anonymous(conversation)
    services.conversation_close(conversation=conversation, actor=facilitator)
    conversation.refresh_from_db()
    participant.conversation = conversation
    with pytest.raises(ValidationError, match="closed"):
        services.vote_cast(participant=participant, statement=statements[0], value="agree")


def test_a_pending_or_rejected_statement_cannot_be_voted_on(conversation, facilitator):
    author = anonymous(conversation, "b" * 43)
    voter = anonymous(conversation)
    pending = services.statement_submit(participant=author, text="Insulin pumps for everyone who wants one.")
    with pytest.raises(ValidationError, match="waiting for a facilitator"):
        services.vote_cast(participant=voter, statement=pending, value="agree")
    services.statement_moderate(statement=pending, actor=facilitator, accept=False, reason="Already covered.")
    pending.refresh_from_db()
    with pytest.raises(ValidationError, match="not accepted"):
        services.vote_cast(participant=voter, statement=pending, value="agree")


def test_a_browser_without_an_account_cannot_take_part_in_a_members_only_conversation(members_only):
    with pytest.raises(services.NotAllowed, match="Only members"):
        anonymous(members_only)


def test_someone_outside_the_network_cannot_take_part_in_a_members_only_conversation(members_only, other_admin):
    with pytest.raises(services.NotAllowed, match="Join the network"):
        services.participant_for(conversation=members_only, person=other_admin)


def test_a_member_takes_part_with_the_partner_group_they_belong_to(members_only, patient):
    participant = services.participant_for(conversation=members_only, person=patient)
    assert participant.constituency.slug == "patients-public"
    assert participant.constituency_kind == "patients_public"


def test_a_browser_is_stored_only_as_a_hash_that_differs_between_conversations(conversation, members_only):
    token = "c" * 43
    participant = anonymous(conversation, token)
    assert token not in participant.anonymous_hash
    assert participant.anonymous_hash != services.browser_hash(conversation=members_only, token=token)
    assert anonymous(conversation, token).pk == participant.pk


def test_rejecting_a_statement_needs_a_reason_and_the_reason_is_public(conversation, facilitator):
    statement = services.statement_submit(participant=anonymous(conversation), text="Fund more podiatrists.")
    with pytest.raises(ValidationError, match="Say why"):
        services.statement_moderate(statement=statement, actor=facilitator, accept=False)
    services.statement_moderate(statement=statement, actor=facilitator, accept=False, reason="Off topic.")
    entry = RecordEntry.objects.get(action="deliberation.statement.rejected")
    assert entry.payload["reason"] == "Off topic."


def test_only_facilitators_moderate(conversation, patient):
    statement = services.statement_submit(participant=anonymous(conversation), text="Fund more podiatrists.")
    with pytest.raises(PermissionDenied):
        services.statement_moderate(statement=statement, actor=patient, accept=True)


def test_the_same_statement_twice_is_refused(conversation, statements):
    with pytest.raises(ValidationError, match="already in this conversation"):
        services.statement_submit(participant=anonymous(conversation), text=statements[0].text.upper())


def test_closing_writes_totals_to_the_record_and_no_vote_is_recorded_on_its_own(
    conversation, statements, facilitator, django_capture_on_commit_callbacks
):
    for i, token in enumerate(["d" * 43, "e" * 43, "f" * 43]):
        participant = anonymous(conversation, token)
        for statement in statements[:7]:
            services.vote_cast(participant=participant, statement=statement, value=["agree", "disagree", "pass"][i])
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_close(conversation=conversation, actor=facilitator)
    entry = RecordEntry.objects.get(action="deliberation.conversation.closed")
    assert entry.payload["votes"] == 21
    assert (entry.payload["agree"], entry.payload["disagree"], entry.payload["pass"]) == (7, 7, 7)
    assert entry.payload["participants"] == 3
    assert not RecordEntry.objects.filter(action__contains="vote").exists()
    assert record_verify().ok
    with pytest.raises(ValidationError, match="already closed"):
        services.conversation_close(conversation=conversation, actor=facilitator)


@pytest.mark.parametrize("value", ["maybe", "", 2, True])
def test_a_vote_that_is_not_agree_disagree_or_pass_is_refused(conversation, statements, value):
    with pytest.raises(ValidationError, match="agree, disagree or pass"):
        services.vote_cast(participant=anonymous(conversation), statement=statements[0], value=value)


def test_a_statement_from_another_conversation_is_refused(conversation, members_only, patient):
    participant = services.participant_for(conversation=conversation, person=patient)
    other = Statement.objects.filter(conversation=members_only).first()
    with pytest.raises(ValidationError, match="another conversation"):
        services.vote_cast(participant=participant, statement=other, value="agree")
    assert Participant.objects.filter(conversation=conversation).count() == 1
