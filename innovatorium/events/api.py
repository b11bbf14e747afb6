"""Events in the API: public lists and details; registering for signed-in people (session + X-CSRFToken).

Registrations appear only as counts. Access needs and who registered are never returned.
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from innovatorium.core import ratelimit
from innovatorium.core.pagination import MAX_OFFSET
from innovatorium.events import selectors, services
from innovatorium.events.models import Event

router = Router(tags=["events"])
MAX_LIMIT = 100


class SpeakerOut(Schema):
    name: str = Field(description="An external speaker's name, or a member's public name (pseudonym unless consented).")
    constituency_kind: str
    topic: str


class EventOut(Schema):
    id: int
    network: str
    slug: str
    title: str
    kind: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    online: bool
    accessibility: str
    capacity: int | None
    programme: str | None = Field(description="Slug of the network's programme the event belongs to, if any.")
    confirmed: int
    waitlisted: int
    has_patient_or_public_speaker: bool
    url: str
    ics_url: str


class EventDetailOut(EventOut):
    description: str
    speakers: list[SpeakerOut]
    minutes: str | None


class EventPageOut(Schema):
    items: list[EventOut]
    count: int


class RegistrationOut(Schema):
    status: str = Field(description="confirmed or waitlisted")
    confirmed: int
    waitlisted: int


class RegisterIn(Schema):
    access_needs: str = Field("", description="Seen only by the event's organisers.")


def _out(event: Event) -> dict:
    speakers = list(event.speakers.all())
    kwargs = {"network_slug": event.network.slug, "event_slug": event.slug}
    return {
        "id": event.pk, "network": event.network.slug, "slug": event.slug, "title": event.title,
        "kind": event.kind, "status": event.status, "starts_at": event.starts_at, "ends_at": event.ends_at,
        "place": event.place, "online": bool(event.online_link), "accessibility": event.accessibility,
        "capacity": event.capacity, "programme": event.programme.slug if event.programme else None,
        "confirmed": event.confirmed_count, "waitlisted": event.waitlisted_count,
        "has_patient_or_public_speaker": any(s.is_patient_or_public for s in speakers),
        "url": event.get_absolute_url(), "ics_url": reverse("events:ics", kwargs=kwargs),
        "speakers": [SpeakerOut(name=s.display_name, constituency_kind=s.constituency_kind, topic=s.topic)
                     for s in speakers],
    }


@router.get("/", response=EventPageOut, summary="Published events, soonest first")
def list_events(request: HttpRequest, network: str | None = None, upcoming: bool | None = None,
                limit: int = 20, offset: int = 0) -> dict:
    """Filter by network slug; `upcoming=true` keeps events that have not ended, `false` those that have."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = min(max(0, offset), MAX_OFFSET)  # beyond the database's integers would answer 500
    events = selectors.events_public().order_by("starts_at", "pk")
    if network:
        events = events.filter(network__slug=network)
    if upcoming is True:
        events = events.filter(ends_at__gt=timezone.now())
    elif upcoming is False:
        events = events.filter(ends_at__lte=timezone.now())
    count = events.count()
    return {"items": [_out(e) for e in events[offset: offset + limit]], "count": count}


@router.get("/{event_id}", response=EventDetailOut, summary="One event, with speakers and minutes")
def get_event(request: HttpRequest, event_id: int) -> dict:
    event = get_object_or_404(selectors.events_public().select_related("minutes"), pk=event_id)
    minutes = getattr(event, "minutes", None) if hasattr(event, "minutes") else None
    return {**_out(event), "description": event.description, "minutes": minutes.text if minutes else None}


@router.post("/{event_id}/register", response=RegistrationOut, auth=django_auth,
             summary="Register for an event (a place, or the wait list when it is full)")
def register(request: HttpRequest, event_id: int, payload: RegisterIn) -> dict:
    """409 if already registered, or the event is cancelled, not open or finished."""
    event = get_object_or_404(selectors.events_public(), pk=event_id)
    person = getattr(request.user, "person", None)
    if person is None:
        raise HttpError(403, "Only a person with a profile can register.")
    try:
        ratelimit.check(request, ratelimit.POSTS, person=person)
    except ratelimit.RateLimited as exc:
        raise HttpError(429, " ".join(exc.messages)) from None
    try:
        registration = services.register(event=event, actor=person, access_needs=payload.access_needs)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    counts = services.registration_counts(event)
    return {"status": registration.status, **counts}
