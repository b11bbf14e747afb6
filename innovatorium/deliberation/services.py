"""Writes for deliberation. Facilitators' actions and each close go on the public record; single votes do not
(there are too many, and how someone voted is theirs): the close entry carries the totals instead.

Record payloads never name a participant: facilitators appear by their pseudonym as the entry's actor.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from time import monotonic
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.text import slugify

from innovatorium.deliberation import ratelimits, selectors
from innovatorium.deliberation.models import (
    STATEMENT_LIMIT,
    VOTE_WORDS,
    AnalysisSnapshot,
    Conversation,
    ConversationStatus,
    Participant,
    Statement,
    StatementStatus,
    Vote,
    VoteValue,
)
from innovatorium.networks.models import Network
from innovatorium.opinion import analyse
from innovatorium.people.authority import require_network_staff as _require_staff
from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Person
from innovatorium.record.services import record_append

RESERVED_SLUGS = frozenset({"open"})  # /<network>/take-part/conversations/open/ is the form
QUESTION_LIMIT = 200
DESCRIPTION_LIMIT = 2000
REASON_LIMIT = 300
MAX_SEEDS = 100


class NotAllowed(PermissionDenied):
    """Someone who may not take part in this conversation tried to (the message says what to do)."""






def _unique_slug(network: Network, text: str) -> str:
    base = slugify(text)[:100].strip("-") or "conversation"
    if base in RESERVED_SLUGS:
        base = f"{base}-conversation"
    taken = set(Conversation.objects.filter(network=network, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def clean_statement_text(text: str, field: str = "text") -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({field: "Write a statement: one short sentence others can agree or disagree with."})
    if len(text) > STATEMENT_LIMIT:
        raise ValidationError(
            {field: f"Keep a statement to {STATEMENT_LIMIT} characters or fewer. It has {len(text)}."}
        )
    return text


def browser_hash(*, conversation: Conversation, token: str) -> str:
    """What is stored for a pseudonymous browser: a hash of its random token, different in each conversation."""
    return hashlib.sha256(f"{conversation.pk}:{token}".encode()).hexdigest()


# Conversations -----------------------------------------------------------------------------------------------

@transaction.atomic
def conversation_open(
    *,
    network: Network,
    actor: Person | None,
    question: str,
    description: str = "",
    allow_anonymous: bool = True,
    seed_statements: list[str] | tuple[str, ...] = (),
) -> Conversation:
    """A facilitator opens a conversation with its seed statements. `actor=None` is the system (demo loader)."""
    _require_staff(actor, network, "open conversations")
    errors: dict[str, str] = {}
    question = " ".join((question or "").split())
    description = (description or "").strip()
    if not question:
        errors["question"] = "Write the question people will answer, for example “What should we tackle next?”."
    elif len(question) > QUESTION_LIMIT:
        errors["question"] = f"Keep the question to {QUESTION_LIMIT} characters or fewer. It has {len(question)}."
    if len(description) > DESCRIPTION_LIMIT:
        errors["description"] = f"Keep the description to {DESCRIPTION_LIMIT:,} characters or fewer."
    seeds = [" ".join(s.split()) for s in seed_statements if s and s.strip()]
    if len(seeds) > MAX_SEEDS:
        errors["seed_statements"] = f"Start with at most {MAX_SEEDS} statements; people can add their own."
    for number, seed in enumerate(seeds, start=1):
        if len(seed) > STATEMENT_LIMIT:
            errors["seed_statements"] = (
                f"Statement {number} has {len(seed)} characters. Keep each to {STATEMENT_LIMIT} or fewer."
            )
            break
    if len(set(seeds)) != len(seeds):
        errors.setdefault("seed_statements", "Two of the statements are the same. Keep one of them.")
    if errors:
        raise ValidationError(errors)
    conversation = Conversation.objects.create(
        network=network, slug=_unique_slug(network, question), question=question, description=description,
        allow_anonymous=allow_anonymous, created_by=actor,
    )
    record_append(
        action="deliberation.conversation.opened", actor=actor, network=network, obj=conversation,
        payload={"conversation": conversation.slug, "question": question, "allow_anonymous": allow_anonymous},
    )
    for seed in seeds:
        statement_seed(conversation=conversation, actor=actor, text=seed)
    return conversation


@transaction.atomic
def conversation_close(*, conversation: Conversation, actor: Person | None) -> Conversation:
    """Close it: no more votes or statements. The record entry carries the totals (never single votes)."""
    _require_staff(actor, conversation.network, "close conversations")
    conversation = Conversation.objects.select_for_update().select_related("network").get(pk=conversation.pk)
    if not conversation.is_open:
        raise ValidationError("This conversation is already closed.")
    conversation.status = ConversationStatus.CLOSED
    conversation.closed_at = timezone.now()
    conversation.save(update_fields=["status", "closed_at"])
    totals = Vote.objects.filter(conversation=conversation).aggregate(
        votes=Count("pk"), agree=Count("pk", filter=Q(value=1)), disagree=Count("pk", filter=Q(value=-1)),
        passed=Count("pk", filter=Q(value=0)),
    )
    statements = Statement.objects.filter(conversation=conversation).aggregate(
        accepted=Count("pk", filter=Q(status=StatementStatus.ACCEPTED)),
        rejected=Count("pk", filter=Q(status=StatementStatus.REJECTED)),
    )
    record_append(
        action="deliberation.conversation.closed", actor=actor, network=conversation.network, obj=conversation,
        payload={
            "conversation": conversation.slug,
            "participants": Participant.objects.filter(conversation=conversation, votes__isnull=False)
            .distinct().count(),
            "statements_accepted": statements["accepted"], "statements_rejected": statements["rejected"],
            "votes": totals["votes"], "agree": totals["agree"], "disagree": totals["disagree"],
            "pass": totals["passed"],
        },
    )
    pk = conversation.pk
    transaction.on_commit(lambda: analysis_refresh(conversation_id=pk, force=True))
    return conversation


# Statements --------------------------------------------------------------------------------------------------

@transaction.atomic
def statement_seed(*, conversation: Conversation, actor: Person | None, text: str) -> Statement:
    """A facilitator adds a statement; it is accepted at once."""
    _require_staff(actor, conversation.network, "add statements")
    if not conversation.is_open:
        raise ValidationError("This conversation is closed.")
    text = clean_statement_text(text)
    statement = Statement.objects.create(
        conversation=conversation, text=text, is_seed=True, status=StatementStatus.ACCEPTED,
        moderated_by=actor, moderated_at=timezone.now(),
    )
    record_append(
        action="deliberation.statement.seeded", actor=actor, network=conversation.network, obj=statement,
        payload={"conversation": conversation.slug, "statement": statement.pk, "text": text},
    )
    return statement


@transaction.atomic
def statement_submit(*, participant: Participant, text: str) -> Statement:
    """A participant adds a statement. Nobody sees it until a facilitator accepts it."""
    conversation = participant.conversation
    if not conversation.is_open:
        raise ValidationError("This conversation has closed, so it takes no new statements.")
    text = clean_statement_text(text)
    if Statement.objects.filter(conversation=conversation, text__iexact=text).exclude(
        status=StatementStatus.REJECTED
    ).exists():
        raise ValidationError({"text": "That statement is already in this conversation. You can vote on it."})
    ratelimits.check(ratelimits.STATEMENTS, participant.rate_key)
    return Statement.objects.create(conversation=conversation, text=text, author=participant)


@transaction.atomic
def statement_moderate(*, statement: Statement, actor: Person | None, accept: bool, reason: str = "") -> Statement:
    """A facilitator accepts or rejects a waiting statement. Rejecting needs a reason, which is public."""
    conversation = statement.conversation
    _require_staff(actor, conversation.network, "moderate statements")
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != StatementStatus.PENDING:
        raise ValidationError(f"This statement was already moderated: {statement.get_status_display().lower()}.")
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": f"Keep the reason to {REASON_LIMIT} characters or fewer."})
    if not accept and not reason:
        raise ValidationError({"reason": "Say why this statement is not accepted. The reason is public."})
    statement.status = StatementStatus.ACCEPTED if accept else StatementStatus.REJECTED
    statement.rejection_reason = "" if accept else reason
    statement.moderated_by = actor
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at"])
    record_append(
        action="deliberation.statement.accepted" if accept else "deliberation.statement.rejected",
        actor=actor, network=conversation.network, obj=statement,
        payload={"conversation": conversation.slug, "statement": statement.pk, "reason": statement.rejection_reason},
    )
    return statement


# Participants and votes --------------------------------------------------------------------------------------

def _check_may_take_part(conversation: Conversation, person: Person | None) -> Membership | None:
    """The person's counted membership of the conversation's network (if any); refuses who may not take part."""
    membership = None
    if person is not None:
        membership = (
            Membership.objects.select_related("constituency")
            .filter(person=person, network_id=conversation.network_id, verification__in=COUNTED_VERIFICATION)
            .first()
        )
    if not conversation.allow_anonymous and membership is None:
        if person is None:
            raise NotAllowed(f"Only members of {conversation.network.name} can take part. Sign in to take part.")
        raise NotAllowed(f"Only members of {conversation.network.name} can take part. Join the network first.")
    return membership


def participant_for(
    *, conversation: Conversation, person: Person | None = None, browser_token: str | None = None
) -> Participant:
    """The participant for this person (or, signed out, this browser), made at their first vote or statement.

    The partner group is taken from the person's membership now and kept: it is what they were when they took
    part.
    """
    if person is None and not browser_token:
        raise NotAllowed("Sign in, or allow this site's cookie, to take part.")
    membership = _check_may_take_part(conversation, person)
    lookup = {"person": person} if person is not None else {
        "anonymous_hash": browser_hash(conversation=conversation, token=browser_token or "")
    }
    participant = Participant.objects.filter(conversation=conversation, **lookup).first()
    if participant is not None:
        participant.conversation = conversation
        return participant
    defaults = {}
    if membership is not None:
        defaults = {"constituency": membership.constituency, "constituency_kind": membership.constituency.kind}
    try:
        with transaction.atomic():
            participant = Participant.objects.create(conversation=conversation, **lookup, **defaults)
    except IntegrityError:  # a second tab got there first
        participant = Participant.objects.get(conversation=conversation, **lookup)
    participant.conversation = conversation
    return participant


def parse_vote(value: int | str) -> int:
    if isinstance(value, str):
        if value.strip().lower() in VOTE_WORDS:
            return int(VOTE_WORDS[value.strip().lower()])
        raise ValidationError({"vote": "Choose agree, disagree or pass."})
    if value in (-1, 0, 1) and not isinstance(value, bool):
        return int(value)
    raise ValidationError({"vote": "Choose agree, disagree or pass."})


@transaction.atomic
def vote_cast(*, participant: Participant, statement: Statement, value: int | str) -> Vote:
    """Record (or change) a participant's vote. The latest vote on a statement is the one that counts."""
    conversation = participant.conversation
    if statement.conversation_id != conversation.pk:
        raise ValidationError("That statement belongs to another conversation.")
    if not conversation.is_open:
        raise ValidationError("This conversation has closed, so it takes no more votes. You can read the results.")
    if statement.status == StatementStatus.PENDING:
        raise ValidationError("This statement is waiting for a facilitator, so it cannot be voted on yet.")
    if statement.status == StatementStatus.REJECTED:
        raise ValidationError("This statement was not accepted, so it cannot be voted on.")
    number = parse_vote(value)
    if not conversation.allow_anonymous:  # membership may have ended since the participant's first vote
        _check_may_take_part(conversation, participant.person)
    ratelimits.check(ratelimits.VOTES, participant.rate_key)
    now = timezone.now()
    mine = Vote.objects.filter(participant=participant, statement=statement)
    vote = mine.select_for_update().first()  # locked: a second click at once waits, then sees this one's value
    if vote is None:
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    conversation=conversation, participant=participant, statement=statement, value=number,
                    created_at=now, updated_at=now,
                )
        except IntegrityError:  # two clicks at once: the later one wins, as a change would
            vote = mine.select_for_update().get()
        else:
            _tally(statement, old=None, new=number)
            _after_vote(conversation, now)
            return vote
    old = vote.value
    mine.update(value=number, updated_at=now)
    vote.value, vote.updated_at = number, now
    _tally(statement, old=old, new=number)
    _after_vote(conversation, now)
    return vote


