"""iCalendar feeds parse with the `icalendar` parser and carry the RFC 5545 fields, in UTC, with CRLF lines."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from icalendar import Calendar

from innovatorium.events import services


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert b"\r\n" in body and all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert body.count(b"\n") == body.count(b"\r\n")
    return Calendar.from_ical(body)


def test_an_events_calendar_file_has_the_rfc_5545_fields(client, make_event):
    event = make_event(description="A long description. " * 20)
    calendar = _parse(client.get(reverse("events:ics", args=[event.network.slug, event.slug])))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [vevent] = calendar.walk("VEVENT")
    assert vevent["UID"].startswith(f"event-{event.pk}@")
    assert vevent["SUMMARY"] == event.title
    assert vevent["LOCATION"] == event.place
    assert vevent["URL"].endswith(event.get_absolute_url())
    assert "A long description." in vevent["DESCRIPTION"] and "Step-free access" in vevent["DESCRIPTION"]
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTSTART").tzinfo is not None and vevent.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert vevent.decoded("DTEND") == event.ends_at
    assert vevent["DTSTAMP"]
    raw = client.get(reverse("events:ics", args=[event.network.slug, event.slug])).content
    assert b"DTSTART:" in raw and raw.split(b"DTSTART:")[1][:16].endswith(b"Z")


def test_the_network_feed_lists_published_and_cancelled_events_but_not_drafts(client, make_event, facilitator):
    published = make_event(title="Published one")
    cancelled = make_event(title="Cancelled one")
    services.event_cancel(event=cancelled, actor=facilitator, reason="Snow")
    make_event(title="Draft one", publish=False)
    calendar = _parse(client.get(reverse("events:calendar", args=[published.network.slug])))
    summaries = {str(v["SUMMARY"]): str(v["STATUS"]) for v in calendar.walk("VEVENT")}
    assert summaries == {"Published one": "CONFIRMED", "Cancelled one": "CANCELLED"}


def test_a_drafts_calendar_file_is_hidden(client, make_event):
    draft = make_event(publish=False)
    assert client.get(reverse("events:ics", args=[draft.network.slug, draft.slug])).status_code == 404
