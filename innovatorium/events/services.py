"""Writes for events. Every change goes on the public record in the same transaction, with no personal data:
registrations appear there only as counts (who registered for what, and their access needs, stay private).
Emails go out only after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from innovatorium.challenges.models import Challenge
from innovatorium.events import emails
from innovatorium.events.models import (
    Event,
    EventKind,
    EventStatus,
    Minutes,
    Registration,
    RegistrationStatus,
    Speaker,
)
from innovatorium.networks.models import ConstituencyKind, Network
from innovatorium.people.authority import is_network_staff as _is_staff
from innovatorium.people.models import Person
from innovatorium.projects.models import Programme, Project
from innovatorium.record.services import record_append

RESERVED_SLUGS = frozenset({"new", "calendar"})
LIMITS = {"title": 200, "description": 10_000, "place": 300, "accessibility": 3000, "access_needs": 2000,
          "minutes": 20_000, "topic": 200, "name": 120, "reason": 300}
MAX_CAPACITY = 100_000
MAX_LENGTH = dt.timedelta(days=14)
ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)




def can_organise(person: Person | None, event: Event) -> bool:
    """An organiser of the event, or a facilitator or admin of its network."""
    if person is None:
        return False
    return event.organisers.filter(pk=person.pk).exists() or _is_staff(person, event.network)


def _require_organiser(actor: Person | None, event: Event) -> None:
    if actor is not None and not can_organise(actor, event):
        raise PermissionDenied("Only the event's organisers and the network's facilitators may do this.")


def _too_long(errors: dict[str, str], field: str, value: str) -> None:
    if len(value) > LIMITS[field]:
        errors[field] = f"Keep this to {LIMITS[field]:,} characters or fewer. It has {len(value):,}."


def _unique_slug(network: Network, title: str, starts_at: dt.datetime) -> str:
    base = (slugify(title)[:90].strip("-") or "event") + timezone.localtime(starts_at).strftime("-%Y-%m-%d")
    taken = set(Event.objects.filter(network=network, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken or slug in RESERVED_SLUGS:
        slug = f"{base}-{n}"
        n += 1
    return slug


def validate_event_fields(
    *, title: str, description: str, kind: str, starts_at: dt.datetime | None, ends_at: dt.datetime | None,
    place: str = "", online_link: str = "", accessibility: str = "", capacity: int | None = None,
) -> dict[str, str]:
    """Field errors in plain words, shared by the form, the API and the demo loader."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Give the event a title."
    if not description.strip():
        errors["description"] = "Say what the event is for and who should come."
    if kind not in EventKind.values:
        errors["kind"] = "Choose the kind of event from the list."
    for field, value in (("title", title), ("description", description), ("place", place),
                         ("accessibility", accessibility)):
        _too_long(errors, field, value.strip())
    if starts_at is None:
        errors["starts_at"] = "Enter when the event starts."
    elif timezone.is_naive(starts_at):
        errors["starts_at"] = "The start time needs a time zone."
    if ends_at is None:
        errors["ends_at"] = "Enter when the event ends."
    elif timezone.is_naive(ends_at):
        errors["ends_at"] = "The end time needs a time zone."
    if "starts_at" not in errors and "ends_at" not in errors and starts_at and ends_at:
        if ends_at <= starts_at:
            errors["ends_at"] = "The event must end after it starts."
        elif ends_at - starts_at > MAX_LENGTH:
            errors["ends_at"] = "An event can last at most 14 days. Check the dates."
    if not place.strip() and not online_link.strip():
        errors["place"] = "Give the place, an online joining link, or both."
    if online_link and not online_link.startswith(("https://", "http://")):
        errors["online_link"] = "Enter the joining link as a web address starting https://"
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = f"Enter a number of places between 1 and {MAX_CAPACITY:,}, or leave it empty."
    return errors


