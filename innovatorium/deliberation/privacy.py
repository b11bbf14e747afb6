"""Erasure: what this app clears when a person deletes their account.

Votes stay (every tally and the opinion map are unchanged); the participant row stays, pointing at the
anonymised person. Accepted statements are the conversation's public content and stay, but no longer say who
wrote them.
"""

from __future__ import annotations

from innovatorium.deliberation.models import Statement
from innovatorium.people.models import Person


def erase_person(*, person: Person) -> None:
    Statement.objects.filter(author__person=person).update(author=None)
