"""The live accumulator always equals a full recount: cast, change, withdraw and close in any order."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from innovatorium.voting import Ballot, Election, Method, Tally, report, tally
from innovatorium.voting.tests.strategies import ballot_for

OPTIONS = ("a", "b", "c", "d")
VOTERS = [f"v{i}" for i in range(12)]


class TallyMachine(RuleBasedStateMachine):
    voters = Bundle("voters")

    @initialize(method=st.sampled_from(tuple(Method)), seats=st.integers(1, 3))
    def open_round(self, method: Method, seats: int) -> None:
        self.election = Election("state", method, OPTIONS, 1 if method is Method.IRV else seats)
        self.tally = Tally(self.election, backend="python")
        self.model: dict[str, Ballot] = {}

    @rule(target=voters, voter=st.sampled_from(VOTERS), data=st.data())
    def cast(self, voter: str, data: st.DataObject) -> str:
        ballot = data.draw(ballot_for(self.election))
        if self.tally.closed:
            with pytest.raises(RuntimeError, match="closed"):
                self.tally.cast(voter, ballot)
        else:
            self.tally.cast(voter, ballot)  # a second ballot from the same voter replaces the first
            self.model[voter] = ballot
        return voter

    @rule(voter=voters)
    def withdraw(self, voter: str) -> None:
        if self.tally.closed:
            with pytest.raises(RuntimeError, match="closed"):
                self.tally.withdraw(voter)
        elif voter in self.model:
            self.tally.withdraw(voter)
            del self.model[voter]

    @rule(voter=st.sampled_from(VOTERS))
    def bad_ballot_is_refused_and_changes_nothing(self, voter: str) -> None:
        if self.tally.closed:
            return
        before = self.tally.result().to_json()
        bad = Ballot({"zz": 1}) if self.election.method is Method.SCORE else Ballot(("zz",))
        with pytest.raises(ValueError, match=f"ballot '{voter}': unknown option 'zz'"):
            self.tally.cast(voter, bad)
        assert self.tally.result().to_json() == before

    @rule()
    def close(self) -> None:
        self.tally.close()

    @invariant()
    def equals_a_full_recount(self) -> None:
        if not hasattr(self, "tally"):
            return
        assert len(self.tally) == len(self.model)
        ballots = list(self.model.values())
        assert self.tally.result().to_json() == tally(self.election, ballots).to_json()

    def teardown(self) -> None:
        if hasattr(self, "tally") and self.model:
            full = report(self.election, list(self.model.values()))
            assert self.tally.report().balanced.to_json() == full.balanced.to_json()


TallyMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_tally_equals_full_recount = TallyMachine.TestCase