@transaction.atomic
def event_create(
    *, network: Network, actor: Person | None, title: str, description: str, starts_at: dt.datetime,
    ends_at: dt.datetime, kind: str = EventKind.CONNECTION, place: str = "", online_link: str = "",
    accessibility: str = "", capacity: int | None = None, organisers: Iterable[Person] = (),
    programme: Programme | None = None,
) -> Event:
    """A facilitator sets up an event as a draft (`actor=None` is the system). The creator organises it."""
    if actor is not None and not _is_staff(actor, network):
        raise PermissionDenied(f"Only facilitators of {network.name} may set up its events.")
    errors = validate_event_fields(
        title=title, description=description, kind=kind, starts_at=starts_at, ends_at=ends_at, place=place,
        online_link=online_link, accessibility=accessibility, capacity=capacity,
    )
    if programme is not None and programme.network_id != network.pk:
        errors["programme"] = f"Choose a programme of {network.name}."
    if errors:
        raise ValidationError(errors)
    event = Event.objects.create(
        network=network, slug=_unique_slug(network, title, starts_at), title=title.strip(), kind=kind,
        description=description.strip(), starts_at=starts_at, ends_at=ends_at, place=place.strip(),
        online_link=online_link.strip(), accessibility=accessibility.strip(), capacity=capacity, programme=programme,
    )
    event.organisers.set([*organisers, *([actor] if actor else [])])
    record_append(
        action="events.event.created", actor=actor, network=network, obj=event,
        payload={"event": event.slug, "title": event.title, "kind": kind, "starts_at": starts_at,
                 "ends_at": ends_at, "capacity": capacity, "status": event.status,
                 "programme": programme.slug if programme else ""},
    )
    return event


EDITABLE = ("title", "kind", "description", "starts_at", "ends_at", "place", "online_link", "accessibility",
            "capacity", "programme")


@transaction.atomic
def event_update(
    *, event: Event, actor: Person | None, title: str, description: str, starts_at: dt.datetime,
    ends_at: dt.datetime, kind: str = EventKind.CONNECTION, place: str = "", online_link: str = "",
    accessibility: str = "", capacity: int | None = None, programme: Programme | None = None,
) -> Event:
    """An organiser changes an event's details. The record keeps what each changed field said before.

    A published event cannot be moved into the past, and its places cannot drop below the people already
    confirmed (they keep their places; cancel registrations first). Raising the places moves people up from the
    wait list in the order they joined it, and they are emailed.
    """
    _require_organiser(actor, event)
    event = _lock(event)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("This event is cancelled, so it cannot be changed.")
    errors = validate_event_fields(
        title=title, description=description, kind=kind, starts_at=starts_at, ends_at=ends_at, place=place,
        online_link=online_link, accessibility=accessibility, capacity=capacity,
    )
    if programme is not None and programme.network_id != event.network_id:
        errors["programme"] = f"Choose a programme of {event.network.name}."
    counts = registration_counts(event)
    if capacity is not None and "capacity" not in errors and capacity < counts["confirmed"]:
        errors["capacity"] = (f"{counts['confirmed']} people already have a place. Enter at least "
                              f"{counts['confirmed']}, or cancel registrations first.")
    if (event.status == EventStatus.PUBLISHED and "starts_at" not in errors and starts_at is not None
            and starts_at != event.starts_at and starts_at < timezone.now()):
        errors["starts_at"] = "A published event cannot be moved into the past."
    if errors:
        raise ValidationError(errors)
    new = {"title": title.strip(), "kind": kind, "description": description.strip(), "starts_at": starts_at,
           "ends_at": ends_at, "place": place.strip(), "online_link": online_link.strip(),
           "accessibility": accessibility.strip(), "capacity": capacity, "programme": programme}

    def shown(field: str, value: object) -> object:
        if field == "programme":
            return value.slug if value is not None else ""
        return value

    changed = {f: {"before": shown(f, getattr(event, f)), "after": shown(f, new[f])}
               for f in EDITABLE if getattr(event, f) != new[f]}
    if not changed:
        return event
    for f, value in new.items():
        setattr(event, f, value)
    event.save(update_fields=list(EDITABLE))
    promoted = _promote_from_wait_list(event) if "capacity" in changed and not event.is_past else 0
    record_append(action="events.event.updated", actor=actor, network=event.network, obj=event,
                  payload={"event": event.slug, "changed": changed, "promoted_from_wait_list": promoted})
    return event


