"""In production, facilitators and admins set up an authenticator app before any staff page."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import override_settings
from django.urls import reverse

from innovatorium.factories import UserFactory, member
from innovatorium.people.middleware import is_staff_path

require_mfa = override_settings(INNOVATORIUM_REQUIRE_STAFF_MFA=True)


def _with_totp(person):  # noqa: ANN001, ANN202
    TOTP.activate(person.user, generate_totp_secret())
    return person


def _queue(network) -> str:  # noqa: ANN001
    return reverse("people:verification_queue", kwargs={"network_slug": network.slug})


@pytest.mark.parametrize(
    ("path", "staff"),
    [
        ("/admin/", True),
        ("/admin/people/person/", True),
        ("/facilitate/", True),
        ("/wessex/facilitate/verifications/", True),
        ("/wessex/facilitate/constituencies/nhs/", True),
        ("/wessex/", False),
        ("/me/", False),
        ("/accounts/2fa/totp/activate/", False),
        ("/record/", False),
    ],
)
def test_staff_paths_are_recognised(path, staff):
    assert is_staff_path(path) is staff


@require_mfa
def test_a_facilitator_without_an_authenticator_is_sent_to_set_one_up(client_for, facilitator, network):
    client = client_for(facilitator)
    for url in (reverse("people:facilitate"), _queue(network),
                reverse("networks:constituencies", kwargs={"network_slug": network.slug})):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert b"Staff pages need two-factor authentication" in page.content


@require_mfa
def test_a_facilitator_cannot_post_a_staff_decision_without_an_authenticator(client_for, facilitator, network):
    pending = member(network, "nhs", verification="pending")
    url = reverse("people:verify_membership", kwargs={"network_slug": network.slug, "membership_id": pending.pk})
    response = client_for(facilitator).post(url, {"decision": "approve", "note": ""})
    assert response["Location"] == reverse("mfa_activate_totp")
    pending.refresh_from_db()
    assert pending.verification == "pending", "nothing was decided"


@require_mfa
def test_a_facilitator_with_an_authenticator_reaches_staff_pages(client_for, facilitator, network):
    client = client_for(_with_totp(facilitator))
    assert client.get(reverse("people:facilitate")).status_code == 200
    assert client.get(_queue(network)).status_code == 200


@require_mfa
def test_another_networks_admin_is_also_asked_for_an_authenticator(client_for, other_admin, other_network):
    response = client_for(other_admin).get(_queue(other_network))
    assert response["Location"] == reverse("mfa_activate_totp")


@require_mfa
def test_the_django_admin_needs_an_authenticator_too(client, db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")
    TOTP.activate(admin, generate_totp_secret())
    assert client.get("/admin/").status_code == 200


@require_mfa
def test_a_patient_is_never_asked_for_an_authenticator(client_for, patient, network):
    client = client_for(patient)
    # Not staff: the page itself refuses them, the MFA rule does not redirect them.
    assert client.get(reverse("people:facilitate")).status_code == 403
    assert client.get(_queue(network)).status_code == 403
    assert client.get(reverse("people:profile")).status_code == 200


@require_mfa
def test_anonymous_visitors_are_sent_to_sign_in_not_to_set_up_an_authenticator(client, network):
    response = client.get(reverse("people:facilitate"))
    assert response["Location"].startswith(reverse("account_login"))


@override_settings(INNOVATORIUM_REQUIRE_STAFF_MFA=False)
def test_without_the_setting_facilitators_are_not_redirected(client_for, facilitator, network):
    client = client_for(facilitator)
    assert client.get(reverse("people:facilitate")).status_code == 200
    assert client.get(_queue(network)).status_code == 200


@require_mfa
def test_staff_actions_in_the_api_are_refused_without_an_authenticator(client_for, facilitator, network):
    pending = member(network, "nhs", verification="pending")
    url = f"/api/networks/{network.slug}/verifications/{pending.pk}"
    client = client_for(facilitator)
    response = client.post(url, json.dumps({"approve": True, "note": ""}), content_type="application/json")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    pending.refresh_from_db()
    assert pending.verification == "pending"
    _with_totp(facilitator)
    response = client.post(url, json.dumps({"approve": True, "note": ""}), content_type="application/json")
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.verification == "verified"


@require_mfa
def test_public_api_reads_are_not_affected(client_for, facilitator, network):
    assert client_for(facilitator).get(f"/api/networks/{network.slug}").status_code == 200
