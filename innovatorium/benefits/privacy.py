"""Erasure: what benefit sharing clears when a person deletes their account.

Agreements, their versions, shares and every ledger posting stay exactly as they were: balances and what each
party was paid are tallies others rely on. An individual party keeps its place in the agreement, linked to the
erased, pseudonymous profile; any label typed for an individual (it should be empty: individuals are shown by
their public name) is cleared, since it could hold their name.
"""

from __future__ import annotations

from innovatorium.benefits.models import Party, PartyKind
from innovatorium.people.models import Person

PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {}


def erase_person(*, person: Person) -> None:
    Party.objects.filter(representative=person, kind=PartyKind.INDIVIDUAL).exclude(label="").update(label="")