_TALLY_FIELD = {VoteValue.AGREE: "n_agree", VoteValue.DISAGREE: "n_disagree"}


def _tally(statement: Statement, *, old: int | None, new: int) -> None:
    """Keep the statement's running tallies in step with its votes, in the vote's transaction (F(): no lost
    update between processes). A first vote adds one; a changed vote moves one between agree and disagree."""
    changes: dict[str, Any] = {}
    if old is None:
        changes["n_votes"] = F("n_votes") + 1
    if old != new:
        if old in _TALLY_FIELD:
            changes[_TALLY_FIELD[old]] = F(_TALLY_FIELD[old]) - 1
        if new in _TALLY_FIELD:
            changes[_TALLY_FIELD[new]] = F(_TALLY_FIELD[new]) + 1
    if changes:
        Statement.objects.filter(pk=statement.pk).update(**changes)


def _after_vote(conversation: Conversation, now: datetime) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(last_vote_at=now)
    _enqueue_recompute(conversation.pk)


def tallies_rebuild(*, conversation: Conversation) -> None:
    """Recount every statement's tallies from the stored votes (after a bulk load, and when a conversation
    closes): one grouped query and one update per statement."""
    counts = {
        row["statement_id"]: row
        for row in Vote.objects.filter(conversation=conversation).values("statement_id").annotate(
            total=Count("pk"), agree=Count("pk", filter=Q(value=VoteValue.AGREE)),
            disagree=Count("pk", filter=Q(value=VoteValue.DISAGREE)),
        ).order_by()
    }
    for statement in Statement.objects.filter(conversation=conversation).only("pk", "n_votes", "n_agree",
                                                                            "n_disagree"):
        row = counts.get(statement.pk, {"total": 0, "agree": 0, "disagree": 0})
        if (statement.n_votes, statement.n_agree, statement.n_disagree) != (row["total"], row["agree"],
                                                                           row["disagree"]):
            Statement.objects.filter(pk=statement.pk).update(
                n_votes=row["total"], n_agree=row["agree"], n_disagree=row["disagree"])


