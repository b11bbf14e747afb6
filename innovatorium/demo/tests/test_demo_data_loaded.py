"""What one demo load holds. The load is shared by this module's tests and rolled back after them."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from innovatorium.demo.constants import DEMO_DOMAIN, DEMO_LOGINS, DEMO_MARKER_ACTION, DEMO_PASSWORD, SUPERUSER_LOGIN
from innovatorium.demo.tests.helpers import SMALL, load
from innovatorium.networks.defaults import REGIONAL_NETWORKS
from innovatorium.people.models import DeclarationOfInterest, Membership, Organisation, Person, Role, Verification
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    # Loading is the slow part, so it happens once; each test still runs in its own savepoint on top.
    with django_db_blocker.unblock(), transaction.atomic():
        yield load()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def test_it_says_what_it_loaded(demo):
    assert f"Loaded demo data: {SMALL} people, 62 organisations" in demo
    assert Person.objects.count() == SMALL


def test_it_gives_every_regional_network_an_admin_a_facilitator_and_a_board(demo):
    for slug, _name, _description in REGIONAL_NETWORKS:
        roles = list(Membership.objects.filter(network__slug=slug).values_list("role", flat=True))
        assert roles.count(Role.ADMIN) == 1, slug
        assert roles.count(Role.FACILITATOR) == 1, slug
        assert roles.count(Role.BOARD_MEMBER) >= 2, slug


def test_it_covers_every_constituency_consent_and_verification_state(demo):
    kinds = set(Membership.objects.values_list("constituency__kind", flat=True))
    assert kinds == {"patients_public", "nhs", "social_care", "academia", "industry", "vcse"}
    assert Membership.objects.filter(verification=Verification.PENDING, network__slug="eastern").exists()
    assert Membership.objects.filter(verification=Verification.VERIFIED).exists()
    assert Person.objects.filter(show_name_publicly=True).exists()
    assert Person.objects.filter(show_name_publicly=False).exists()
    assert DeclarationOfInterest.objects.filter(person__user__email=f"industry@{DEMO_DOMAIN}").exists()


def test_nhs_organisations_carry_valid_ods_codes(demo):
    assert Organisation.objects.get(ods_code="RGT").name == "Cambridge University Hospitals NHS Foundation Trust"
    for organisation in Organisation.objects.exclude(ods_code=None):
        organisation.full_clean()  # raises on a malformed code


def test_every_change_is_on_the_public_record_and_the_record_verifies(demo):
    verification = record_verify()

    assert verification.ok, verification
    actions = set(RecordEntry.objects.values_list("action", flat=True))
    assert {
        "people.organisation.created", "people.membership.joined", "people.membership.role_changed",
        "people.membership.verified", "people.declaration.made", DEMO_MARKER_ACTION,
    } <= actions
    assert RecordEntry.objects.filter(action="people.membership.joined").count() == Membership.objects.count()


def test_a_second_run_adds_nothing_and_says_so(demo):
    before = (Person.objects.count(), Membership.objects.count(), RecordEntry.objects.count())

    output = load()

    assert "already loaded" in output
    assert (Person.objects.count(), Membership.objects.count(), RecordEntry.objects.count()) == before


def test_every_documented_login_signs_in_with_the_demo_password(demo, client):
    for email, _name, _what in DEMO_LOGINS:
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})

        assert response.status_code == 302, email
        assert int(client.session["_auth_user_id"]) == Person.objects.get(user__email=email).user_id
        client.logout()


def test_the_superuser_login_reaches_the_django_admin(demo, client):
    client.post(reverse("account_login"), {"login": SUPERUSER_LOGIN[0], "password": DEMO_PASSWORD})

    assert client.get("/admin/").status_code == 200


def test_the_facilitator_login_sees_members_waiting_for_verification(demo, client):
    client.post(reverse("account_login"), {"login": f"facilitator@{DEMO_DOMAIN}", "password": DEMO_PASSWORD})

    response = client.get(reverse("people:verification_queue", kwargs={"network_slug": "eastern"}))

    assert response.status_code == 200
    # The facilitator checks declarations, so the queue shows the name given (Nia keeps it off public pages).
    assert "Nia Nurse" in response.content.decode()
    assert "Cambridge University Hospitals NHS Foundation Trust (RGT)" in response.content.decode()
