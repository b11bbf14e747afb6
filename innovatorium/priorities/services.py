"""Writes for priority-setting rounds. Round events go on the public record; individual ballots never do.

Counting is the framework-free `innovatorium.voting` package: the same code the published re-count script
(`tools/recount.py`) loads, so the official result and anyone's re-count agree to the last unit.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from innovatorium import voting
from innovatorium.challenges.models import Challenge
from innovatorium.networks.models import Network
from innovatorium.people.authority import require_network_staff as _require_staff
from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Person
from innovatorium.priorities.models import (
    RANKED,
    Ballot,
    Elector,
    Result,
    Round,
    RoundOption,
    RoundStatus,
    Stage,
    VoterRoll,
    VotingMethod,
)
from innovatorium.record.services import record_append

RESERVED_SLUGS = frozenset({"new", "mine", "what-this-promises"})
MAX_OPTIONS = 100  # packed ballots use one byte per option
MIN_OPTIONS = 2
TITLE_LIMIT = 200
OPTION_LIMIT = 300
NO_RANK = 255
# Ballot casting per person: at most RATE_LIMIT[0] casts, changes and withdrawals in RATE_LIMIT[1] seconds.
RATE_LIMIT: tuple[int, int] = getattr(settings, "PRIORITIES_BALLOT_RATE", (20, 600))


class NotInElectorate(PermissionDenied):
    def __init__(self, round_: Round) -> None:
        super().__init__(
            f"You are not in the electorate of “{round_.title}”. Its electorate was fixed when voting opened: "
            f"the confirmed members of {round_.network.name} at that moment."
        )


class RoundNotOpen(ValidationError):
    pass


class RateLimited(ValidationError):
    pass


# --- Helpers -----------------------------------------------------------------------------------------------






def election_for(round_: Round, options: Sequence[RoundOption] | None = None) -> voting.Election:
    opts = list(options if options is not None else round_.options.all())
    seats = 1 if round_.method == VotingMethod.IRV else min(round_.seats, len(opts))
    return voting.Election(round_.election_id, voting.Method(round_.method), tuple(o.option_id for o in opts), seats)


def _unique_slug(network: Network, title: str) -> str:
    base = slugify(title)[:70].strip("-") or "round"
    if base in RESERVED_SLUGS:
        base = f"{base}-round"
    taken = set(Round.objects.filter(network=network, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _ballot_key(round_: Round, secret: str) -> str:
    return hashlib.sha256(f"ballot-key\x1f{round_.election_id}\x1f{secret}".encode()).hexdigest()


def pack(election: voting.Election, ballot: voting.Ballot) -> bytes:
    """One byte per option: ranked - indices best first then 255; approval - 0/1; score - 0..5."""
    index = {o: i for i, o in enumerate(election.options)}
    k = len(election.options)
    if election.method is voting.Method.SCORE:
        out = [0] * k
        for option, score in ballot.marks:
            out[index[option]] = score
        return bytes(out)
    if election.method is voting.Method.APPROVAL:
        out = [0] * k
        for option in ballot.marks:
            out[index[option]] = 1
        return bytes(out)
    return bytes([index[o] for o in ballot.marks] + [NO_RANK] * (k - len(ballot.marks)))


def stored_ballots(round_: Round, election: voting.Election | None = None) -> list[voting.Ballot]:
    """Every ballot of the round as the voting package sees it (marks, constituency kind, receipt)."""
    election = election or election_for(round_)
    return [
        voting.Ballot(voting.parse_marks(election, marks), kind, receipt)
        for marks, kind, receipt in Ballot.objects.filter(round=round_).values_list(
            "marks", "constituency_kind", "receipt"
        )
    ]


def clean_marks(round_: Round, election: voting.Election, marks: Any) -> voting.Ballot:
    """Turn submitted marks into a ballot, or refuse with a message a voter understands."""
    k = len(election.options)
    if round_.method == VotingMethod.SCORE:
        if not isinstance(marks, Mapping):
            raise ValidationError("Give each option a score from 0 to 5.")
        items = tuple(sorted((str(o), s) for o, s in marks.items()))
    else:
        if isinstance(marks, (str, bytes)) or not isinstance(marks, Iterable):
            raise ValidationError("Choose options from the list.")
        items = tuple(marks)
    known = set(election.options)
    for item in items:
        option = item[0] if round_.method == VotingMethod.SCORE else item
        if option not in known:
            raise ValidationError(f"“{option}” is not one of this round's options.")
    if round_.method == VotingMethod.SCORE:
        for option, score in items:
            if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= voting.counting.SCORE_MAX:
                raise ValidationError(f"Scores go from 0 to 5; {score!r} for {option} is outside that range.")
    else:
        if len(set(items)) != len(items):
            verb = "ranked" if round_.method in RANKED else "picked"
            raise ValidationError(f"Each option can be {verb} only once.")
        limit = min(round_.top_n or k, k)
        if len(items) > limit:
            verb = "rank" if round_.method in RANKED else "pick"
            raise ValidationError(f"You may {verb} at most {limit} options in this round; you chose {len(items)}.")
        if round_.method not in RANKED:
            items = tuple(sorted(items))
    ballot = voting.Ballot(items)
    try:
        voting.validate(election, [ballot])
    except ValueError as exc:
        raise ValidationError(str(exc).replace("ballot 0: ", "")) from None
    return ballot


def ranking_from_positions(election: voting.Election, positions: Mapping[str, int]) -> tuple[str, ...]:
    """Numbered selects (option -> rank 1..n) to a ranking; ranks must run 1, 2, 3 ... without gaps or repeats."""
    if not positions:
        return ()
    numbers = sorted(positions.values())
    if len(set(numbers)) != len(numbers):
        raise ValidationError("Give each rank to one option only: two options have the same number.")
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValidationError(f"Number your choices 1, 2, 3 and so on without gaps (you used {numbers}).")
    return tuple(sorted(positions, key=positions.__getitem__))


def _rate_limit(person: Person) -> None:
    limit, window = RATE_LIMIT
    key = f"priorities:cast:{person.pk}"
    added = cache.add(key, 1, timeout=window)
    count = 1 if added else cache.incr(key)
    if count > limit:
        raise RateLimited(
            f"You have changed your ballot {limit} times in the last {window // 60} minutes. Wait a few minutes "
            "and try again."
        )


def _check_open(round_: Round) -> None:
    if round_.status == RoundStatus.DRAFT:
        raise RoundNotOpen(f"Voting in “{round_.title}” has not opened yet.")
    if round_.status == RoundStatus.CLOSED or (round_.closes_at and round_.closes_at <= timezone.now()):
        raise RoundNotOpen(f"Voting in “{round_.title}” has closed, so ballots can no longer be cast or changed.")


# --- Rounds ------------------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    network: Network,
    actor: Person | None,
    title: str,
    method: str,
    stage: str = Stage.INTERIM,
    seats: int = 10,
    top_n: int | None = None,
    secret: bool = True,
    description: str = "",
    challenges: Sequence[Challenge] = (),
    texts: Sequence[str] = (),
    opens_at: Any = None,
    closes_at: Any = None,
    previous: Round | None = None,
    ordered: Sequence[tuple[Challenge | None, str]] | None = None,
) -> Round:
    """A facilitator sets up a round (a draft) with options from the network's challenges and/or free text.

    `ordered` gives the options as (challenge or None, text) pairs in order, instead of `challenges` + `texts`.
    """
    _require_staff(actor, network, "set up priority-setting rounds")
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = "Give the round a title."
    elif len(title) > TITLE_LIMIT:
        errors["title"] = f"Keep the title to {TITLE_LIMIT} characters or fewer."
    if method not in VotingMethod.values:
        errors["method"] = "Choose a voting method from the list."
    if stage not in Stage.values:
        errors["stage"] = "Choose a stage from the list."
    option_texts = (
        list(ordered) if ordered is not None
        else [(c, c.title) for c in challenges] + [(None, t.strip()) for t in texts if t.strip()]
    )
    if any(c is not None and c.network_id != network.pk for c, _ in option_texts):
        errors["challenges"] = "Options can only come from this network's own needs."
    if any(len(t) > OPTION_LIMIT for _, t in option_texts):
        errors["texts"] = f"Keep each option to {OPTION_LIMIT} characters or fewer."
    k = len(option_texts)
    if not MIN_OPTIONS <= k <= MAX_OPTIONS:
        errors["challenges"] = f"A round needs between {MIN_OPTIONS} and {MAX_OPTIONS} options; it has {k}."
    if method == VotingMethod.IRV:
        seats = 1
    if not isinstance(seats, int) or not 1 <= seats <= max(k, 1):
        errors["seats"] = f"The number of priorities must be between 1 and the number of options ({k})."
    if top_n is not None and not 1 <= top_n <= max(k, 1):
        errors["top_n"] = f"The most a voter may pick or rank must be between 1 and {k}, or empty."
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = "The round must close after it opens."
    if errors:
        raise ValidationError(errors)
    slug = _unique_slug(network, title)
    round_ = Round.objects.create(
        network=network, slug=slug, title=title, description=description.strip(), stage=stage, method=method,
        seats=seats, top_n=top_n, secret=secret, opens_at=opens_at, closes_at=closes_at, previous=previous,
        election_id=f"{network.slug}/{slug}/{secrets.token_hex(4)}",
    )
    RoundOption.objects.bulk_create(
        RoundOption(round=round_, position=i, challenge=c, text=t) for i, (c, t) in enumerate(option_texts, start=1)
    )
    record_append(
        action="priorities.round.created", actor=actor, network=network, obj=round_,
        payload={
            "round": round_.slug, "title": title, "stage": stage, "method": method, "seats": seats, "top_n": top_n,
            "secret": secret, "election_id": round_.election_id,
            "options": [{"id": f"option-{i}", "text": t, "challenge": c.slug if c else None}
                        for i, (c, t) in enumerate(option_texts, start=1)],
        },
    )
    return round_


@transaction.atomic
def round_open(*, round: Round, actor: Person | None) -> Round:  # noqa: A002 - the domain word
    """Open voting and freeze the electorate: the network's counted members at this moment."""
    _require_staff(actor, round.network, "open priority-setting rounds")
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status != RoundStatus.DRAFT:
        raise ValidationError(f"“{round_.title}” is already {round_.get_status_display().lower()}.")
    members = list(
        Membership.objects.filter(network=round_.network, verification__in=COUNTED_VERIFICATION)
        .values_list("person_id", "constituency__kind")
    )
    Elector.objects.bulk_create(Elector(round=round_, person_id=p, constituency_kind=k) for p, k in members)
    VoterRoll.objects.bulk_create(VoterRoll(round=round_, person_id=p) for p, _ in members)
    now = timezone.now()
    round_.status = RoundStatus.OPEN
    round_.opened_at = now
    round_.save(update_fields=["status", "opened_at"])
    by_kind: dict[str, int] = {}
    for _, kind in members:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    record_append(
        action="priorities.round.opened", actor=actor, network=round_.network, obj=round_,
        payload={"round": round_.slug, "electorate": len(members), "electorate_by_constituency": by_kind,
                 "closes_at": round_.closes_at},
    )
    round.status, round.opened_at = round_.status, round_.opened_at
    return round_


