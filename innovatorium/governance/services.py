"""Writes for governance: bodies and their seats, elections, sortition and motions.

Every write is one transaction that also appends to the public record. Ballots never go on the record one by
one (that would say who voted when); the count does, with its ballot-set hash, so anyone can check it.
Counting is the framework-free `innovatorium.voting` (STV); draws are `innovatorium.ledger.sortition`; motion
outcomes are `innovatorium.ledger.motions.decide`, so what is published is exactly what the code applied.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from innovatorium import voting
from innovatorium.governance.models import (
    Body,
    BodyKind,
    BodyMember,
    Draw,
    Election,
    ElectionBallot,
    ElectionContest,
    ElectionStatus,
    ElectionVoter,
    Motion,
    MotionKind,
    MotionStatus,
    MotionVote,
    Nomination,
    Recusal,
    ReservedSeats,
    SeatSource,
    Threshold,
)
from innovatorium.ledger import motions as motion_rules
from innovatorium.ledger import sortition
from innovatorium.networks.models import Constituency, Network
from innovatorium.people.authority import is_network_staff, require_network_staff
from innovatorium.people.models import COUNTED_VERIFICATION, DeclarationOfInterest, Membership, Person
from innovatorium.record.services import record_append

MAX_SEATS = 50
STATEMENT_LIMIT = 3000
REASON_LIMIT = 2000
THRESHOLDS = {
    Threshold.MAJORITY: (Fraction(1, 2), False),
    Threshold.TWO_THIRDS: (Fraction(2, 3), True),
    Threshold.THREE_QUARTERS: (Fraction(3, 4), True),
}


class AlreadyVoted(ValidationError):
    pass


class VotingClosed(ValidationError):
    pass


class MustRecuse(PermissionDenied):
    pass


# --- Helpers ------------------------------------------------------------------------------------------------


def counted_membership(person: Person | None, network: Network) -> Membership | None:
    if person is None:
        return None
    return (
        Membership.objects.select_related("constituency")
        .filter(person=person, network=network, verification__in=COUNTED_VERIFICATION)
        .first()
    )


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _unique_slug(network: Network, name: str) -> str:
    base = slugify(name)[:70].strip("-") or "body"
    taken = set(Body.objects.filter(network=network, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_seats(network: Network, seats: Mapping[str, int]) -> dict[Constituency, int]:
    by_slug = {c.slug: c for c in network.constituencies.all()}
    errors: dict[str, list[str]] = {}
    out: dict[Constituency, int] = {}
    for slug, n in seats.items():
        if slug not in by_slug:
            errors.setdefault("seats", []).append(f"“{slug}” is not a partner group of {network.name}.")
            continue
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_SEATS:
            errors.setdefault(f"seats_{slug}", []).append(
                f"Seats for {by_slug[slug].name} must be a whole number from 0 to {MAX_SEATS}."
            )
            continue
        if n:
            out[by_slug[slug]] = n
    if not errors and not out:
        errors["seats"] = ["Reserve at least one seat for at least one partner group."]
    if errors:
        raise ValidationError(errors)
    return out


def _seats_payload(seats: Mapping[Constituency, int]) -> dict[str, int]:
    return {c.slug: n for c, n in sorted(seats.items(), key=lambda item: item[0].position)}


def _require_staff_or_member(actor: Person | None, body: Body, what: str) -> None:
    if actor is None or is_network_staff(actor, body.network):
        return
    if not BodyMember.objects.filter(body=body, person=actor, ended_at__isnull=True).exists():
        raise PermissionDenied(f"Only members of {body.name} and facilitators of {body.network.name} may {what}.")


# --- Bodies and seats ---------------------------------------------------------------------------------------


@transaction.atomic
def body_create(
    *,
    network: Network,
    actor: Person | None,
    name: str,
    kind: str = BodyKind.BOARD,
    purpose: str = "",
    term_months: int = 36,
    seats: Mapping[str, int],
) -> Body:
    """Set up a body with seats reserved per constituency (constituency slug -> seats)."""
    require_network_staff(actor, network, "set up governing bodies")
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Enter the body's name, like “Board” or “Members' council”."]
    elif len(name) > 160:
        errors["name"] = ["Keep the name to 160 characters or fewer."]
    if kind not in BodyKind.values:
        errors["kind"] = ["Choose board, members' council or panel."]
    if isinstance(term_months, bool) or not isinstance(term_months, int) or not 1 <= term_months <= 120:
        errors["term_months"] = ["A term is from 1 to 120 months."]
    try:
        clean = _clean_seats(network, seats)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    body = Body.objects.create(
        network=network, slug=_unique_slug(network, name), name=name, kind=kind, purpose=purpose.strip(),
        term_months=term_months,
    )
    ReservedSeats.objects.bulk_create(ReservedSeats(body=body, constituency=c, seats=n) for c, n in clean.items())
    record_append(action="governance.body.created", actor=actor, network=network, obj=body, payload={
        "name": body.name, "kind": body.kind, "term_months": term_months, "seats": _seats_payload(clean),
    })
    return body


@transaction.atomic
def seats_set(*, body: Body, actor: Person | None, seats: Mapping[str, int]) -> Body:
    """Change how many seats each constituency holds on a body. Seated members keep their seats."""
    require_network_staff(actor, body.network, "change a body's seats")
    clean = _clean_seats(body.network, seats)
    ReservedSeats.objects.filter(body=body).delete()
    ReservedSeats.objects.bulk_create(ReservedSeats(body=body, constituency=c, seats=n) for c, n in clean.items())
    record_append(action="governance.seats.changed", actor=actor, network=body.network, obj=body,
                  payload={"seats": _seats_payload(clean)})
    return body


def _seat(body: Body, person: Person, constituency: Constituency, source: str, **links: object) -> BodyMember:
    today = timezone.localdate()
    return BodyMember.objects.create(
        body=body, person=person, constituency=constituency, source=source, started_on=today,
        term_ends_on=_months_later(today, body.term_months), **links,
    )


@transaction.atomic
def member_appoint(*, body: Body, actor: Person | None, person: Person) -> BodyMember:
    """Appoint a counted member of the network to a seat of their constituency (e.g. the first board)."""
    require_network_staff(actor, body.network, "appoint members of a body")
    membership = counted_membership(person, body.network)
    if membership is None:
        raise ValidationError({"person": [f"Only confirmed members of {body.network.name} can hold a seat."]})
    reserved = ReservedSeats.objects.filter(body=body, constituency=membership.constituency).first()
    held = BodyMember.objects.filter(body=body, constituency=membership.constituency, ended_at__isnull=True)
    if reserved is None or held.count() >= reserved.seats:
        raise ValidationError({"person": [
            f"{body.name} has no empty seat for {membership.constituency.name}."
        ]})
    if held.filter(person=person).exists():
        raise ValidationError({"person": [f"{person.public_name} already holds a seat on {body.name}."]})
    seat = _seat(body, person, membership.constituency, SeatSource.APPOINTED)
    record_append(action="governance.member.appointed", actor=actor, network=body.network, obj=body, payload={
        "member": person.pseudonym, "constituency": membership.constituency.slug, "until": seat.term_ends_on,
    })
    return seat


@transaction.atomic
def member_end(*, seat: BodyMember, actor: Person | None, reason: str = "stood down") -> BodyMember:
    body = seat.body
    if actor is None or actor.pk != seat.person_id:
        require_network_staff(actor, body.network, "end someone's seat")
    if seat.ended_at is not None:
        raise ValidationError("This seat has already ended.")
    seat.ended_at = timezone.now()
    seat.save(update_fields=["ended_at"])
    record_append(action="governance.member.ended", actor=actor, network=body.network, obj=body, payload={
        "member": seat.person.pseudonym, "constituency": seat.constituency.slug, "reason": reason[:100],
    })
    return seat


# --- Elections ----------------------------------------------------------------------------------------------


@transaction.atomic
def election_call(
    *, body: Body, actor: Person | None, title: str = "", closes_at: dt.datetime | None = None
) -> Election:
    """Call an election to every reserved seat of a body; nominations open at once."""
    require_network_staff(actor, body.network, "call elections")
    reserved = list(ReservedSeats.objects.filter(body=body).select_related("constituency"))
    if not reserved:
        raise ValidationError("This body has no reserved seats to elect: set its seats first.")
    if Election.objects.filter(body=body).exclude(status=ElectionStatus.COUNTED).exists():
        raise ValidationError(f"{body.name} already has an election under way; finish it first.")
    title = (title or "").strip() or f"Election to the {body.name}, {timezone.localdate():%B %Y}"
    election = Election.objects.create(
        body=body, title=title[:200], closes_at=closes_at,
        round_id=f"governance:{body.network.slug}:{body.slug}:{secrets.token_hex(8)}",
    )
    ElectionContest.objects.bulk_create(
        ElectionContest(election=election, constituency=r.constituency, seats=r.seats) for r in reserved
    )
    record_append(action="governance.election.called", actor=actor, network=body.network, obj=election, payload={
        "body": body.slug, "title": election.title, "round_id": election.round_id,
        "seats": {r.constituency.slug: r.seats for r in reserved},
    })
    return election


def _contest_for(election: Election, membership: Membership | None) -> ElectionContest | None:
    if membership is None:
        return None
    return election.contests.filter(constituency=membership.constituency).first()


@transaction.atomic
def nominate(*, election: Election, actor: Person, statement: str) -> Nomination:
    """Stand for election: a confirmed member, for their own constituency's seats, with a statement."""
    if election.status != ElectionStatus.NOMINATIONS:
        raise VotingClosed("Nominations for this election have closed.")
    network = election.body.network
    membership = counted_membership(actor, network)
    if membership is None:
        raise PermissionDenied(f"Only confirmed members of {network.name} can stand.")
    contest = _contest_for(election, membership)
    if contest is None:
        raise PermissionDenied(
            f"This election has no seats for {membership.constituency.name}, the partner group you belong to."
        )
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": ["Write a statement: why you are standing and what you would do."]})
    if len(statement) > STATEMENT_LIMIT:
        raise ValidationError({"statement": [f"Keep your statement to {STATEMENT_LIMIT} characters or fewer."]})
    nomination = Nomination.objects.filter(contest=contest, person=actor).first()
    if nomination is not None and nomination.withdrawn_at is None:
        raise ValidationError({"statement": ["You have already stood in this election."]})
    if nomination is not None:  # standing again after withdrawing: the same candidate id, a new statement
        nomination.statement, nomination.withdrawn_at = statement, None
        nomination.save(update_fields=["statement", "withdrawn_at"])
    else:
        nomination = Nomination.objects.create(contest=contest, person=actor, statement=statement)
    record_append(action="governance.nomination.made", actor=actor, network=network, obj=election, payload={
        "candidate": actor.pseudonym, "constituency": contest.constituency.slug, "option": nomination.option_id,
    })
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, actor: Person) -> Nomination:
    election = nomination.contest.election
    if actor.pk != nomination.person_id:
        require_network_staff(actor, election.body.network, "withdraw someone else's nomination")
    if election.status != ElectionStatus.NOMINATIONS:
        raise VotingClosed("Voting has started: nominations can no longer be withdrawn.")
    if nomination.withdrawn_at is not None:
        raise ValidationError("This nomination has already been withdrawn.")
    nomination.withdrawn_at = timezone.now()
    nomination.save(update_fields=["withdrawn_at"])
    record_append(action="governance.nomination.withdrawn", actor=actor, network=election.body.network,
                  obj=election, payload={"option": nomination.option_id})
    return nomination


