"""Erasure: what this app clears when a person deletes their account.

A need stays public (others support it and it may be in a priority round), but no longer says who raised it;
its partner group stays, as it counts in the public figures. Supports stay as counts.
"""

from __future__ import annotations

from innovatorium.challenges.models import Challenge
from innovatorium.people.models import Person


def erase_person(*, person: Person) -> None:
    Challenge.objects.filter(raised_by=person).update(raised_by=None)
