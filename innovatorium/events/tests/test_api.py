"""The events API: public lists and details; registering needs a session and the CSRF token."""

from __future__ import annotations

from django.test import Client

from innovatorium.events.models import Registration


def test_the_list_and_detail_are_public_and_hold_no_personal_data(client, event):
    listing = client.get("/api/events/?network=test-region&upcoming=true").json()
    assert listing["count"] == 1 and listing["items"][0]["slug"] == event.slug
    detail = client.get(f"/api/events/{event.pk}").json()
    assert detail["accessibility"].startswith("Step-free") and detail["capacity"] == 2
    assert "access_needs" not in str(detail)


def test_registering_needs_the_csrf_token(event, patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)
    response = client.post(f"/api/events/{event.pk}/register", {}, content_type="application/json")
    assert response.status_code == 403
    assert not Registration.objects.exists()
    client.get("/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(f"/api/events/{event.pk}/register", {"access_needs": "Loop"},
                           content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    again = client.post(f"/api/events/{event.pk}/register", {}, content_type="application/json",
                        headers={"X-CSRFToken": token})
    assert again.status_code == 409


def test_registering_anonymously_is_refused(client, event):
    assert client.post(f"/api/events/{event.pk}/register", {}, content_type="application/json").status_code == 401