@transaction.atomic
def election_open_voting(*, election: Election, actor: Person | None, closes_at: dt.datetime | None = None) -> Election:
    require_network_staff(actor, election.body.network, "open voting")
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != ElectionStatus.NOMINATIONS:
        raise ValidationError("Voting can only open once, after nominations.")
    if not Nomination.objects.filter(contest__election=election, withdrawn_at__isnull=True).exists():
        raise ValidationError("Nobody has stood yet: voting needs at least one candidate.")
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError({"closes_at": ["The closing time must be in the future."]})
    election.status = ElectionStatus.VOTING
    election.voting_opened_at = timezone.now()
    election.closes_at = closes_at or election.closes_at
    election.save(update_fields=["status", "voting_opened_at", "closes_at"])
    candidates = {
        c.constituency.slug: [n.option_id for n in c.nominations.all() if n.withdrawn_at is None]
        for c in election.contests.select_related("constituency").prefetch_related("nominations")
    }
    record_append(action="governance.election.voting_opened", actor=actor, network=election.body.network,
                  obj=election, payload={"candidates": candidates, "closes_at": election.closes_at})
    return election


def candidates(contest: ElectionContest) -> list[Nomination]:
    return [n for n in contest.nominations.all() if n.withdrawn_at is None]


def _check_ballot_open(election: Election) -> None:
    if election.status == ElectionStatus.NOMINATIONS:
        raise VotingClosed("Voting in this election has not opened yet.")
    if election.status == ElectionStatus.COUNTED or (election.closes_at and election.closes_at <= timezone.now()):
        raise VotingClosed("Voting in this election has closed: no more ballots can be cast.")


