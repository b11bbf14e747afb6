from __future__ import annotations

import pytest
from django.test import Client

from innovatorium.exchange.models import ExpressionOfInterest

pytestmark = pytest.mark.django_db


def test_anyone_reads_a_needs_matches_with_reasons(client, need, atlas_items):
    body = client.get(f"/api/exchange/challenges/{need.pk}/matches").json()
    assert body[0]["name"] == "School nurse texting"
    parts = {r["part"]: r["text"] for r in body[0]["matched_on"]}
    assert parts["clinical area"] == "clinical area (Children and young people)"
    assert "“nurse”" in parts["words"]
    assert 0 < body[0]["score"] <= 1


def test_anyone_reads_an_innovations_matching_needs(client, need, atlas_items):
    body = client.get(f"/api/exchange/innovations/{atlas_items['text'].pk}/matches").json()
    assert [m["title"] for m in body] == [need.title]
    assert client.get("/api/exchange/innovations/999999/matches").status_code == 404


def test_an_innovator_offers_an_innovation_once_through_the_api(need, atlas_items, innovator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(innovator.user)
    url = f"/api/exchange/challenges/{need.pk}/interest"
    assert client.post(url, {"innovation": atlas_items["text"].pk}, content_type="application/json").status_code == 403
    client.get(need.get_absolute_url())  # sets the CSRF cookie
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value}
    response = client.post(url, {"innovation": atlas_items["text"].pk, "message": "Hello"},
                           content_type="application/json", headers=headers)
    assert response.status_code == 201
    assert response.json()["innovation"] == atlas_items["text"].pk
    again = client.post(url, {"innovation": atlas_items["text"].pk}, content_type="application/json", headers=headers)
    assert again.status_code == 409
    assert ExpressionOfInterest.objects.count() == 1


def test_offering_someone_elses_innovation_or_anonymously_is_refused(client, client_for, need, atlas_items, patient):
    url = f"/api/exchange/challenges/{need.pk}/interest"
    assert client.post(url, {"innovation": atlas_items["text"].pk}, content_type="application/json").status_code == 401
    signed_in = client_for(patient)
    response = signed_in.post(url, {"innovation": atlas_items["text"].pk}, content_type="application/json")
    assert response.status_code == 403
    assert not ExpressionOfInterest.objects.exists()