def _promote_from_wait_list(event: Event) -> int:
    """Fill free places from the wait list in queue order (inside the caller's transaction, event locked)."""
    counts = registration_counts(event)
    free = None if event.capacity is None else event.capacity - counts["confirmed"]
    queue = Registration.objects.select_for_update().filter(
        event=event, status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk")
    promoted = list(queue if free is None else queue[:max(0, free)])
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
        transaction.on_commit(partial(emails.send_promotion_email, registration.pk))
    return len(promoted)


@transaction.atomic
def event_publish(*, event: Event, actor: Person | None) -> Event:
    """A draft becomes public, and open for registration."""
    _require_organiser(actor, event)
    if event.status != EventStatus.DRAFT:
        raise ValidationError(f"This event is {event.get_status_display().lower()}, so it cannot be published.")
    event.status = EventStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at"])
    record_append(
        action="events.event.published", actor=actor, network=event.network, obj=event,
        payload={"event": event.slug, "title": event.title, "starts_at": event.starts_at,
                 "speakers_by_constituency": _speaker_kinds(event)},
    )
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: Person | None, reason: str) -> Event:
    _require_organiser(actor, event)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the event is cancelled. Everyone can read the reason."})
    errors: dict[str, str] = {}
    _too_long(errors, "reason", reason)
    if errors:
        raise ValidationError(errors)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("This event is already cancelled.")
    event.status = EventStatus.CANCELLED
    event.cancelled_reason = reason
    event.save(update_fields=["status", "cancelled_reason"])
    record_append(action="events.event.cancelled", actor=actor, network=event.network, obj=event,
                  payload={"event": event.slug, "reason": reason})
    return event


