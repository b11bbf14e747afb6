"""Writes for the Innovation Exchange. Every change goes on the public record, in the same transaction.

Who may do what:
- an **innovator** expresses interest in a need on behalf of an innovation. An innovator is a signed-in person
  with a counted membership of any network who created the innovation, co-produces it (in person, or through
  the organisation backing one of their memberships), or belongs to (has a membership backed by) the
  organisation that owns it. See `selectors.innovations_for_innovator`. Once per need and innovation.
- a **facilitator** (or admin) of the need's own network proposes an introduction between the need and an
  innovation, and moves it on: proposed → introduced → in discussion → piloting → adopted, or declined (with a
  reason) from any open step. Never backwards. When the introduction is made (it reaches "introduced") a need
  that was still open or being prioritised becomes "matched", through the challenges app's own service.

Record payloads name the need, the innovation and what changed, never a person: actors appear on the record
only by their pseudonym, and messages people wrote stay on the exchange's own rows.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from innovatorium.atlas.models import Innovation
from innovatorium.challenges import services as challenge_services
from innovatorium.challenges.models import Challenge, ChallengeStatus
from innovatorium.exchange import selectors
from innovatorium.exchange.models import NEXT_STATUSES, ExpressionOfInterest, Introduction, IntroductionStatus
from innovatorium.people.models import STAFF_ROLES, Membership, Person
from innovatorium.record.services import record_append

MESSAGE_LIMIT = 2000
REASON_LIMIT = 300
NOTE_LIMIT = 2000
STATUS_LABELS = dict(IntroductionStatus.choices)
# Once a need is matched it still welcomes offers (more than one innovation may help); not once it is finished.
OPEN_TO_INTRODUCTIONS = frozenset(
    {ChallengeStatus.OPEN, ChallengeStatus.BEING_PRIORITISED, ChallengeStatus.MATCHED,
     ChallengeStatus.IN_CO_PRODUCTION}
)


def _limit(field: str, text: str, limit: int, what: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise ValidationError({field: f"Keep the {what} to {limit:,} characters or fewer. It has {len(text):,}."})
    return text


def _pair(challenge: Challenge, innovation: Innovation) -> dict[str, str]:
    return {
        "challenge": challenge.slug, "challenge_network": challenge.network.slug,
        "innovation": innovation.slug, "innovation_network": innovation.network.slug,
    }


@transaction.atomic
def interest_express(
    *, challenge: Challenge, innovation: Innovation, actor: Person, message: str = ""
) -> ExpressionOfInterest:
    """An innovator says their innovation could meet a need. Once per need and innovation."""
    if not selectors.is_innovator_for(person=actor, innovation=innovation):
        raise PermissionDenied(
            "Only the people behind a published innovation (its creator, co-producers or owner organisation's "
            "members) can offer it to a need."
        )
    if challenge.status not in selectors.INTEREST_OPEN:
        raise ValidationError(f"This need is {challenge.get_status_display().lower()}, so it takes no more offers.")
    message = _limit("message", message, MESSAGE_LIMIT, "message")
    duplicate = ValidationError(f"{innovation.name} has already been offered for this need.")
    if ExpressionOfInterest.objects.filter(challenge=challenge, innovation=innovation).exists():
        raise duplicate
    try:
        with transaction.atomic():  # a double click racing the check above meets the unique constraint
            interest = ExpressionOfInterest.objects.create(
                challenge=challenge, innovation=innovation, person=actor, message=message
            )
    except IntegrityError:
        raise duplicate from None
    record_append(
        action="exchange.interest.expressed", actor=actor, network=challenge.network, obj=interest,
        payload=_pair(challenge, innovation),
    )
    return interest


def is_facilitator(person: Person | None, challenge: Challenge) -> bool:
    """A facilitator or admin of the need's own network (or a superuser)."""
    if person is None:
        return False
    if person.user is not None and person.user.is_superuser:
        return True
    return Membership.objects.filter(person=person, network_id=challenge.network_id, role__in=STAFF_ROLES).exists()


def _require_facilitator(actor: Person | None, challenge: Challenge) -> None:
    """`actor=None` is the system (the demo loader)."""
    if actor is not None and not is_facilitator(actor, challenge):
        raise PermissionDenied(f"Only facilitators of {challenge.network.name} may broker introductions for its needs.")


@transaction.atomic
def introduction_propose(
    *, challenge: Challenge, innovation: Innovation, actor: Person | None, note: str = ""
) -> Introduction:
    """A facilitator of the need's network proposes introducing it to an innovation. Once per pair."""
    _require_facilitator(actor, challenge)
    if not innovation.is_published:
        raise ValidationError("Only published innovations can be introduced.")
    if challenge.status not in OPEN_TO_INTRODUCTIONS:
        raise ValidationError(
            f"This need is {challenge.get_status_display().lower()}, so no new introductions can be made."
        )
    note = _limit("note", note, NOTE_LIMIT, "note")
    duplicate = ValidationError(f"An introduction between this need and {innovation.name} already exists.")
    if Introduction.objects.filter(challenge=challenge, innovation=innovation).exists():
        raise duplicate
    now = timezone.now()
    try:
        with transaction.atomic():
            introduction = Introduction.objects.create(
                challenge=challenge, innovation=innovation, brokered_by=actor, note=note,
                created_at=now, last_activity_at=now,
            )
    except IntegrityError:
        raise duplicate from None
    record_append(
        action="exchange.introduction.proposed", actor=actor, network=challenge.network, obj=introduction,
        payload={**_pair(challenge, innovation), "after": IntroductionStatus.PROPOSED},
    )
    return introduction


@transaction.atomic
def introduction_advance(
    *, introduction: Introduction, actor: Person | None, status: str, reason: str = ""
) -> Introduction:
    """Move an introduction one step on, or decline it with a reason. Never backwards, never past the end."""
    introduction = Introduction.objects.select_for_update().select_related(
        "challenge__network", "innovation__network"
    ).get(pk=introduction.pk)
    challenge = introduction.challenge
    _require_facilitator(actor, challenge)
    before = introduction.status
    allowed = NEXT_STATUSES[before]
    if not allowed:
        raise ValidationError({"status": f"This introduction is {STATUS_LABELS[before].lower()}: it cannot change."})
    if status not in allowed:
        choices = " or ".join(f"“{STATUS_LABELS[s]}”" for s in allowed)
        raise ValidationError({"status": f"From “{STATUS_LABELS[before]}” it can only move to {choices}."})
    reason = _limit("reason", reason, REASON_LIMIT, "reason")
    if status == IntroductionStatus.DECLINED and not reason:
        raise ValidationError({"reason": "Say why the introduction was declined. The reason is shown to everyone."})
    introduction.status = status
    introduction.declined_reason = reason if status == IntroductionStatus.DECLINED else ""
    introduction.last_activity_at = timezone.now()
    introduction.save(update_fields=["status", "declined_reason", "last_activity_at"])
    record_append(
        action="exchange.introduction.advanced", actor=actor, network=challenge.network, obj=introduction,
        payload={**_pair(challenge, introduction.innovation), "before": before, "after": status,
                 "reason": introduction.declined_reason},
    )
    if status == IntroductionStatus.INTRODUCED and challenge.status in selectors.SEEKING:
        challenge_services.challenge_set_status(challenge=challenge, actor=actor, status=ChallengeStatus.MATCHED)
    return introduction
