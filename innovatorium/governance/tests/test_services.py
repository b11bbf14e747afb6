from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innovatorium.factories import member
from innovatorium.governance import selectors, services
from innovatorium.governance.models import (
    BodyKind,
    BodyMember,
    ElectionBallot,
    ElectionVoter,
    MotionVote,
    Outcome,
    SeatSource,
)
from innovatorium.people.models import DeclarationOfInterest, InterestType
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify


def _run_election(election, facilitator, candidates, ballots):
    noms = {p: services.nominate(election=election, actor=p, statement=f"I am {p.pk}") for p in candidates}
    services.election_open_voting(election=election, actor=facilitator)
    for voter, order in ballots:
        services.ballot_cast(election=election, actor=voter, ranking=[noms[c].pk for c in order])
    return noms, services.election_close(election=election, actor=facilitator)


def test_a_body_has_seats_per_constituency_and_says_which_are_empty(network, board, seated_board):
    [row] = [r for r in selectors.seats_by_constituency(network) if r["body"] == board]
    assert (row["reserved"], row["filled"], row["empty"]) == (4, 3, 1)
    nhs = next(r for r in row["rows"] if r["constituency"].slug == "nhs")
    assert nhs["empty"] == 1


def test_only_staff_set_up_bodies_and_bad_seats_are_refused(network, patient, facilitator):
    with pytest.raises(PermissionDenied):
        services.body_create(network=network, actor=patient, name="Board", seats={"nhs": 1})
    with pytest.raises(ValidationError) as exc:
        services.body_create(network=network, actor=facilitator, name="", seats={"nhs": -1, "nowhere": 2})
    assert {"name", "seats", "seats_nhs"} <= set(exc.value.message_dict)
    assert not RecordEntry.objects.filter(action="governance.body.created").exists()


def test_an_election_fills_each_constituencys_seats_by_stv_and_seats_the_winners(
    election, facilitator, patients, industry, board,
):
    a, b, c, d = patients
    ballots = [(a, [a, b]), (b, [b, a]), (c, [c, a]), (d, [a, c])]
    noms, election = _run_election(election, facilitator, [a, b, c, industry[0]], ballots)
    contest = election.contests.get(constituency__slug="patients-public")
    assert contest.result["winners"][0] == noms[a].option_id
    assert len(contest.result["winners"]) == 2
    assert len(contest.result["steps"]) >= 2
    seated = set(BodyMember.objects.filter(body=board, ended_at__isnull=True).values_list("person_id", flat=True))
    assert a.pk in seated and len(seated) == 2  # industry: one candidate, no ballots -> nobody elected
    entry = RecordEntry.objects.get(action="governance.election.counted")
    assert entry.payload["contests"]["patients-public"]["ballots"] == 4
    assert ElectionBallot.objects.count() == 4
    assert {f.name for f in ElectionBallot._meta.get_fields()} == {"id", "contest", "ranking", "receipt"}


def test_a_member_votes_once_and_only_in_their_own_constituency(election, facilitator, patients, industry):
    a = patients[0]
    nom = services.nominate(election=election, actor=a, statement="Vote for me")
    services.nominate(election=election, actor=industry[0], statement="And me")
    services.election_open_voting(election=election, actor=facilitator)
    services.ballot_cast(election=election, actor=patients[1], ranking=[nom.pk])
    with pytest.raises(services.AlreadyVoted):
        services.ballot_cast(election=election, actor=patients[1], ranking=[nom.pk])
    with pytest.raises(ValidationError):  # ranking a candidate of another constituency
        services.ballot_cast(election=election, actor=industry[1], ranking=[nom.pk])
    assert ElectionBallot.objects.count() == 1 and ElectionVoter.objects.count() == 1


def test_nominations_need_a_statement_and_a_constituency_with_seats(election, network, patients):
    with pytest.raises(ValidationError):
        services.nominate(election=election, actor=patients[0], statement="  ")
    academic = member(network, "academia").person
    with pytest.raises(PermissionDenied, match="no seats"):
        services.nominate(election=election, actor=academic, statement="Hello")


def test_a_ballot_after_close_is_refused_and_nothing_is_written(election, facilitator, patients):
    nom = services.nominate(election=election, actor=patients[0], statement="s")
    services.election_open_voting(election=election, actor=facilitator,
                                  closes_at=timezone.now() + dt.timedelta(hours=1))
    election.refresh_from_db()
    election.closes_at = timezone.now() - dt.timedelta(seconds=1)
    election.save()
    with pytest.raises(services.VotingClosed):
        services.ballot_cast(election=election, actor=patients[1], ranking=[nom.pk])
    assert not ElectionVoter.objects.exists() and not ElectionBallot.objects.exists()


def test_a_panel_is_drawn_by_lot_and_the_draw_reruns(network, facilitator, patients, industry):
    panel = services.body_create(network=network, actor=facilitator, name="Citizens' panel", kind=BodyKind.PANEL,
                                 seats={"patients-public": 2, "industry": 1})
    draw = services.draw_panel(body=panel, actor=facilitator, seed="7 14 21 28 35 42")
    assert sum(len(v) for v in draw.selected.values()) == 3
    again, same = services.rerun_draw(draw)
    assert same and again.selected["patients-public"] == tuple(draw.selected["patients-public"])
    assert BodyMember.objects.filter(body=panel, source=SeatSource.DRAWN, ended_at__isnull=True).count() == 3
    entry = RecordEntry.objects.get(action="governance.sortition.drawn")
    assert entry.payload["seed"] == "7 14 21 28 35 42"


