from __future__ import annotations

import json

import pytest
from django.test import Client

from innovatorium.benefits.models import Posting

pytestmark = pytest.mark.django_db


def _csrf_client(person) -> Client:
    c = Client(enforce_csrf_checks=True)
    c.force_login(person.user)
    return c


def _with_token(c: Client) -> str:
    """Give the client a CSRF cookie, as a browser gets one from any page with a form."""
    token = "t" * 32
    c.cookies["csrftoken"] = token
    return token


def _events_url(agreement):
    return f"/api/benefits/networks/{agreement.network.slug}/agreements/{agreement.innovation.slug}/events"


BODY = {"kind": "licence_income", "amount": "100.00", "occurred_on": "2026-03-01", "idempotency_key": "API-1",
        "payer": "Acme Health"}


def test_a_facilitator_posts_through_the_api_once_with_csrf(adopted, facilitator):
    c = _csrf_client(facilitator)
    url = _events_url(adopted.agreement)
    assert c.post(url, json.dumps(BODY), content_type="application/json").status_code == 403  # no CSRF token
    token = _with_token(c)
    first = c.post(url, json.dumps(BODY), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["created"] is True
    assert sum(int(s["amount"].replace(".", "")) for s in data["shared"]) == 10000
    again = c.post(url, json.dumps(BODY), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["posting_id"] == data["posting_id"]
    assert Posting.objects.count() == 1
    reverse = c.post(f"/api/benefits/networks/{adopted.agreement.network.slug}/agreements/"
                     f"{adopted.agreement.innovation.slug}/postings/{data['posting_id']}/reverse",
                     json.dumps({"reason": "cancelled"}), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert reverse.status_code == 201 and reverse.json()["amount"] == "-100.00"


def test_a_fraction_of_a_penny_is_refused_by_the_api_with_a_plain_message(adopted, facilitator):
    c = _csrf_client(facilitator)
    response = c.post(_events_url(adopted.agreement), json.dumps({**BODY, "amount": "100.001"}),
                      content_type="application/json", HTTP_X_CSRFTOKEN=_with_token(c))
    assert response.status_code == 422
    assert "fraction of a penny" in response.content.decode()
    assert not Posting.objects.exists()


@pytest.mark.parametrize("persona", ["patient", "industry_member", "other_admin"])
def test_only_the_networks_facilitators_can_post_through_the_api(request, adopted, persona):
    c = _csrf_client(request.getfixturevalue(persona))
    response = c.post(_events_url(adopted.agreement), json.dumps(BODY), content_type="application/json",
                      HTTP_X_CSRFTOKEN=_with_token(c))
    assert response.status_code == 403
    assert not Posting.objects.exists()


def test_anonymous_visitors_cannot_post(client, adopted):
    response = client.post(_events_url(adopted.agreement), json.dumps(BODY), content_type="application/json")
    assert response.status_code == 401


def test_totals_and_the_public_statement_are_open(client, adopted, facilitator):
    import datetime as dt

    from innovatorium.benefits import services

    services.event_record(actor=facilitator, agreement=adopted.agreement, kind="cash_releasing_savings",
                          amount="50.00", occurred_on=dt.date(2026, 3, 1), idempotency_key="S1")
    national = client.get("/api/benefits/totals").json()
    assert national["saved"] == "50.00" and national["network"] is None
    regional = client.get(f"/api/benefits/totals?network={adopted.agreement.network.slug}").json()
    assert regional["reinvested"] == "5.00"
    listing = client.get(f"/api/benefits/networks/{adopted.agreement.network.slug}/agreements").json()
    assert listing[0]["saved"] == "50.00"
    st = client.get(f"/api/benefits/networks/{adopted.agreement.network.slug}/agreements/"
                    f"{adopted.agreement.innovation.slug}/statement").json()
    assert st["totals"]["saved"] == "50.00"
    assert {p["name"] for p in st["parties"]} >= {"Test Hospitals NHS Trust", "Sensorco Ltd"}