def ranking_from_positions(positions: Mapping[int, int]) -> list[int]:
    """Numbered choices (nomination id -> 1, 2, 3 ...) to a ranking; numbers must run 1, 2, 3 without gaps."""
    numbers = sorted(positions.values())
    if len(set(numbers)) != len(numbers):
        raise ValidationError("Give each number to one candidate only: two candidates have the same number.")
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValidationError(f"Number your choices 1, 2, 3 and so on without gaps (you used {numbers}).")
    return sorted(positions, key=positions.__getitem__)


@transaction.atomic
def ballot_cast(*, election: Election, actor: Person, ranking: Sequence[int]) -> str:
    """Cast a secret ranked ballot in the voter's constituency contest; returns the voter's receipt code.

    The `ElectionVoter` row goes in first: its unique constraint makes a second ballot fail (on PostgreSQL a
    concurrent second insert waits for the first and then fails), and the whole transaction rolls back.
    """
    election = Election.objects.select_related("body__network").get(pk=election.pk)
    _check_ballot_open(election)
    network = election.body.network
    membership = counted_membership(actor, network)
    if membership is None:
        raise PermissionDenied(f"Only confirmed members of {network.name} can vote in this election.")
    contest = _contest_for(election, membership)
    if contest is None:
        raise PermissionDenied(f"This election has no seats for {membership.constituency.name}.")
    standing = {n.pk: n for n in candidates(contest)}
    ranking = list(ranking)
    if len(set(ranking)) != len(ranking):
        raise ValidationError("Rank each candidate only once.")
    unknown = [r for r in ranking if r not in standing]
    if unknown:
        raise ValidationError("Rank only the candidates standing for your partner group's seats.")
    try:
        with transaction.atomic():
            ElectionVoter.objects.create(election=election, person=actor)
    except IntegrityError:
        raise AlreadyVoted("You have already voted in this election. Each member votes once.") from None
    receipt = secrets.token_hex(16)
    ElectionBallot.objects.create(
        contest=contest, ranking=">".join(standing[r].option_id for r in ranking), receipt=receipt
    )
    return receipt


