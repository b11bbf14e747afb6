"""Erasure: what this app deletes or clears when a person deletes their account.

Registrations stay as anonymous counts (places taken, attendance), but the access needs a person wrote are
personal, so they are cleared; their future places are given up so the wait list can move.
"""

from __future__ import annotations

from django.utils import timezone

from innovatorium.events.models import Registration, RegistrationStatus
from innovatorium.people.models import Person


def erase_person(*, person: Person) -> None:
    from innovatorium.events.services import cancel_registration

    upcoming = Registration.objects.filter(
        person=person, status__in=(RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED),
        event__ends_at__gt=timezone.now(),
    ).select_related("event__network")
    for registration in upcoming:
        cancel_registration(registration=registration, actor=person)
    Registration.objects.filter(person=person).exclude(access_needs="").update(access_needs="")
