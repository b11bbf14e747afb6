"""Who may do what with events. Published events are public; drafts, registrations and access needs are seen only
by the event's organisers and the facilitators and admins of its own network."""

from __future__ import annotations

import rules

from innovatorium.people.rules import has_person, is_network_staff, is_superuser


@rules.predicate
def is_organiser(user, event) -> bool:
    if event is None or not user.is_authenticated:
        return False
    person = getattr(user, "person", None)
    if person is None:
        return False
    cache = getattr(event, "_organiser_ids", None)
    if cache is None:
        cache = set(event.organisers.values_list("pk", flat=True))
        event._organiser_ids = cache
    return person.pk in cache


can_organise = is_organiser | is_network_staff | is_superuser

rules.add_perm("events.view_event", rules.always_allow)
rules.add_perm("events.create_event", is_network_staff | is_superuser)
rules.add_perm("events.organise_event", can_organise)
rules.add_perm("events.register_event", has_person)