@transaction.atomic
def ballot_cast(*, round: Round, person: Person, marks: Any) -> str:  # noqa: A002
    """Cast or replace the person's ballot; returns their receipt (show it to them: it is not shown again
    after a secret round closes). Two casts at once: the roll row's lock queues them, and the unique
    (round, key) constraint means only one ballot per voter can ever be stored."""
    _check_open(round)
    roll = VoterRoll.objects.select_for_update().filter(round=round, person=person).first()
    if roll is None:
        raise NotInElectorate(round)
    _rate_limit(person)
    round_ = Round.objects.get(pk=round.pk)  # the status as this transaction sees it (closing may have won)
    _check_open(round_)
    election = election_for(round_)
    ballot = clean_marks(round_, election, marks)
    elector = Elector.objects.get(round=round_, person=person)
    if not roll.secret:
        roll.secret = secrets.token_hex(32)
    key = _ballot_key(round_, roll.secret)
    canonical = voting.canonical_marks(election, ballot)
    receipt = voting.receipt(round_.election_id, canonical, roll.secret)
    Ballot.objects.filter(round=round_, key=key).delete()
    try:
        with transaction.atomic():
            Ballot.objects.create(
                round=round_, key=key, receipt=receipt, constituency_kind=elector.constituency_kind,
                marks=canonical, packed=pack(election, ballot),
            )
    except IntegrityError:  # pragma: no cover - the row lock above already serialises a voter's casts
        raise ValidationError("Your ballot was being changed at the same moment; try again.") from None
    roll.has_voted = True
    roll.save(update_fields=["has_voted", "secret"])
    return receipt


