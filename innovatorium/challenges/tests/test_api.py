from __future__ import annotations

import pytest
from django.test import Client

from innovatorium.challenges import services
from innovatorium.challenges.models import ChallengeSupport


def test_the_list_is_public_with_counts_per_constituency(client, challenge, industry_member, facilitator):
    services.challenge_support(challenge=challenge, actor=industry_member)
    services.challenge_support(challenge=challenge, actor=facilitator)
    body = client.get("/api/challenges/?network=test-region").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["title"] == challenge.title and item["supporters"] == 2
    by = {c["constituency"]: c["supporters"] for c in item["supporters_by_constituency"]}
    assert by == {"patients-public": 0, "nhs": 1, "social-care": 0, "academia": 0, "industry": 1, "vcse": 0}
    assert item["raised_by_constituency"] == "patients-public"
    assert item["care_setting"] == "community" and item["clinical_area"] == "dementia"
    assert "raised_by" not in item  # never who


def test_the_list_filters_and_pages(client, network, patient, facilitator):
    for n in range(3):
        services.challenge_raise(network=network, actor=patient, title=f"Need {n} here", description="Text")
    first = network.challenges.order_by("pk").first()
    services.challenge_set_status(challenge=first, actor=facilitator, status="closed", reason="Duplicate")
    assert client.get("/api/challenges/?status=closed").json()["count"] == 1
    page = client.get("/api/challenges/?limit=2&offset=2").json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert client.get("/api/challenges/?network=other-region").json()["count"] == 0


def test_the_list_makes_a_fixed_number_of_queries(client, network, patient, industry_member,
                                                   django_assert_max_num_queries):
    for n in range(15):
        challenge = services.challenge_raise(network=network, actor=patient, title=f"Need {n} here",
                                             description="Text")
        services.challenge_support(challenge=challenge, actor=industry_member)
    with django_assert_max_num_queries(4):
        body = client.get("/api/challenges/?limit=15").json()
    assert len(body["items"]) == 15


def test_the_detail_includes_responses_by_public_name(client, challenge, facilitator):
    services.facilitator_respond(challenge=challenge, actor=facilitator, text="On the agenda")
    body = client.get(f"/api/challenges/{challenge.pk}").json()
    assert body["responses"][0]["text"] == "On the agenda"
    assert body["responses"][0]["author"] == facilitator.pseudonym
    assert client.get("/api/challenges/999999").status_code == 404


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def _signed_in_with_token(csrf_client, person):
    csrf_client.force_login(person.user)
    csrf_client.get("/")  # sets the CSRF cookie
    return csrf_client.cookies["csrftoken"].value


def test_a_member_supports_and_withdraws_through_the_api(csrf_client, challenge, industry_member):
    token = _signed_in_with_token(csrf_client, industry_member)
    url = f"/api/challenges/{challenge.pk}/support"
    response = csrf_client.post(url, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert response.json()["supporting"] is True and response.json()["supporters"] == 1
    again = csrf_client.post(url, HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 409 and "already support" in again.json()["detail"]
    response = csrf_client.delete(url, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["supporters"] == 0


def test_supporting_without_the_csrf_token_is_refused(csrf_client, challenge, industry_member):
    _signed_in_with_token(csrf_client, industry_member)
    response = csrf_client.post(f"/api/challenges/{challenge.pk}/support")
    assert response.status_code == 403
    assert not ChallengeSupport.objects.exists()


def test_an_anonymous_caller_cannot_support(client, challenge):
    assert client.post(f"/api/challenges/{challenge.pk}/support").status_code == 401


def test_a_non_member_is_refused_through_the_api(csrf_client, challenge, other_admin):
    token = _signed_in_with_token(csrf_client, other_admin)
    response = csrf_client.post(f"/api/challenges/{challenge.pk}/support", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 403 and "Join Test Region first" in response.json()["detail"]