def recompute_queued_key(conversation_id: int) -> str:
    return f"deliberation:recompute-queued:{conversation_id}"


RECOMPUTE_QUEUED_SECONDS = 300  # a lost flag (a failed enqueue) delays the analysis by at most this long
# A queued recompute waits at least this long (where the task backend can defer), so that one run covers the
# votes of those seconds: at national scale a run takes seconds of CPU, and one per vote would keep a core busy.
RECOMPUTE_DELAY_SECONDS = 10
# ...and at least this many times as long as the conversation's last run took, so that while votes stream in
# a conversation's analysis uses at most a tenth of a core (a 100,000-person conversation's run takes seconds,
# and a run every 10 s took a third of the CPU that the votes themselves needed), but never more than this:
RECOMPUTE_DELAY_PER_RUN_SECOND = 10
RECOMPUTE_DELAY_MAX_SECONDS = 120


def recompute_delay(conversation_id: int) -> float:
    """Seconds a newly queued recompute waits: RECOMPUTE_DELAY_SECONDS, or longer after a long last run."""
    last_run = AnalysisSnapshot.objects.filter(conversation_id=conversation_id).values_list(
        "compute_seconds", flat=True).first() or 0.0
    return min(RECOMPUTE_DELAY_MAX_SECONDS, max(RECOMPUTE_DELAY_SECONDS, RECOMPUTE_DELAY_PER_RUN_SECOND * last_run))


