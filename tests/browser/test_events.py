"""A facilitator sets up an event; people register on their phones up to capacity, the next joins the wait list,
and the event's iCalendar file downloads and parses in a standard parser."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from innovatorium.events import services
from innovatorium.events.models import Event, Registration, RegistrationStatus
from innovatorium.factories import PASSWORD, member
from innovatorium.networks.models import Network
from innovatorium.people.models import Role
from innovatorium.projects import services as projects
from tests.browser.support import PHONE, TIMEOUT_MS, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_event_is_created_filled_to_capacity_with_a_wait_list_and_its_calendar_parses(
    page: Page, open_page: Callable[..., Page]
) -> None:
    network = Network.objects.get(slug="wessex")
    facilitator = member(network, "nhs", role=Role.FACILITATOR).person
    first, second, third = (member(network, "patients-public").person for _ in range(3))

    # The first request to a transactional live server can be slow on a busy machine (seen at over 10 s).
    page.set_default_timeout(60_000)
    sign_in(page, email=facilitator.user.email, password=PASSWORD)
    page.set_default_timeout(TIMEOUT_MS)
    programme = projects.programme_create(network=network, actor=facilitator, name="Dementia")
    page.goto("/wessex/events/")
    axe_check(page)
    page.get_by_role("link", name="Set up an event").click()
    axe_check(page)
    start = (timezone.localtime() + dt.timedelta(days=10)).replace(hour=10, minute=0, second=0, microsecond=0)
    page.get_by_label("Title").fill("Dementia carers meet the innovators")
    page.get_by_label("Kind of event").select_option("connection")
    page.get_by_label("What it is for and who should come").fill("Carers and innovators, as equals.")
    page.get_by_label("Starts", exact=True).fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends", exact=True).fill((start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Place (if in person)").fill("Town library, 1 High Street, SO23 8AA")
    page.get_by_label("Accessibility").fill("Step-free access. Hearing loop. BSL on request.")
    page.get_by_label("Places (optional)").fill("2")
    page.get_by_label("Programme (optional)").select_option(programme.slug)
    page.get_by_role("button", name="Save as a draft").click()
    expect(page).to_have_url(re.compile(r"/wessex/events/[\w-]+/organise/$"))
    axe_check(page)
    page.get_by_label("Speaker's name").fill("Ruth Evans")
    page.get_by_label("Partner group they speak for").select_option("patients_public")
    page.get_by_role("button", name="Add speaker").click()
    axe_check(page)
    page.get_by_role("button", name="Publish this event").click()
    axe_check(page)
    event = Event.objects.get()
    assert event.status == "published" and event.capacity == 2
    expect(page.locator("#accessibility")).to_contain_text("Hearing loop")
    expect(page.locator("#speakers")).to_contain_text("Ruth Evans (Patients and public)")

    # The first person registers on a phone, with an access need; a second takes the last place elsewhere.
    phone = open_page(PHONE)
    sign_in(phone, email=first.user.email, password=PASSWORD)
    phone.goto(event.get_absolute_url())
    axe_check(phone)
    phone.get_by_role("link", name="Register").click()
    axe_check(phone)
    phone.get_by_label(re.compile("Anything we should arrange")).fill("A seat near the front: I lip-read.")
    phone.get_by_role("button", name="Register").click()
    axe_check(phone)
    expect(phone.locator("#register")).to_contain_text("You have a place")
    services.register(event=event, actor=second, notify=False)

    # The event is now full: the next person joins the wait list.
    late = open_page(PHONE)
    sign_in(late, email=third.user.email, password=PASSWORD)
    late.goto(event.get_absolute_url())
    axe_check(late)
    expect(late.locator("#register")).to_contain_text("The event is full")
    late.get_by_role("link", name="Join the wait list").click()
    axe_check(late)
    late.get_by_role("button", name="Join the wait list").click()
    axe_check(late)
    expect(late.locator("#register")).to_contain_text("You are on the wait list")
    statuses = dict(Registration.objects.values_list("person_id", "status"))
    assert statuses == {first.pk: RegistrationStatus.CONFIRMED, second.pk: RegistrationStatus.CONFIRMED,
                        third.pk: RegistrationStatus.WAITLISTED}

    # Only the organiser sees the access need.
    page.goto(f"/wessex/events/{event.slug}/organise/")
    axe_check(page)
    expect(page.locator("#registrations")).to_contain_text("I lip-read")

    # The organiser adds a place: the first on the wait list moves up, and the event page says so.
    page.get_by_role("link", name="Change the event's details").click()
    axe_check(page)
    page.get_by_label("Places (optional)").fill("3")
    page.get_by_role("button", name="Save changes").click()
    axe_check(page)
    assert Registration.objects.get(person=third).status == RegistrationStatus.CONFIRMED
    late.reload()
    axe_check(late)
    expect(late.locator("#register")).to_contain_text("You have a place")
    expect(late.locator("#event-facts")).to_contain_text("Dementia")

    # The calendar file downloads and a standard parser reads it.
    href = late.get_by_role("link", name=re.compile("Add to your calendar")).get_attribute("href")
    response = late.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    [vevent] = Calendar.from_ical(response.body()).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Dementia carers meet the innovators"
    assert vevent.decoded("DTSTART") == start
    assert "SO23 8AA" in str(vevent["LOCATION"])
