"""Who may do what on the needs pages: anonymous visitor, patient member, facilitator, another network's admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innovatorium.challenges.models import ChallengeStatus, FacilitatorResponse


def _urls(challenge):
    args = [challenge.network.slug, challenge.slug]
    return {name: reverse(f"challenges:{name}", args=args) for name in ("status", "respond")}


@pytest.mark.parametrize("page", ["list", "detail"])
def test_anyone_may_read_needs(client, challenge, page):
    url = (reverse("challenges:list", args=[challenge.network.slug]) if page == "list"
           else challenge.get_absolute_url())
    assert client.get(url).status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in_before_raising(client, network):
    response = client.get(reverse("challenges:raise", args=[network.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_patient_cannot_change_status_or_respond(client_for, challenge, patient):
    client = client_for(patient)
    for url in _urls(challenge).values():
        assert client.get(url).status_code == 403
    assert client.post(_urls(challenge)["status"], {"status": "addressed"}).status_code == 403
    assert client.post(_urls(challenge)["respond"], {"text": "Sorted"}).status_code == 403
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.OPEN
    assert not FacilitatorResponse.objects.exists()
    assert "Change its status" not in client.get(challenge.get_absolute_url()).content.decode()


def test_another_networks_admin_cannot_respond_or_change_status(client_for, challenge, other_admin):
    client = client_for(other_admin)
    assert client.post(_urls(challenge)["respond"], {"text": "From elsewhere"}).status_code == 403
    assert client.post(_urls(challenge)["status"], {"status": "matched"}).status_code == 403
    assert not FacilitatorResponse.objects.exists()
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.OPEN


def test_the_networks_facilitator_changes_status_and_responds(client_for, challenge, facilitator):
    client = client_for(facilitator)
    assert client.get(_urls(challenge)["status"]).status_code == 200
    assert client.post(_urls(challenge)["status"], {"status": "matched", "reason": ""}).status_code == 302
    assert client.post(_urls(challenge)["respond"], {"text": "Matched"}).status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.MATCHED
    assert FacilitatorResponse.objects.get().author == facilitator


def test_support_only_accepts_post(client_for, challenge, patient):
    url = reverse("challenges:support", args=[challenge.network.slug, challenge.slug])
    assert client_for(patient).get(url).status_code == 405


def test_an_unknown_need_is_not_found(client_for, network, facilitator):
    client = client_for(facilitator)
    assert client.get(reverse("challenges:detail", args=[network.slug, "no-such-need"])).status_code == 404
    assert client.get(reverse("challenges:status", args=[network.slug, "no-such-need"])).status_code == 404


def test_a_need_is_not_found_under_another_networks_address(client, challenge, other_network):
    assert client.get(reverse("challenges:detail", args=[other_network.slug, challenge.slug])).status_code == 404


def test_every_challenges_view_declares_its_permission():
    from innovatorium.challenges import urls

    for pattern in urls.urlpatterns:
        assert getattr(pattern.callback, "permission_rule", None), pattern.name
