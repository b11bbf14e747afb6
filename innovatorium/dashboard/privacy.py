"""Erasure: what this app clears when a person deletes their account.

A reported figure is the network's, not the person's: it stays, counted as before, with its source. It no longer
says who entered it. (The public record names the entry's actor by pseudonym only, and keeps it.)
"""

from __future__ import annotations

from innovatorium.dashboard.models import ReportedFigure
from innovatorium.people.models import Person


def erase_person(*, person: Person) -> None:
    ReportedFigure.objects.filter(reported_by=person).update(reported_by=None)
