"""Cast / change / withdraw / close in any order: the live tally and the stored result always equal a full
recount of the ballots the voters last cast (hypothesis state machine over the real services and database)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from innovatorium import voting
from innovatorium.factories import NetworkFactory, member
from innovatorium.people.models import Role
from innovatorium.priorities import services

OPTIONS = [f"option-{i}" for i in range(1, 5)]
KINDS = ["patients-public", "patients-public", "nhs", "industry", "academia", "patients-public"]


def marks_for(method: str):
    if method == "score":
        return st.dictionaries(st.sampled_from(OPTIONS), st.integers(0, 5), max_size=4)
    if method == "approval":
        return st.lists(st.sampled_from(OPTIONS), unique=True, max_size=4)
    return st.permutations(OPTIONS).flatmap(lambda p: st.integers(0, 4).map(lambda n: p[:n]))


class RoundMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        cache.clear()
        self.network = NetworkFactory()
        self.facilitator = member(self.network, "nhs", role=Role.FACILITATOR).person
        self.voters = [member(self.network, kind).person for kind in KINDS]
        self.cast: dict[int, object] = {}
        self.closed = False

    @initialize(method=st.sampled_from(["approval", "score", "borda", "irv", "stv"]))
    def open_round(self, method):
        self.method = method
        self.round = services.round_create(
            network=self.network, actor=self.facilitator, title="Machine", method=method, seats=2, texts=OPTIONS,
        )
        services.round_open(round=self.round, actor=self.facilitator)
        self.election = services.election_for(self.round)
        self.live = voting.Tally(self.election, backend="python")

    @rule(who=st.integers(0, len(KINDS) - 1), data=st.data())
    def cast_or_change(self, who, data):
        person = self.voters[who]
        marks = data.draw(marks_for(self.method))
        if self.closed:
            with pytest.raises(services.RoundNotOpen):
                services.ballot_cast(round=self.round, person=person, marks=marks)
            return
        services.ballot_cast(round=self.round, person=person, marks=marks)
        ballot = services.clean_marks(self.round, self.election, marks)
        kind = KINDS[who].replace("-", "_")
        self.cast[person.pk] = voting.Ballot(ballot.marks, kind)
        self.live.cast(str(person.pk), voting.Ballot(ballot.marks, kind))

    @rule(who=st.integers(0, len(KINDS) - 1))
    def withdraw(self, who):
        person = self.voters[who]
        if self.closed:
            with pytest.raises(services.RoundNotOpen):
                services.ballot_withdraw(round=self.round, person=person)
            return
        if person.pk not in self.cast:
            with pytest.raises(ValidationError):
                services.ballot_withdraw(round=self.round, person=person)
            return
        services.ballot_withdraw(round=self.round, person=person)
        del self.cast[person.pk]
        self.live.withdraw(str(person.pk))

    @precondition(lambda self: not self.closed)
    @rule()
    def close(self):
        result = services.round_close(round=self.round, actor=self.facilitator)
        self.closed = True
        ballots = list(self.cast.values())
        assert result.ballots == len(ballots)
        assert result.data["raw"] == voting.tally(self.election, ballots, backend="python").to_dict()
        assert result.data["raw"] == self.live.close().to_dict()
        assert result.data["balanced"] == voting.tally_balanced(self.election, ballots, backend="python").to_dict()

    @invariant()
    def stored_ballots_are_the_last_ones_cast(self):
        if not hasattr(self, "round"):
            return
        canon = sorted(
            (voting.canonical_marks(self.election, b), b.constituency)
            for b in services.stored_ballots(self.round, self.election)
        )
        assert canon == sorted((voting.canonical_marks(self.election, b), b.constituency) for b in self.cast.values())
        if not self.closed:
            stored = services.stored_ballots(self.round, self.election)
            assert self.live.result().to_dict() == voting.tally(self.election, stored, backend="python").to_dict()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_stored_result_always_equals_a_full_recount_of_the_last_ballots_cast(monkeypatch):
    monkeypatch.setattr(services, "RATE_LIMIT", (10_000, 600))
    run_state_machine_as_test(
        RoundMachine,
        settings=settings(max_examples=30, stateful_step_count=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow]),
    )
