"""Rounds, ballots and their refusals, through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innovatorium import voting
from innovatorium.factories import member
from innovatorium.priorities import services
from innovatorium.priorities.models import Ballot, Elector, Result, RoundStatus, Stage, VoterRoll
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify


def test_a_facilitator_sets_up_a_round_from_the_networks_needs_and_free_text(network, facilitator, patient):
    from innovatorium.challenges.services import challenge_raise

    need = challenge_raise(network=network, actor=patient, title="Waiting lists for memory clinics",
                           description="Months of waiting.")
    round_ = services.round_create(network=network, actor=facilitator, title="Interim vote", method="approval",
                                   challenges=[need], texts=["Transport to clinics"], seats=1)
    assert [(o.option_id, o.text, o.challenge) for o in round_.options.all()] == [
        ("option-1", "Waiting lists for memory clinics", need), ("option-2", "Transport to clinics", None)]
    assert round_.status == RoundStatus.DRAFT
    entry = RecordEntry.objects.get(action="priorities.round.created")
    assert entry.payload["options"][0]["challenge"] == need.slug


def test_options_cannot_come_from_another_networks_needs(network, other_network, facilitator, other_admin):
    from innovatorium.challenges.services import challenge_raise

    theirs = challenge_raise(network=other_network, actor=other_admin, title="Someone else's need",
                             description="Elsewhere.")
    with pytest.raises(ValidationError, match="own needs"):
        services.round_create(network=network, actor=facilitator, title="Mixed", method="approval",
                              challenges=[theirs], texts=["Ours"])


@pytest.mark.parametrize("kwargs, message", [
    ({"texts": ["Only one"]}, "between 2 and 100 options"),
    ({"title": "  "}, "Give the round a title"),
    ({"method": "plurality"}, "voting method"),
    ({"seats": 9}, "between 1 and the number of options"),
    ({"top_n": 0}, "most a voter may pick"),
])
def test_a_badly_set_up_round_is_refused_with_a_clear_message(network, facilitator, kwargs, message):
    fields = {"title": "A round", "method": "approval", "texts": ["A", "B", "C"], "seats": 2, **kwargs}
    with pytest.raises(ValidationError, match=message):
        services.round_create(network=network, actor=facilitator, **fields)


def test_only_the_networks_facilitators_may_run_rounds(network, patient, other_admin, make_round):
    for person in (patient, other_admin):
        with pytest.raises(PermissionDenied):
            services.round_create(network=network, actor=person, title="Nope", method="approval", texts=["A", "B"])
    round_ = make_round(open=False)
    with pytest.raises(PermissionDenied):
        services.round_open(round=round_, actor=patient)


def test_opening_freezes_the_electorate_and_later_changes_do_not_alter_it(network, voters, make_round, facilitator):
    round_ = make_round()
    frozen = set(Elector.objects.filter(round=round_).values_list("person_id", flat=True))
    assert {p.pk for p in voters} | {facilitator.pk} == frozen
    latecomer = member(network, "patients-public").person
    leaver = voters[0]
    leaver.memberships.all().delete()
    with pytest.raises(services.NotInElectorate, match="fixed when voting opened"):
        services.ballot_cast(round=round_, person=latecomer, marks=["option-1"])
    assert services.ballot_cast(round=round_, person=leaver, marks=["option-1"])
    assert Elector.objects.get(round=round_, person=leaver).constituency_kind == "patients_public"


def test_a_pending_member_is_not_in_the_electorate(network, make_round):
    from innovatorium.people.models import Verification

    pending = member(network, "nhs", verification=Verification.PENDING).person
    round_ = make_round()
    with pytest.raises(services.NotInElectorate):
        services.ballot_cast(round=round_, person=pending, marks=["option-1"])


def test_a_second_ballot_replaces_the_first_so_only_one_counts(voters, make_round):
    round_ = make_round("borda", seats=1)
    first = services.ballot_cast(round=round_, person=voters[0], marks=["option-1", "option-2"])
    second = services.ballot_cast(round=round_, person=voters[0], marks=["option-3"])
    assert first != second
    assert list(Ballot.objects.filter(round=round_).values_list("marks", flat=True)) == ["option-3"]
    assert services.my_receipt(round=round_, person=voters[0]) == second


def test_withdrawing_removes_the_ballot_and_voting_again_is_allowed(voters, make_round):
    round_ = make_round()
    services.ballot_cast(round=round_, person=voters[0], marks=["option-1"])
    services.ballot_withdraw(round=round_, person=voters[0])
    assert not Ballot.objects.filter(round=round_).exists()
    assert not VoterRoll.objects.get(round=round_, person=voters[0]).has_voted
    with pytest.raises(ValidationError, match="no ballot to withdraw"):
        services.ballot_withdraw(round=round_, person=voters[0])
    services.ballot_cast(round=round_, person=voters[0], marks=["option-2"])
    assert Ballot.objects.filter(round=round_).count() == 1


@pytest.mark.parametrize("method, marks, message", [
    ("approval", ["option-9"], "not one of this round's options"),
    ("approval", ["option-1", "option-1"], "only once"),
    ("approval", "option-1", "Choose options"),
    ("score", {"option-1": 6}, "outside that range"),
    ("score", {"option-1": -1}, "outside that range"),
    ("score", {"option-1": True}, "outside that range"),
    ("score", ["option-1"], "Give each option a score"),
    ("borda", ["option-2", "option-2"], "only once"),
    ("irv", ["option-1", "option-5"], "not one of this round's options"),
])
def test_out_of_range_or_malformed_ballots_are_refused(voters, make_round, method, marks, message):
    round_ = make_round(method, seats=1)
    with pytest.raises(ValidationError, match=message):
        services.ballot_cast(round=round_, person=voters[0], marks=marks)
    assert not Ballot.objects.exists()


def test_a_voter_may_pick_no_more_than_the_rounds_top_n(voters, make_round):
    round_ = make_round("approval", top_n=2, seats=1)
    with pytest.raises(ValidationError, match="at most 2 options"):
        services.ballot_cast(round=round_, person=voters[0], marks=["option-1", "option-2", "option-3"])


def test_numbered_selects_must_run_without_gaps_or_repeats():
    election = voting.Election("r", voting.Method.IRV, ("a", "b", "c"))
    assert services.ranking_from_positions(election, {"c": 1, "a": 2}) == ("c", "a")
    with pytest.raises(ValidationError, match="same number"):
        services.ranking_from_positions(election, {"a": 1, "b": 1})
    with pytest.raises(ValidationError, match="without gaps"):
        services.ranking_from_positions(election, {"a": 1, "b": 3})


def test_voting_before_opening_or_after_closing_is_refused(voters, make_round, facilitator):
    round_ = make_round(open=False)
    with pytest.raises(services.RoundNotOpen, match="not opened yet"):
        services.ballot_cast(round=round_, person=voters[0], marks=["option-1"])
    services.round_open(round=round_, actor=facilitator)
    services.round_close(round=round_, actor=facilitator)
    with pytest.raises(services.RoundNotOpen, match="has closed"):
        services.ballot_cast(round=round_, person=voters[0], marks=["option-1"])
    with pytest.raises(services.RoundNotOpen, match="has closed"):
        services.ballot_withdraw(round=round_, person=voters[0])


def test_ballot_casting_is_rate_limited_per_person(voters, make_round, monkeypatch):
    monkeypatch.setattr(services, "RATE_LIMIT", (3, 600))
    round_ = make_round()
    for _ in range(3):
        services.ballot_cast(round=round_, person=voters[0], marks=["option-1"])
    with pytest.raises(services.RateLimited, match="Wait a few minutes"):
        services.ballot_cast(round=round_, person=voters[0], marks=["option-2"])
    services.ballot_cast(round=round_, person=voters[1], marks=["option-2"])  # others are unaffected


def _vote_all(round_, voters, marks_for):
    for i, person in enumerate(voters):
        services.ballot_cast(round=round_, person=person, marks=marks_for(i))


def test_closing_counts_raw_balanced_and_per_constituency_and_records_it(voters, make_round, facilitator):
    round_ = make_round("approval", seats=1)
    # Patients (6) and the facilitator (NHS) back option 1; 4 other NHS members and industry (2) back option 2:
    # as counted option 1 wins 7 to 6; with the three groups weighing the same option 2 wins.
    _vote_all(round_, voters, lambda i: ["option-1"] if i < 6 else ["option-2"])
    services.ballot_cast(round=round_, person=facilitator, marks=["option-1"])
    result = services.round_close(round=round_, actor=facilitator)
    data = result.data
    assert data["raw"]["winners"] == ["option-1"]
    assert data["balanced"]["winners"] == ["option-2"]
    assert data["disagreements"]
    assert data["by_constituency"]["patients_public"]["winners"] == ["option-1"]
    assert data["by_constituency"]["industry"] == {
        "suppressed": True, "ballots": 2, "reason": data["by_constituency"]["industry"]["reason"]}
    assert data["by_constituency"]["nhs"]["winners"] == ["option-2"]
    entry = RecordEntry.objects.get(action="priorities.round.closed")
    assert entry.payload["ballots"] == 13 == result.ballots
    assert entry.payload["ballot_set_hash"] == result.ballot_set_hash
    assert entry.payload["result"]["raw"] == data["raw"]
    assert record_verify().ok


def test_the_record_entry_matches_a_recount_of_the_stored_ballots(voters, make_round, facilitator):
    round_ = make_round("stv", options=5, seats=2)
    _vote_all(round_, voters, lambda i: [f"option-{(i + j) % 5 + 1}" for j in range(3)])
    services.round_close(round=round_, actor=facilitator)
    election = services.election_for(round_)
    ballots = services.stored_ballots(round_, election)
    entry = RecordEntry.objects.get(action="priorities.round.closed")
    assert entry.payload["result"]["raw"] == voting.tally(election, ballots, backend="python").to_dict()
    assert entry.payload["result"]["balanced"] == voting.tally_balanced(election, ballots, backend="python").to_dict()
    assert entry.payload["ballot_set_hash"] == voting.ballot_set_hash(election, ballots)
    for kind, counted in voting.tally_by_constituency(election, ballots, backend="python").items():
        stored = entry.payload["result"]["by_constituency"][kind]
        assert stored.get("suppressed", False) == isinstance(counted, voting.Suppressed)
        if not stored.get("suppressed"):
            assert stored == counted.to_dict()


def test_closing_a_secret_round_erases_what_links_ballots_to_voters(voters, make_round, facilitator):
    round_ = make_round()
    services.ballot_cast(round=round_, person=voters[0], marks=["option-1"])
    services.round_close(round=round_, actor=facilitator)
    assert set(VoterRoll.objects.filter(round=round_).values_list("secret", flat=True)) == {""}
    assert set(Ballot.objects.filter(round=round_).values_list("key", flat=True)) == {None}
    assert VoterRoll.objects.get(round=round_, person=voters[0]).has_voted
    assert services.my_receipt(round=round_, person=voters[0]) is None


def test_a_non_secret_round_keeps_the_receipt_available(voters, make_round, facilitator):
    round_ = make_round(secret=False)
    receipt = services.ballot_cast(round=round_, person=voters[0], marks=["option-1"])
    services.round_close(round=round_, actor=facilitator)
    assert services.my_receipt(round=round_, person=voters[0]) == receipt


def test_publishing_and_the_jla_progression_carry_the_top_results_forward(voters, make_round, facilitator):
    round_ = make_round("score", options=6, seats=3)
    _vote_all(round_, voters, lambda i: {f"option-{k}": (k + i) % 6 for k in range(1, 7)})
    with pytest.raises(ValidationError, match="Close the round"):
        services.round_publish(round=round_, actor=facilitator)
    services.round_close(round=round_, actor=facilitator)
    services.round_publish(round=round_, actor=facilitator)
    entry = RecordEntry.objects.get(action="priorities.round.published")
    assert [p["option"] for p in entry.payload["priorities"]] == round_.result.data["raw"]["winners"]
    with pytest.raises(ValidationError, match="already published"):
        services.round_publish(round=round_, actor=facilitator)
    top = round_.result.data["raw"]["ranking"][:4]
    nxt = services.round_next(previous=round_, actor=facilitator, title="Shortlist", method="irv", take=4)
    assert nxt.previous == round_ and nxt.stage == Stage.SHORTLIST and nxt.seats == 1
    labels = {o.option_id: o.text for o in round_.options.all()}
    assert [o.text for o in nxt.options.all()] == [labels[o] for o in top]


def test_closing_twice_or_opening_twice_is_refused(make_round, facilitator):
    round_ = make_round()
    with pytest.raises(ValidationError, match="already open"):
        services.round_open(round=round_, actor=facilitator)
    services.round_close(round=round_, actor=facilitator)
    with pytest.raises(ValidationError, match="Only an open round"):
        services.round_close(round=round_, actor=facilitator)
    assert Result.objects.count() == 1
