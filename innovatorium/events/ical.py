"""iCalendar (RFC 5545) for events, built with the `icalendar` package: UTC times, folded lines, CRLF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.http import HttpRequest
from icalendar import Calendar
from icalendar import Event as VEvent

from innovatorium.events.models import Event, EventStatus

PRODID = "-//Innovatorium//Events//EN"


def _uid(event: Event, host: str) -> str:
    return f"event-{event.pk}@{host}"


def _description(event: Event) -> str:
    parts = [event.description]
    if event.accessibility:
        parts.append(f"Accessibility: {event.accessibility}")
    if event.online_link:
        parts.append(f"Join online: {event.online_link}")
    return "\n\n".join(parts)


def calendar_for(events: Iterable[Event], *, request: HttpRequest, name: str) -> bytes:
    host = request.get_host().split(":")[0] or "innovatorium"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
    for event in events:
        item = VEvent()
        item.add("uid", _uid(event, host))
        item.add("dtstamp", stamp)
        item.add("dtstart", event.starts_at.astimezone(dt.UTC).replace(microsecond=0))
        item.add("dtend", event.ends_at.astimezone(dt.UTC).replace(microsecond=0))
        item.add("summary", event.title)
        item.add("location", event.place or event.online_link or "Online")
        item.add("url", request.build_absolute_uri(event.get_absolute_url()))
        item.add("description", _description(event))
        item.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(item)
    return calendar.to_ical()
