"""Erasure and private fields of impact.

A measure stays public when its proposer deletes their account (other members weighted it, values hang off it),
filed under the partner group that proposed it, but no longer says who. Values they entered stay, unlinked.
Their weights stay as votes in their group's median (a tally), linked only to the erased, pseudonymous profile.

Survey answers never name anyone (no person, no address: only a keyed hash of a browser token), so there is
nothing to erase; their free-text comment is private all the same and never shown publicly.
"""

from __future__ import annotations

from innovatorium.impact.models import Measure, Observation
from innovatorium.people.models import Person

PERSONAL_FIELDS = {"SurveyResponse": ("comment",)}


def erase_person(*, person: Person) -> None:
    Measure.objects.filter(proposed_by=person).update(proposed_by=None)
    Observation.objects.filter(entered_by=person).update(entered_by=None)
