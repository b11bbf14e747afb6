"""Erasure: what governance clears when a person deletes their account.

Every tally stays exactly as it was: secret ballots (which never linked to anyone), who-has-voted rows, motion
votes and their options, recusals, published counts and draws, and the public record. What the person wrote
in their own words goes: their election statements, the reasons they gave for votes, and why they stood aside.
Any seat they still hold ends (an erased account cannot sit on a body); the body's page then shows it empty.
Nothing here is private text shown only to staff, so there are no PERSONAL_FIELDS: the statements and reasons
were public while the account existed.
"""

from __future__ import annotations

from django.utils import timezone

from innovatorium.governance.models import BodyMember, MotionVote, Nomination, Recusal
from innovatorium.people.models import Person

PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {}
ERASED = "Removed at the member's request."


def erase_person(*, person: Person) -> None:
    Nomination.objects.filter(person=person).update(statement=ERASED)
    MotionVote.objects.filter(person=person).exclude(reason="").update(reason=ERASED)
    Recusal.objects.filter(person=person).update(reason="Stood aside")
    BodyMember.objects.filter(person=person, ended_at__isnull=True).update(ended_at=timezone.now())
