"""Races on PostgreSQL, through the whole stack (HTTP, middleware, services): ballots, votes and the last place
at an event. Each test starts its racers at one barrier, each on its own database connection.

SQLite serialises whole write transactions, so these run on PostgreSQL only (CI runs the suite on both).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from innovatorium.factories import member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"),
]



def race(actions: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run every action at once (one thread and one connection each); their results and any errors."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)
    errors: list[BaseException] = []

    def run(i: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = action()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


def _signed_in(person) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(person.user)
    return client


# --- Priority ballots ------------------------------------------------------------------------------------


@pytest.fixture
def open_round(network, facilitator):
    from innovatorium.priorities import services

    def make(voters: int):  # noqa: ANN202
        people = [member(network, "patients-public").person for _ in range(voters)]
        round_ = services.round_create(network=network, actor=facilitator, title="Race", method="approval",
                                       seats=1, texts=["A", "B", "C"], secret=True)
        services.round_open(round=round_, actor=facilitator)
        return round_, people

    return make


def _ballot(client: Client, round_id: int, option: str) -> Callable[[], int]:
    return lambda: client.post(f"/api/priorities/rounds/{round_id}/ballot", {"marks": [option]},
                               content_type="application/json").status_code


def test_two_ballots_sent_at_once_by_one_person_count_once(open_round):
    from innovatorium.priorities.models import Ballot, VoterRoll

    round_, [voter] = open_round(1)
    # Two tabs, two sessions, the same person: both answered, one ballot stands (the later replaces the first).
    statuses, errors = race([_ballot(_signed_in(voter), round_.pk, f"option-{i}") for i in (1, 2)])

    assert errors == []
    assert statuses == [200, 200]
    assert Ballot.objects.filter(round=round_).count() == 1
    assert VoterRoll.objects.filter(round=round_, has_voted=True).count() == 1


def test_many_voters_at_once_are_all_counted(open_round):
    from innovatorium.priorities.models import Ballot, VoterRoll

    round_, voters = open_round(8)
    statuses, errors = race([_ballot(_signed_in(v), round_.pk, "option-1") for v in voters])

    assert errors == []
    assert statuses == [200] * 8
    assert Ballot.objects.filter(round=round_).count() == 8
    assert VoterRoll.objects.filter(round=round_, has_voted=True).count() == 8
    assert len(set(Ballot.objects.filter(round=round_).values_list("receipt", flat=True))) == 8


# --- Deliberation votes ----------------------------------------------------------------------------------


@pytest.fixture
def conversation(network, facilitator):
    from innovatorium.deliberation import services

    return services.conversation_open(network=network, actor=facilitator, question="What should we tackle next?",
                                      seed_statements=["Foot checks should happen in the community."],
                                      allow_anonymous=True)


def _vote(client: Client, conversation, statement, value: str) -> Callable[[], int]:  # noqa: ANN001
    url = reverse("deliberation:vote", args=[conversation.network.slug, conversation.slug])
    return lambda: client.post(url, {"statement": statement.pk, "vote": value}).status_code


def test_one_person_voting_in_two_tabs_at_once_has_one_vote(conversation, patient):
    from innovatorium.deliberation.models import Participant, Vote

    statement = conversation.statements.get()
    values = ["agree", "disagree", "pass", "agree"]
    statuses, errors = race([_vote(_signed_in(patient), conversation, statement, v) for v in values])

    assert errors == []
    assert set(statuses) == {302}
    assert Participant.objects.filter(conversation=conversation, person=patient).count() == 1
    assert Vote.objects.filter(statement=statement).count() == 1


def test_many_people_voting_at_once_are_all_counted(conversation, network):
    from innovatorium.deliberation.models import Participant, Vote

    statement = conversation.statements.get()
    people = [member(network, "patients-public").person for _ in range(8)]
    statuses, errors = race([_vote(_signed_in(p), conversation, statement, "agree") for p in people])

    assert errors == []
    assert set(statuses) == {302}
    assert Participant.objects.filter(conversation=conversation).count() == 8
    assert Vote.objects.filter(statement=statement, value=1).count() == 8


# --- The last place at an event ------------------------------------------------------------------------------


def test_six_people_registering_at_once_for_the_last_place_one_gets_it(network, facilitator):
    import datetime as dt

    from django.utils import timezone

    from innovatorium.events import services
    from innovatorium.events.models import Registration, RegistrationStatus

    starts = timezone.now() + dt.timedelta(days=7)
    event = services.event_create(network=network, actor=facilitator, title="Race for a place",
                                  description="One place left.", starts_at=starts,
                                  ends_at=starts + dt.timedelta(hours=2), capacity=1, online_link="https://meet.example.org/x")
    services.event_publish(event=event, actor=facilitator)
    people = [member(network, "patients-public").person for _ in range(6)]
    url = reverse("events:register", args=[network.slug, event.slug])
    clients = [_signed_in(p) for p in people]
    statuses, errors = race([(lambda c=c: c.post(url, {"access_needs": ""}).status_code) for c in clients])

    assert errors == []
    assert all(s in (200, 302) for s in statuses), statuses
    places = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert places.count(RegistrationStatus.CONFIRMED) == 1
    assert places.count(RegistrationStatus.WAITLISTED) == 5
