"""Emails to people who registered. Sent only after the transaction that changed their place has committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.formats import date_format

from innovatorium.events.models import Event, Registration, RegistrationStatus


def _when(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    return f"{date_format(start, 'l j F Y, H:i')} to {date_format(end, 'H:i')}"


def _where(event: Event) -> str:
    parts = [p for p in (event.place, event.online_link) if p]
    return " · ".join(parts) or "To be confirmed"


def _body(registration: Registration, opening: str) -> str:
    event = registration.event
    lines = [
        opening, "",
        f"{event.title}", f"When: {_when(event)}", f"Where: {_where(event)}", "",
    ]
    if event.accessibility:
        lines += ["Accessibility:", event.accessibility, ""]
    lines += [
        f"Event page: {settings.SITE_URL.rstrip('/')}{event.get_absolute_url()}" if getattr(settings, "SITE_URL", "")
        else f"Event page: {event.get_absolute_url()}",
        "If you can no longer come, please cancel on the event page so someone on the wait list can have your place.",
    ]
    return "\n".join(lines)


def _address(registration: Registration) -> str | None:
    person = registration.person
    if person.erased_at or person.user is None or not person.user.email:
        return None
    return person.user.email


def _send(registration_id: int, subject: str, opening: str) -> None:
    registration = (Registration.objects.select_related("event__network", "person__user")
                    .filter(pk=registration_id).first())
    if registration is None:
        return
    address = _address(registration)
    if address is None:
        return
    send_mail(f"{subject}: {registration.event.title}", _body(registration, opening),
              settings.DEFAULT_FROM_EMAIL, [address])


def send_registration_email(registration_id: int) -> None:
    registration = Registration.objects.only("status").filter(pk=registration_id).first()
    if registration is None:
        return
    if registration.status == RegistrationStatus.CONFIRMED:
        _send(registration_id, "Your place is confirmed", "Your place is confirmed.")
    elif registration.status == RegistrationStatus.WAITLISTED:
        _send(registration_id, "You are on the wait list",
              "The event is full, so you are on the wait list. We will email you if a place comes free.")


def send_promotion_email(registration_id: int) -> None:
    _send(registration_id, "A place came free: you are in", "A place came free, and it is yours.")


def send_reminder_email(registration_id: int) -> None:
    _send(registration_id, "Reminder: tomorrow", "A reminder: your event starts within the next day.")
