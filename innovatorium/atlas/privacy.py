"""Erasure: what this app clears when a person deletes their account.

Innovations and case studies are public content and stay; they no longer say who created them. A credit as
co-producer stays (it shows only the pseudonym once the name is gone), as it counts in who made what.
"""

from __future__ import annotations

from innovatorium.atlas.models import Innovation
from innovatorium.people.models import Person


def erase_person(*, person: Person) -> None:
    Innovation.objects.filter(created_by=person).update(created_by=None)