def test_a_draw_with_too_few_members_is_refused(network, facilitator, patients):
    panel = services.body_create(network=network, actor=facilitator, name="Panel", kind=BodyKind.PANEL,
                                 seats={"patients-public": 9})
    with pytest.raises(ValidationError, match="too few"):
        services.draw_panel(body=panel, actor=facilitator, seed="x")


def test_a_motion_passes_by_double_majority(seated_board, facilitator, patients, industry):
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="Adopt the plan", text="t",
                                     double_majority=True, quorum=2)
    for p in [patients[0], patients[1], industry[0]]:
        services.motion_vote(motion=motion, actor=p, option="agree")
    motion = services.motion_close(motion=motion, actor=facilitator)
    # NHS has a reserved seat but nobody in it: double majority counts only the body's constituencies that
    # are listed; an empty one gives no majority.
    assert motion.outcome == Outcome.FAILED
    assert any("nhs" in line for line in motion.explanation)


def test_double_majority_passes_when_every_seated_constituency_agrees(network, facilitator, patients, industry):
    body = services.body_create(network=network, actor=facilitator, name="Council", kind=BodyKind.COUNCIL,
                                seats={"patients-public": 2, "industry": 1})
    for p in [patients[0], patients[1], industry[0]]:
        services.member_appoint(body=body, actor=facilitator, person=p)
    motion = services.motion_propose(body=body, actor=facilitator, title="Plan", text="t", double_majority=True)
    services.motion_vote(motion=motion, actor=patients[0], option="agree")
    services.motion_vote(motion=motion, actor=patients[1], option="abstain")
    services.motion_vote(motion=motion, actor=industry[0], option="agree")
    motion = services.motion_close(motion=motion, actor=facilitator)
    assert motion.outcome == Outcome.PASSED
    entry = RecordEntry.objects.get(action="governance.motion.decided")
    assert entry.payload["outcome"] == "passed" and entry.payload["counts"]["agree"] == 2
    assert record_verify().ok


def test_a_member_with_a_declared_interest_must_recuse(seated_board, network, facilitator, patients, industry):
    DeclarationOfInterest.objects.create(person=industry[0], network=network, interest_type=InterestType.FINANCIAL,
                                         organisation_name="Acme Health Ltd", description="Director")
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="Contract with Acme", text="t",
                                     interests="Acme Health")
    with pytest.raises(services.MustRecuse, match="must recuse"):
        services.motion_vote(motion=motion, actor=industry[0], option="agree")
    assert not MotionVote.objects.exists()
    assert industry[0].pk in services.must_recuse(motion)


def test_block_needs_a_reason_double_votes_and_late_votes_are_refused(seated_board, facilitator, patients):
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="M", text="t")
    with pytest.raises(ValidationError):
        services.motion_vote(motion=motion, actor=patients[0], option="block")
    services.motion_vote(motion=motion, actor=patients[0], option="block", reason="Not safe yet")
    with pytest.raises(services.AlreadyVoted):
        services.motion_vote(motion=motion, actor=patients[0], option="agree")
    motion = services.motion_close(motion=motion, actor=facilitator)
    with pytest.raises(services.VotingClosed):
        services.motion_vote(motion=motion, actor=patients[1], option="agree")
    assert MotionVote.objects.count() == 1


def test_a_motion_without_quorum_is_no_decision(seated_board, facilitator, patients):
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="M", text="t", quorum=3)
    services.motion_vote(motion=motion, actor=patients[0], option="agree")
    motion = services.motion_close(motion=motion, actor=facilitator)
    assert motion.outcome == Outcome.INQUORATE


def test_non_members_cannot_vote_on_motions(seated_board, facilitator, patients):
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="M", text="t")
    with pytest.raises(PermissionDenied):
        services.motion_vote(motion=motion, actor=patients[3], option="agree")


def test_erasure_clears_what_a_member_wrote_and_keeps_every_tally(election, facilitator, patients, seated_board):
    from innovatorium.governance.privacy import ERASED, erase_person

    nom = services.nominate(election=election, actor=patients[0], statement="My life story")
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="M", text="t")
    services.motion_vote(motion=motion, actor=patients[0], option="block", reason="Because of my diagnosis")
    erase_person(person=patients[0])
    nom.refresh_from_db()
    assert nom.statement == ERASED
    vote = MotionVote.objects.get()
    assert vote.option == "block" and vote.reason == ERASED
    assert not BodyMember.objects.filter(person=patients[0], ended_at__isnull=True).exists()


def test_anyone_recounting_the_stored_ballots_gets_the_published_result(election, facilitator, patients, industry):
    from innovatorium import voting

    a, b, c, d = patients
    _run_election(election, facilitator, [a, b, c], [(a, [b, c]), (b, [c, b]), (c, [a]), (d, [c, a, b])])
    contest = election.contests.get(constituency__slug="patients-public")
    standing = services.candidates(contest)
    e = services.contest_election(contest, standing)
    ballots = services.contest_ballots(contest)
    assert voting.tally(e, ballots).to_dict() == contest.result
    assert voting.ballot_set_hash(e, ballots) == contest.ballot_set_hash
    assert set(contest.result["winners"]) <= {n.option_id for n in standing}
    assert len(contest.result["winners"]) <= contest.seats