@transaction.atomic
def ballot_withdraw(*, round: Round, person: Person) -> None:  # noqa: A002
    _check_open(round)
    roll = VoterRoll.objects.select_for_update().filter(round=round, person=person).first()
    if roll is None:
        raise NotInElectorate(round)
    _rate_limit(person)
    if not roll.has_voted:
        raise ValidationError("You have not voted in this round, so there is no ballot to withdraw.")
    Ballot.objects.filter(round=round, key=_ballot_key(round, roll.secret)).delete()
    roll.has_voted = False
    roll.save(update_fields=["has_voted"])


def my_receipt(*, round: Round, person: Person) -> str | None:  # noqa: A002
    """The person's current receipt, while the database can still derive it (open rounds, non-secret rounds)."""
    roll = VoterRoll.objects.filter(round=round, person=person, has_voted=True).exclude(secret="").first()
    if roll is None:
        return None
    return (
        Ballot.objects.filter(round=round, key=_ballot_key(round, roll.secret)).values_list("receipt", flat=True)
        .first()
    )


def _result_dict(result: voting.Result | voting.Suppressed) -> dict[str, Any]:
    if isinstance(result, voting.Suppressed):
        return {"suppressed": True, "ballots": result.ballots, "reason": result.reason}
    return result.to_dict()


