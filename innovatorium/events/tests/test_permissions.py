"""Who may see and do what with events: anonymous visitor, patient, industry member, facilitator, another network's
admin, and an organiser who is not staff. The organiser page shows access needs, so it is tried from every side."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innovatorium.events import services
from innovatorium.events.models import Minutes, Speaker
from innovatorium.factories import member

LOGIN = "login"
ORGANISER_PAGES = ["organise", "attendance", "minutes", "edit"]
ORGANISER_POSTS = {"publish": {}, "cancel": {"reason": "No"}, "speaker_add": {"name": "X", "constituency_kind": "nhs"},
                   "minutes": {"text": "Sneaky"}, "attendance": {}, "edit": {"title": "Sneaky"}}


@pytest.fixture
def registered(event, patient):
    services.register(event=event, actor=patient, access_needs="SECRET-NEED wheelchair access")
    return event


def _status(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.fixture
def personas(patient, industry_member, facilitator, other_admin, network):
    organiser = member(network).person
    return {"anonymous": None, "patient": patient, "industry_member": industry_member, "facilitator": facilitator,
            "other_admin": other_admin, "organiser": organiser}


EXPECTED = {"anonymous": LOGIN, "patient": 403, "industry_member": 403, "facilitator": 200, "other_admin": 403,
            "organiser": 200}


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("page", ORGANISER_PAGES)
def test_only_organisers_reach_the_organiser_pages(client, registered, personas, persona, page):
    registered.organisers.add(personas["organiser"])
    if personas[persona] is not None:
        client.force_login(personas[persona].user)
    response = client.get(reverse(f"events:{page}", args=[registered.network.slug, registered.slug]))
    assert _status(response) == EXPECTED[persona]
    if page == "organise":
        assert ("SECRET-NEED" in response.content.decode()) == (EXPECTED[persona] == 200)


@pytest.mark.parametrize("persona", ["anonymous", "patient", "industry_member", "other_admin"])
@pytest.mark.parametrize("action", list(ORGANISER_POSTS))
def test_nobody_else_can_change_an_event(client, make_event, personas, persona, action):
    event = make_event(publish=False)
    if personas[persona] is not None:
        client.force_login(personas[persona].user)
    response = client.post(reverse(f"events:{action}", args=[event.network.slug, event.slug]),
                           ORGANISER_POSTS[action])
    assert _status(response) in (LOGIN, 403, 404)
    event.refresh_from_db()
    assert event.status == "draft" and not Speaker.objects.exists() and not Minutes.objects.exists()
    assert event.title != "Sneaky"


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_the_public_pages_never_show_access_needs(client, registered, personas, persona):
    if personas[persona] is not None:
        client.force_login(personas[persona].user)
    for url in (registered.get_absolute_url(), reverse("events:list", args=[registered.network.slug]),
                reverse("events:ics", args=[registered.network.slug, registered.slug]),
                f"/api/events/{registered.pk}", "/api/events/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "SECRET-NEED" not in response.content.decode()


@pytest.mark.parametrize(("persona", "expected"), [("anonymous", 404), ("patient", 404), ("other_admin", 404),
                                                   ("facilitator", 200), ("organiser", 200)])
def test_drafts_are_hidden_from_all_but_organisers(client, make_event, personas, persona, expected):
    event = make_event(publish=False)
    event.organisers.add(personas["organiser"])
    if personas[persona] is not None:
        client.force_login(personas[persona].user)
    assert client.get(event.get_absolute_url()).status_code == expected


@pytest.mark.parametrize(("persona", "expected"), [("anonymous", LOGIN), ("patient", 403), ("other_admin", 403),
                                                   ("facilitator", 200)])
def test_only_the_networks_facilitators_set_up_events(client, network, personas, persona, expected):
    if personas[persona] is not None:
        client.force_login(personas[persona].user)
    assert _status(client.get(reverse("events:create", args=[network.slug]))) == expected


def test_an_anonymous_visitor_is_sent_to_sign_in_to_register(client, event):
    response = client.get(reverse("events:register", args=[event.network.slug, event.slug]))
    assert _status(response) == LOGIN
