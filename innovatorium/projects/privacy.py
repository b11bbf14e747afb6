"""Erasure: what this app deletes or clears when a person deletes their account.

Team places, contributions and programme roles stay (they are the project's public history and benefit sharing
is computed from them); they show only the person's pseudonym once their name is gone. What the person told us
about themselves for "who takes part" is private, so it is deleted.
"""

from __future__ import annotations

from innovatorium.people.models import Person
from innovatorium.projects.models import ParticipantProfile


def erase_person(*, person: Person) -> None:
    ParticipantProfile.objects.filter(person=person).delete()