def count_round(round_: Round, options: Sequence[RoundOption] | None = None) -> dict[str, Any]:
    """The full count from the ballot table: raw, constituency-balanced and per constituency.

    IRV and STV count straight from the packed table (the numpy tally core); the other methods through
    `voting.report`. Both give exactly what `tools/recount.py` gets from the published export.
    """
    from innovatorium.priorities import selectors

    election = election_for(round_, options)
    if round_.method in (VotingMethod.IRV, VotingMethod.STV):
        rankings, kinds = selectors.ranked_array(round_, len(election.options))
        raw = voting.count_ranked_array(election, rankings)
        balanced = voting.count_ranked_array(election, rankings, voting.balanced_weights(kinds))
        by_constituency: dict[str, Any] = {}
        import numpy as np

        kind_array = np.asarray(kinds, dtype=object)
        for kind in sorted(set(kinds)):
            rows = rankings[kind_array == kind]
            if len(rows) < voting.MIN_BREAKDOWN:
                by_constituency[kind] = voting.Suppressed(
                    ballots=len(rows),
                    reason=(f"fewer than {voting.MIN_BREAKDOWN} ballots in this constituency; "
                            "withheld so its members' choices cannot be inferred"),
                )
            else:
                by_constituency[kind] = voting.count_ranked_array(election, rows)
        count, set_hash = len(kinds), _ballot_set_hash_from_table(round_, election)
        notes = voting.disagreements(raw, balanced)
    else:
        ballots = stored_ballots(round_, election)
        rep = voting.report(election, ballots)
        raw, balanced, by_constituency, notes = rep.raw, rep.balanced, rep.by_constituency, rep.disagreements
        count, set_hash = len(ballots), voting.ballot_set_hash(election, ballots)
    return {
        "raw": raw.to_dict(),
        "balanced": balanced.to_dict(),
        "by_constituency": {k: _result_dict(v) for k, v in by_constituency.items()},
        "disagreements": notes,
        "ballots": count,
        "ballot_set_hash": set_hash,
    }


def _ballot_set_hash_from_table(round_: Round, election: voting.Election) -> str:
    """`voting.ballot_set_hash` computed from the stored rows (their marks are already canonical), without
    building a Ballot object per row - a big count's close stays fast. The re-count test checks they agree."""
    rows = Ballot.objects.filter(round=round_).values_list("receipt", "constituency_kind", "marks")
    lines = sorted(f"{r},{k or voting.counting.UNDECLARED},{m}" for r, k, m in rows.iterator(chunk_size=20_000))
    head = f"{election.round_id}\x1f{election.method}\x1f{election.seats}\x1f{'|'.join(election.options)}\n"
    digest = hashlib.sha256(head.encode())
    for line in lines:
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