def _speaker_kinds(event: Event) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind in event.speakers.values_list("constituency_kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return counts


@transaction.atomic
def speaker_add(
    *, event: Event, actor: Person | None, constituency_kind: str, person: Person | None = None, name: str = "",
    topic: str = "",
) -> Speaker:
    """A speaker is a member (shown by their public name) or a named speaker from outside the network."""
    _require_organiser(actor, event)
    name, topic = name.strip(), topic.strip()
    errors: dict[str, str] = {}
    if person is None and not name:
        errors["name"] = "Give the speaker's name."
    if constituency_kind not in ConstituencyKind.values:
        errors["constituency_kind"] = "Choose the partner group the speaker speaks for."
    _too_long(errors, "name", name)
    _too_long(errors, "topic", topic)
    if errors:
        raise ValidationError(errors)
    speaker = Speaker.objects.create(
        event=event, person=person, name=name if person is None else "", constituency_kind=constituency_kind,
        topic=topic, position=event.speakers.count(),
    )
    record_append(
        action="events.speaker.added", actor=actor, network=event.network, obj=event,
        payload={"event": event.slug, "speaker": speaker.pk, "constituency_kind": constituency_kind, "topic": topic},
    )
    return speaker


def registration_counts(event: Event) -> dict[str, int]:
    rows = Registration.objects.filter(event=event, status__in=ACTIVE).values_list("status", flat=True)
    confirmed = sum(1 for s in rows if s == RegistrationStatus.CONFIRMED)
    return {"confirmed": confirmed, "waitlisted": len(rows) - confirmed}


def _lock(event: Event) -> Event:
    """Lock the event row: registrations for one event then queue one behind another (on PostgreSQL)."""
    return Event.objects.select_for_update().select_related("network").get(pk=event.pk)


@transaction.atomic
def register(*, event: Event, actor: Person, access_needs: str = "", notify: bool = True) -> Registration:
    """A place if one is free, otherwise the wait list. Two people racing for the last place: one gets it.

    `notify=False` sends no email (the demo loader).
    """
    access_needs = access_needs.strip()
    errors: dict[str, str] = {}
    _too_long(errors, "access_needs", access_needs)
    if errors:
        raise ValidationError(errors)
    event = _lock(event)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("This event is cancelled, so it is not taking registrations.")
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError("This event is not open for registration yet.")
    if event.is_past:
        raise ValidationError("This event has finished, so it is not taking registrations.")
    existing = Registration.objects.filter(event=event, person=actor).first()
    if existing is not None and existing.status in ACTIVE:
        raise ValidationError("You are already registered for this event."
                              if existing.status == RegistrationStatus.CONFIRMED
                              else "You are already on the wait list for this event.")
    counts = registration_counts(event)
    full = event.capacity is not None and counts["confirmed"] >= event.capacity
    status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED
    now = timezone.now()
    if existing is not None:  # came back after cancelling: a new place in the queue
        existing.status, existing.access_needs, existing.created_at = status, access_needs, now
        existing.attended, existing.reminded_at = False, None
        existing.save(update_fields=["status", "access_needs", "created_at", "attended", "reminded_at"])
        registration = existing
    else:
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event, person=actor, status=status, access_needs=access_needs, created_at=now
                )
        except IntegrityError:
            raise ValidationError("You are already registered for this event.") from None
    counts[status] += 1
    record_append(action="events.registration.made", actor=None, network=event.network, obj=event,
                  payload={"event": event.slug, "status": status, **counts})
    if notify:
        transaction.on_commit(partial(emails.send_registration_email, registration.pk))
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, actor: Person, notify: bool = True) -> Registration:
    """The person (or an organiser) gives up the place; the first on the wait list is promoted."""
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if actor.pk != registration.person_id:
        _require_organiser(actor, event)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError("This registration is already cancelled.")
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.attended = False
    registration.save(update_fields=["status", "attended"])
    promoted = None
    if was_confirmed and not event.is_past:
        counts = registration_counts(event)
        if event.capacity is None or counts["confirmed"] < event.capacity:
            promoted = (Registration.objects.select_for_update()
                        .filter(event=event, status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk").first())
            if promoted is not None:
                promoted.status = RegistrationStatus.CONFIRMED
                promoted.save(update_fields=["status"])
                if notify:
                    transaction.on_commit(partial(emails.send_promotion_email, promoted.pk))
    record_append(action="events.registration.cancelled", actor=None, network=event.network, obj=event,
                  payload={"event": event.slug, "promoted_from_wait_list": promoted is not None,
                           **registration_counts(event)})
    return registration


@transaction.atomic
def mark_attendance(*, event: Event, actor: Person | None, attended: Iterable[int]) -> int:
    """Set who came, from the ids of confirmed registrations; everyone else confirmed is marked absent."""
    _require_organiser(actor, event)
    ids = set(attended)
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    unknown = ids - set(confirmed.values_list("pk", flat=True))
    if unknown:
        raise ValidationError("Only people with a confirmed place can be marked as attending.")
    if event.starts_at > timezone.now():
        raise ValidationError("Attendance can be marked once the event has started.")
    confirmed.filter(pk__in=ids).update(attended=True)
    confirmed.exclude(pk__in=ids).update(attended=False)
    record_append(action="events.attendance.marked", actor=actor, network=event.network, obj=event,
                  payload={"event": event.slug, "attended": len(ids), "confirmed": confirmed.count()})
    return len(ids)


@transaction.atomic
def minutes_publish(
    *, event: Event, actor: Person | None, text: str, challenges: Iterable[Challenge] = (),
    projects: Iterable[Project] = (),
) -> Minutes:
    """Publish (or replace) the minutes and outcomes, naming which of the network's needs the event advanced."""
    _require_organiser(actor, event)
    text = text.strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "Write the minutes: what was discussed and what was agreed."
    _too_long(errors, "minutes", text)
    challenges = list(challenges)
    if any(c.network_id != event.network_id for c in challenges):
        errors["challenges"] = "Choose needs from this event's own network."
    projects = list(projects)
    if any(p.network_id != event.network_id for p in projects):
        errors["projects"] = "Choose projects from this event's own network."
    if errors:
        raise ValidationError(errors)
    minutes, created = Minutes.objects.update_or_create(
        event=event, defaults={"text": text, "published_at": timezone.now(), "published_by": actor},
    )
    minutes.challenges_advanced.set(challenges)
    minutes.projects_advanced.set(projects)
    record_append(
        action="events.minutes.published", actor=actor, network=event.network, obj=event,
        payload={"event": event.slug, "replaced": not created,
                 "challenges_advanced": sorted(c.slug for c in challenges),
                 "projects_advanced": sorted(p.slug for p in projects)},
    )
    return minutes


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """Email everyone confirmed for a published event starting in the next 24 hours, once each."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED, reminded_at__isnull=True, event__status=EventStatus.PUBLISHED,
        event__starts_at__gt=now, event__starts_at__lte=now + dt.timedelta(hours=24),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            marked = Registration.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now)
            if marked:  # a second run (or a parallel one) finds it already marked
                transaction.on_commit(partial(emails.send_reminder_email, pk))
                sent += 1
    return sent