def contest_election(contest: ElectionContest, standing: Sequence[Nomination]) -> voting.Election:
    options = tuple(n.option_id for n in standing)
    return voting.Election(
        f"{contest.election.round_id}:{contest.constituency.slug}", voting.Method.STV, options,
        min(contest.seats, len(options)),
    )


def contest_ballots(contest: ElectionContest) -> list[voting.Ballot]:
    return [
        voting.Ballot(tuple(r.split(">")) if r else (), contest.constituency.slug, receipt)
        for r, receipt in contest.ballots.values_list("ranking", "receipt")
    ]


@transaction.atomic
def election_close(*, election: Election, actor: Person | None) -> Election:
    """Close voting, count every constituency's seats by STV, publish the count and seat the winners."""
    require_network_staff(actor, election.body.network, "close and count elections")
    election = Election.objects.select_for_update().select_related("body__network").get(pk=election.pk)
    if election.status != ElectionStatus.VOTING:
        raise ValidationError("Only an election whose voting is open can be closed and counted.")
    body = election.body
    summary: dict[str, dict[str, object]] = {}
    for contest in election.contests.select_related("constituency").prefetch_related("nominations__person"):
        standing = candidates(contest)
        slug = contest.constituency.slug
        ended = BodyMember.objects.filter(body=body, constituency=contest.constituency, ended_at__isnull=True)
        ended.update(ended_at=timezone.now())
        if not standing:
            contest.result = None
            contest.save(update_fields=["result"])
            summary[slug] = {"seats": contest.seats, "candidates": 0, "ballots": 0, "elected": []}
            continue
        e = contest_election(contest, standing)
        ballots = contest_ballots(contest)
        result = voting.tally(e, ballots)
        by_option = {n.option_id: n for n in standing}
        contest.result = result.to_dict()
        contest.ballot_set_hash = voting.ballot_set_hash(e, ballots)
        contest.save(update_fields=["result", "ballot_set_hash"])
        for option in result.winners:
            n = by_option[option]
            n.elected = True
            n.save(update_fields=["elected"])
            BodyMember.objects.filter(body=body, person=n.person, ended_at__isnull=True).update(ended_at=timezone.now())
            _seat(body, n.person, contest.constituency, SeatSource.ELECTED, election=election)
        summary[slug] = {
            "seats": contest.seats, "candidates": len(standing), "ballots": len(ballots),
            "elected": [by_option[o].person.pseudonym for o in result.winners],
            "elected_options": list(result.winners), "quota": result.quota,
            "ballot_set_hash": contest.ballot_set_hash,
        }
    election.status = ElectionStatus.COUNTED
    election.counted_at = timezone.now()
    election.save(update_fields=["status", "counted_at"])
    record_append(action="governance.election.counted", actor=actor, network=body.network, obj=election,
                  payload={"body": body.slug, "round_id": election.round_id, "contests": summary,
                           "voters": election.voters.count()})
    return election