def _enqueue_recompute(conversation_id: int) -> None:
    """After the vote commits, queue one recompute unless one is already waiting for this conversation: a
    stream of votes makes one task, not one per vote (the task clears the flag as it starts, so a vote that
    arrives while it runs queues the next one)."""
    from innovatorium.deliberation.tasks import recompute_analysis

    def enqueue() -> None:
        key = recompute_queued_key(conversation_id)
        if cache.get(key) is None and cache.add(key, 1, timeout=RECOMPUTE_QUEUED_SECONDS + RECOMPUTE_DELAY_MAX_SECONDS):
            task = recompute_analysis
            if getattr(task.get_backend(), "supports_defer", False):
                task = task.using(run_after=timezone.now() + timedelta(seconds=recompute_delay(conversation_id)))
            task.enqueue(conversation_id)

    transaction.on_commit(enqueue)


# Analysis ----------------------------------------------------------------------------------------------------

def analysis_refresh(*, conversation_id: int, force: bool = False) -> AnalysisSnapshot | None:
    """Recompute the analysis from the stored votes, unless a snapshot already covers the last vote."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return None
    snapshot = AnalysisSnapshot.objects.filter(conversation=conversation).first()
    if (not force and snapshot is not None and conversation.last_vote_at is not None
            and snapshot.computed_at >= conversation.last_vote_at):
        return None
    if force:  # a full recount (a bulk load, a closed conversation) also recounts the running tallies
        tallies_rebuild(conversation=conversation)
    started = timezone.now()  # votes after this moment make the next run recompute
    clock = monotonic()
    data = selectors.vote_data(conversation=conversation)
    result = analyse(
        data.participants, data.statements, data.votes, len(data.participant_ids), len(data.statement_ids),
        constituencies=data.constituencies, seed=conversation.pk,
    )
    seconds = monotonic() - clock
    snapshot, _ = AnalysisSnapshot.objects.update_or_create(
        conversation=conversation,
        defaults={
            "result": json.loads(result.to_json()), "statement_ids": data.statement_ids,
            "participant_ids": data.participant_ids, "vote_count": int(result.n_votes), "computed_at": started,
            "compute_seconds": seconds, "map_svg": "",
        },
    )
    return snapshot