@transaction.atomic
def round_close(*, round: Round, actor: Person | None) -> Result:  # noqa: A002
    """Close voting, count, store the full result and put it (with the ballot count and hash) on the record."""
    _require_staff(actor, round.network, "close priority-setting rounds")
    round_ = Round.objects.select_for_update().select_related("network").get(pk=round.pk)
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(f"Only an open round can be closed; “{round_.title}” is "
                              f"{round_.get_status_display().lower()}.")
    # Wait for every voter's pending cast: their roll rows are locked until they commit.
    list(VoterRoll.objects.select_for_update().filter(round=round_).values_list("pk", flat=True))
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    options = list(round_.options.all())
    data = count_round(round_, options)
    data["options"] = {o.option_id: o.text for o in options}
    result = Result.objects.create(
        round=round_, data=data, ballots=data["ballots"], ballot_set_hash=data["ballot_set_hash"]
    )
    if round_.secret:
        # From here nothing in the database links a ballot to a voter.
        VoterRoll.objects.filter(round=round_).update(secret="")
        Ballot.objects.filter(round=round_).update(key=None)
    record_append(
        action="priorities.round.closed", actor=actor, network=round_.network, obj=round_,
        payload={
            "round": round_.slug, "election_id": round_.election_id, "method": round_.method,
            "seats": election_for(round_, options).seats, "ballots": data["ballots"],
            "ballot_set_hash": data["ballot_set_hash"], "turnout_of": Elector.objects.filter(round=round_).count(),
            "result": {k: data[k] for k in ("raw", "balanced", "by_constituency", "disagreements", "options")},
        },
    )
    round.status, round.closed_at = round_.status, round_.closed_at
    return result


@transaction.atomic
def round_publish(*, round: Round, actor: Person | None) -> Round:  # noqa: A002
    """Publish the round's priorities (the top `seats`, e.g. a top 10) as the network's agreed list."""
    _require_staff(actor, round.network, "publish priorities")
    if round.status != RoundStatus.CLOSED:
        raise ValidationError("Close the round and count it before publishing its priorities.")
    if round.published_at:
        raise ValidationError("These priorities are already published.")
    round.published_at = timezone.now()
    round.save(update_fields=["published_at"])
    data = round.result.data
    top = [{"position": i, "option": o, "text": data["options"][o]} for i, o in enumerate(data["raw"]["winners"], 1)]
    record_append(
        action="priorities.round.published", actor=actor, network=round.network, obj=round,
        payload={"round": round.slug, "stage": round.stage, "priorities": top,
                 "ballot_set_hash": round.result.ballot_set_hash},
    )
    return round


def next_stage(stage: str) -> str:
    index = Stage.values.index(stage)
    return Stage.values[min(index + 1, len(Stage.values) - 2)] if stage != Stage.FINAL else Stage.FINAL


@transaction.atomic
def round_next(
    *,
    previous: Round,
    actor: Person | None,
    title: str,
    method: str,
    take: int,
    stage: str | None = None,
    seats: int = 10,
    top_n: int | None = None,
    secret: bool = True,
) -> Round:
    """The JLA progression: a new draft round whose options are the previous round's top `take` results."""
    if previous.status != RoundStatus.CLOSED:
        raise ValidationError("The previous round must be closed and counted first.")
    if take < MIN_OPTIONS:
        raise ValidationError({"take": f"Carry forward at least {MIN_OPTIONS} options."})
    ranking = previous.result.data["raw"]["ranking"][:take]
    options = {o.option_id: o for o in previous.options.select_related("challenge")}
    picked = [options[o] for o in ranking]
    return round_create(
        network=previous.network, actor=actor, title=title, method=method, stage=stage or next_stage(previous.stage),
        seats=min(seats, len(picked)), top_n=top_n, secret=secret, previous=previous,
        ordered=[(o.challenge, o.text) for o in picked],
    )