# --- Sortition ----------------------------------------------------------------------------------------------


def draw_pool(body: Body) -> list[tuple[str, str]]:
    """Who a panel is drawn from: every confirmed member of the network in a constituency with seats on it."""
    slugs = list(body.reserved_seats.values_list("constituency__slug", flat=True))
    rows = Membership.objects.filter(
        network=body.network, verification__in=COUNTED_VERIFICATION, constituency__slug__in=slugs,
        person__erased_at__isnull=True,
    ).values_list("person__pseudonym", "constituency__slug")
    return sorted(rows)


@transaction.atomic
def draw_panel(*, body: Body, actor: Person | None, seed: str) -> Draw:
    """Draw the panel's members by lot, stratified by constituency (quotas = its reserved seats), from a public
    seed. The panel's current members stand down; the drawn members take their seats."""
    require_network_staff(actor, body.network, "run a draw")
    seed = (seed or "").strip()
    if not seed:
        raise ValidationError({"seed": ["Enter the public seed, for example numbers read out at an open meeting."]})
    if len(seed) > 200:
        raise ValidationError({"seed": ["Keep the seed to 200 characters or fewer."]})
    quotas = {r.constituency.slug: r.seats for r in body.reserved_seats.select_related("constituency")}
    pool = draw_pool(body)
    for slug in list(quotas):
        if not any(s == slug for _, s in pool):
            raise ValidationError({"seed": [f"Nobody in “{slug}” can be drawn: the partner group has no members."]})
    try:
        result = sortition.draw(pool, sum(quotas.values()), seed, quotas)
    except ValueError as exc:
        raise ValidationError({"seed": [f"The draw cannot be made: {exc}."]}) from None
    draw = Draw.objects.create(
        body=body, seed=seed, candidates=[list(c) for c in pool], candidates_hash=result.candidates_hash,
        quotas=result.quotas, selected={k: list(v) for k, v in result.selected.items()},
    )
    BodyMember.objects.filter(body=body, ended_at__isnull=True).update(ended_at=timezone.now())
    people = {p.pseudonym: p for p in Person.objects.filter(pseudonym__in=result.panel)}
    constituencies = {c.slug: c for c in body.network.constituencies.all()}
    for slug, chosen in result.selected.items():
        for pseudonym in chosen:
            _seat(body, people[pseudonym], constituencies[slug], SeatSource.DRAWN, draw=draw)
    record_append(action="governance.sortition.drawn", actor=actor, network=body.network, obj=draw, payload={
        "body": body.slug, "seed": seed, "candidates": len(pool), "candidates_hash": result.candidates_hash,
        "quotas": result.quotas, "selected": draw.selected,
    })
    return draw


