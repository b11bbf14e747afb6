"""Erasure: what this app clears when a person deletes their account.

An offer of an innovation for a need stays (facilitators may be acting on it), but the message the person
wrote is theirs, so it is cleared, and the offer no longer says who made it.
"""

from __future__ import annotations

from innovatorium.exchange.models import ExpressionOfInterest
from innovatorium.people.models import Person


def erase_person(*, person: Person) -> None:
    ExpressionOfInterest.objects.filter(person=person).update(person=None, message="")
