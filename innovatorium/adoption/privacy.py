"""Erasure: what the adoption register clears when a person deletes their account.

The register holds figures about sites, not people. A site's report stays (verified reports are already in the
register; waiting ones can still be checked), but it no longer says who sent it or who checked it. The public record
names actors by pseudonym only, and keeps them.
"""

from __future__ import annotations

from innovatorium.adoption.models import AdoptionReport
from innovatorium.people.models import Person


def erase_person(*, person: Person) -> None:
    AdoptionReport.objects.filter(reported_by=person).update(reported_by=None)
    AdoptionReport.objects.filter(decided_by=person).update(decided_by=None)