def rerun_draw(draw: Draw) -> tuple[sortition.Draw, bool]:
    """Re-run a published draw from its stored candidates and seed; True when it gives the same panel."""
    again = sortition.draw([tuple(c) for c in draw.candidates], sum(draw.quotas.values()), draw.seed, draw.quotas)
    same = again.candidates_hash == draw.candidates_hash and {k: list(v) for k, v in again.selected.items()} == {
        k: list(v) for k, v in draw.selected.items()
    }
    return again, same


# --- Motions ------------------------------------------------------------------------------------------------


@transaction.atomic
def motion_propose(
    *,
    body: Body,
    actor: Person | None,
    title: str,
    text: str,
    interests: str = "",
    kind: str = MotionKind.PROPOSAL,
    quorum: int | None = None,
    threshold: str = Threshold.MAJORITY,
    double_majority: bool = False,
    hide_results: bool = False,
    closes_at: dt.datetime | None = None,
) -> Motion:
    """Put a motion to a body. The quorum defaults to half its seats, rounded up."""
    _require_staff_or_member(actor, body, "propose motions")
    errors: dict[str, list[str]] = {}
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        errors["title"] = ["Enter a short title for the motion."]
    elif len(title) > 200:
        errors["title"] = ["Keep the title to 200 characters or fewer."]
    if not text:
        errors["text"] = ["Write what the body is asked to agree."]
    if kind not in MotionKind.values:
        errors["kind"] = ["Choose a proposal or a consent motion."]
    if threshold not in Threshold.values:
        errors["threshold"] = ["Choose a pass threshold."]
    if double_majority and kind == MotionKind.CONSENT:
        errors["double_majority"] = ["A consent motion passes when nobody objects; double majority applies to "
                                     "proposals only."]
    seats = sum(body.reserved_seats.values_list("seats", flat=True))
    if quorum is None:
        quorum = (seats + 1) // 2
    if isinstance(quorum, bool) or not isinstance(quorum, int) or not 1 <= quorum <= max(seats, 1):
        errors["quorum"] = [f"The quorum is a number of votes from 1 to {max(seats, 1)} (the body's seats)."]
    if closes_at is not None and closes_at <= timezone.now():
        errors["closes_at"] = ["The closing time must be in the future."]
    if len(interests) > 500:
        errors["interests"] = ["Keep the list of organisations to 500 characters or fewer."]
    if errors:
        raise ValidationError(errors)
    constituencies = list(body.reserved_seats.values_list("constituency__slug", flat=True))
    motion = Motion.objects.create(
        body=body, title=title, text=text, interests=interests.strip(), kind=kind, quorum=quorum,
        threshold=threshold, double_majority=double_majority, hide_results=hide_results, proposed_by=actor,
        constituencies=constituencies, closes_at=closes_at,
    )
    record_append(action="governance.motion.proposed", actor=actor, network=body.network, obj=motion, payload={
        "body": body.slug, "title": title, "kind": kind, "quorum": quorum, "threshold": threshold,
        "double_majority": double_majority, "hide_results": hide_results, "interests": motion.interest_names,
    })
    return motion


