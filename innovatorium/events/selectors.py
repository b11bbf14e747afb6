"""Reads for events, shared by the pages, the API and the iCalendar feeds."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from innovatorium.events.models import Event, EventStatus, Registration, RegistrationStatus, Speaker
from innovatorium.networks.models import ConstituencyKind, Network
from innovatorium.people.models import Person


def events_public(*, network: Network | None = None) -> QuerySet[Event]:
    """Published and cancelled events (drafts are private), with place counts and speakers, in one go."""
    events = Event.objects.exclude(status=EventStatus.DRAFT)
    if network is not None:
        events = events.filter(network=network)
    return events.select_related("network", "programme").annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        has_patient_speaker=Exists(Speaker.objects.filter(
            event=OuterRef("pk"), constituency_kind=ConstituencyKind.PATIENTS_PUBLIC)),
    ).prefetch_related(Prefetch("speakers", queryset=Speaker.objects.select_related("person")))


def events_upcoming(*, network: Network) -> QuerySet[Event]:
    return events_public(network=network).filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")


def events_past(*, network: Network) -> QuerySet[Event]:
    return events_public(network=network).filter(ends_at__lte=timezone.now()).order_by("-starts_at", "-pk")


def event_get(*, network_slug: str, event_slug: str) -> Event:
    event = (Event.objects.select_related("network", "programme__network")
             .filter(network__slug=network_slug, slug=event_slug)
             .annotate(confirmed_count=Count("registrations",
                                             filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
                       waitlisted_count=Count("registrations",
                                              filter=Q(registrations__status=RegistrationStatus.WAITLISTED)))
             .first())
    if event is None:
        raise Http404("No such event.")
    return event


def event_speakers(*, event: Event) -> list[Speaker]:
    return list(event.speakers.select_related("person"))


def registration_of(*, event: Event, person: Person | None) -> Registration | None:
    if person is None:
        return None
    return Registration.objects.filter(event=event, person=person).first()


def registrations_for_organisers(*, event: Event) -> QuerySet[Registration]:
    """Everyone registered, in queue order, with what organisers need to plan (access needs included)."""
    return (Registration.objects.filter(event=event).select_related("person__user")
            .order_by("status", "created_at", "pk"))


def places_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(0, event.capacity - event.confirmed_count)
