"""Events pages: the list (in a fixed number of queries), the event page, registering without JavaScript,
setting up an event, attendance and minutes."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from innovatorium.events import services
from innovatorium.events.models import Event, Registration, RegistrationStatus
from innovatorium.factories import member


def test_the_event_list_takes_the_same_few_queries_however_many_events(client, make_event, network,
                                                                        django_assert_max_num_queries):
    for i in range(12):
        event = make_event(title=f"Event {i}", capacity=None)
        services.speaker_add(event=event, actor=None, name="Ruth", constituency_kind="patients_public")
        services.register(event=event, actor=member(network).person, notify=False)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("events:list", args=[network.slug]))
    assert response.status_code == 200
    assert response.content.decode().count('data-event="') == 12


def test_the_list_separates_upcoming_and_past_events(client, make_event, network):
    make_event(title="Next week")
    old = make_event(title="Last year")
    Event.objects.filter(pk=old.pk).update(starts_at=timezone.now() - dt.timedelta(days=300),
                                           ends_at=timezone.now() - dt.timedelta(days=300, hours=-2))
    html = client.get(reverse("events:list", args=[network.slug])).content.decode()
    assert html.index("Next week") < html.index("Past events") < html.index("Last year")


def test_the_event_page_says_plainly_when_there_is_no_patient_or_public_speaker(client, event):
    services.speaker_add(event=event, actor=None, name="Dr Asha Patel", constituency_kind="nhs", topic="AF")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "No patient or public speaker" in html and "Dr Asha Patel" in html and "(NHS)" in html
    assert html.index('id="accessibility"') < html.index("About this event")  # prominent, near the top
    services.speaker_add(event=event, actor=None, name="Ruth Evans", constituency_kind="patients_public")
    assert "No patient or public speaker" not in client.get(event.get_absolute_url()).content.decode()


def test_a_patient_registers_with_access_needs_and_cancels_without_javascript(client_for, event, patient):
    client = client_for(patient)
    url = reverse("events:register", args=[event.network.slug, event.slug])
    page = client.get(url).content.decode()
    assert "Only the event&#x27;s organisers see this" in page or "Only the event’s organisers" in page
    response = client.post(url, {"access_needs": "Step-free please"})
    assert response.status_code == 302
    registration = Registration.objects.get(person=patient)
    assert (registration.status, registration.access_needs) == (RegistrationStatus.CONFIRMED, "Step-free please")
    assert "You have a place" in client.get(event.get_absolute_url()).content.decode()
    client.post(reverse("events:cancel_registration", args=[event.network.slug, event.slug]))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_registering_twice_through_the_page_says_so(client_for, event, patient):
    client = client_for(patient)
    url = reverse("events:register", args=[event.network.slug, event.slug])
    client.post(url, {})
    response = client.post(url, {}, follow=True)
    assert "already registered" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_facilitator_sets_up_publishes_and_minutes_an_event(client_for, network, facilitator, patient):
    client = client_for(facilitator)
    start = (timezone.localtime() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    response = client.post(reverse("events:create", args=[network.slug]), {
        "title": "Co-design workshop", "kind": "workshop", "description": "Let us design it together.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": (start + dt.timedelta(hours=2)).strftime(
            "%Y-%m-%dT%H:%M"), "place": "Hall", "online_link": "", "accessibility": "Hearing loop", "capacity": "10",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert (event.status, event.capacity, event.starts_at) == ("draft", 10, start)
    client.post(reverse("events:speaker_add", args=[network.slug, event.slug]),
                {"name": "Ruth", "constituency_kind": "patients_public", "topic": "Living with it"})
    client.post(reverse("events:publish", args=[network.slug, event.slug]))
    event.refresh_from_db()
    assert event.status == "published" and event.speakers.count() == 1
    registration = services.register(event=event, actor=patient, notify=False)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3),
                                             ends_at=timezone.now() - dt.timedelta(hours=1))
    client.post(reverse("events:attendance", args=[network.slug, event.slug]), {"attended": [registration.pk]})
    registration.refresh_from_db()
    assert registration.attended
    client.post(reverse("events:minutes", args=[network.slug, event.slug]), {"text": "We made a prototype."})
    assert "We made a prototype." in client.get(event.get_absolute_url()).content.decode()


def test_the_create_form_explains_a_bad_date(client_for, network, facilitator):
    response = client_for(facilitator).post(reverse("events:create", args=[network.slug]), {
        "title": "X", "kind": "workshop", "description": "Y", "starts_at": "tomorrow", "ends_at": "",
        "place": "Hall",
    })
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and "Enter a date and time" in html


def test_the_network_navigation_has_events(client, network):
    html = client.get(reverse("events:list", args=[network.slug])).content.decode()
    assert f'href="{reverse("events:list", args=[network.slug])}"' in html