def conflicting_declaration(motion: Motion, person: Person) -> DeclarationOfInterest | None:
    """A current declaration of `person` naming one of the organisations the motion concerns."""
    names = [n.lower() for n in motion.interest_names]
    if not names:
        return None
    for d in DeclarationOfInterest.objects.filter(person=person, network_id=motion.body.network_id,
                                                  ended_at__isnull=True):
        haystack = f"{d.organisation_name} {d.description}".lower()
        if any(n in haystack for n in names):
            return d
    return None


def must_recuse(motion: Motion) -> dict[int, str]:
    """Person id -> why they must stand aside: a recusal on the motion or a current, matching declaration."""
    out = {r.person_id: r.reason for r in motion.recusals.all()}
    names = [n.lower() for n in motion.interest_names]
    if names:
        members = BodyMember.objects.filter(body_id=motion.body_id, ended_at__isnull=True).values_list(
            "person_id", flat=True)
        for d in DeclarationOfInterest.objects.filter(person_id__in=list(members),
                                                      network_id=motion.body.network_id, ended_at__isnull=True):
            haystack = f"{d.organisation_name} {d.description}".lower()
            if d.person_id not in out and any(n in haystack for n in names):
                out[d.person_id] = f"Declared interest: {d}"
    return out


def _check_motion_open(motion: Motion) -> None:
    if motion.status != MotionStatus.OPEN or (motion.closes_at and motion.closes_at <= timezone.now()):
        raise VotingClosed("This motion has closed: no more votes can be cast.")


def _seat_of(motion: Motion, actor: Person | None) -> BodyMember:
    seat = (
        BodyMember.objects.select_related("constituency")
        .filter(body_id=motion.body_id, person=actor, ended_at__isnull=True)
        .first()
        if actor is not None else None
    )
    if seat is None:
        raise PermissionDenied(f"Only members of {motion.body.name} can vote on its motions.")
    return seat


@transaction.atomic
def motion_vote(*, motion: Motion, actor: Person, option: str, reason: str = "") -> MotionVote:
    """One vote per member, refused with a plain reason when the member must recuse or the motion has closed."""
    motion = Motion.objects.select_for_update().select_related("body__network").get(pk=motion.pk)
    _check_motion_open(motion)
    seat = _seat_of(motion, actor)
    options = motion_rules.OPTIONS[motion.kind]
    if option not in options:
        raise ValidationError({"option": [f"Choose one of: {', '.join(options)}."]})
    reason = (reason or "").strip()
    if option in (motion_rules.BLOCK, motion_rules.OBJECTION) and not reason:
        raise ValidationError({"reason": [f"Say why you {option}: a {option} needs a reason."]})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": [f"Keep your reason to {REASON_LIMIT} characters or fewer."]})
    if motion.recusals.filter(person=actor).exists():
        raise MustRecuse("You have recused yourself from this motion, so you cannot vote on it.")
    declaration = conflicting_declaration(motion, actor)
    if declaration is not None:
        raise MustRecuse(
            f"You declared an interest in {declaration.organisation_name or 'an organisation'} this motion concerns "
            "(“" + declaration.description[:80] + "”), so you must recuse and cannot vote."
        )
    try:
        with transaction.atomic():
            vote = MotionVote.objects.create(
                motion=motion, person=actor, constituency=seat.constituency, option=option, reason=reason
            )
    except IntegrityError:
        raise AlreadyVoted("You have already voted on this motion. Each member votes once.") from None
    return vote


@transaction.atomic
def motion_recuse(*, motion: Motion, actor: Person, reason: str = "") -> Recusal:
    """A member stands aside (recorded publicly). A matching declaration is linked; a vote already cast blocks it."""
    motion = Motion.objects.select_for_update().select_related("body__network").get(pk=motion.pk)
    _check_motion_open(motion)
    _seat_of(motion, actor)
    if motion.votes.filter(person=actor).exists():
        raise ValidationError("You have already voted on this motion, so you can no longer recuse.")
    if motion.recusals.filter(person=actor).exists():
        raise ValidationError("You have already recused yourself from this motion.")
    declaration = conflicting_declaration(motion, actor)
    reason = (reason or "").strip()[:300] or (f"Declared interest: {declaration}" if declaration else
                                              "Stood aside from this motion")
    recusal = Recusal.objects.create(motion=motion, person=actor, declaration=declaration, reason=reason)
    record_append(action="governance.motion.recused", actor=actor, network=motion.body.network, obj=motion,
                  payload={"member": actor.pseudonym, "declared_interest": declaration is not None})
    return recusal


def motion_rules_for(motion: Motion) -> motion_rules.Rules:
    threshold, inclusive = THRESHOLDS[Threshold(motion.threshold)]
    return motion_rules.Rules(
        kind=motion.kind, quorum=motion.quorum, threshold=threshold, inclusive=inclusive,
        double_majority=motion.double_majority, constituencies=tuple(motion.constituencies),
    )


def decide(motion: Motion, *, reasons: bool = True) -> motion_rules.Decision:
    """The decision from the stored votes (pure), with voters by pseudonym; `reasons=False` for the record."""
    votes = [
        motion_rules.Vote(v.person.pseudonym, v.option, v.constituency.slug,
                          v.reason if reasons else ("reason on the motion's page" if v.reason else ""))
        for v in motion.votes.select_related("person", "constituency")
    ]
    return motion_rules.decide(votes, motion_rules_for(motion))


@transaction.atomic
def motion_close(*, motion: Motion, actor: Person | None) -> Motion:
    """Close voting and decide: quorum, blocks, threshold, double majority. An inquorate motion is no decision."""
    motion = Motion.objects.select_for_update().select_related("body__network").get(pk=motion.pk)
    require_network_staff(actor, motion.body.network, "close motions")
    if motion.status != MotionStatus.OPEN:
        raise ValidationError("This motion has already been decided.")
    decision = decide(motion)
    motion.status = MotionStatus.DECIDED
    motion.decided_at = timezone.now()
    motion.outcome = decision.outcome
    motion.counts = decision.counts
    motion.by_constituency = decision.by_constituency
    motion.explanation = list(decision.explanation)
    motion.save(update_fields=["status", "decided_at", "outcome", "counts", "by_constituency", "explanation"])
    public = decide(motion, reasons=False)
    record_append(action="governance.motion.decided", actor=actor, network=motion.body.network, obj=motion,
                  payload={"body": motion.body.slug, "title": motion.title, "outcome": public.outcome,
                           "counts": public.counts, "by_constituency": public.by_constituency,
                           "explanation": list(public.explanation), "recused": motion.recusals.count()})
    return motion


@transaction.atomic
def motion_publish_minutes(*, motion: Motion, actor: Person | None, decision: str, minutes: str = "") -> Motion:
    require_network_staff(actor, motion.body.network, "publish minutes")
    if motion.status != MotionStatus.DECIDED:
        raise ValidationError("Publish the minutes once the motion has been decided.")
    decision, minutes = (decision or "").strip(), (minutes or "").strip()
    if not decision:
        raise ValidationError({"decision": ["Write the decision as it should be published."]})
    motion.decision, motion.minutes = decision[:5000], minutes[:20000]
    motion.save(update_fields=["decision", "minutes"])
    record_append(action="governance.motion.minutes_published", actor=actor, network=motion.body.network,
                  obj=motion, payload={"decision": motion.decision})
    return motion
