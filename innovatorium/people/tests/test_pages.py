"""A person's pages: joining a network, the profile, download my data, delete my account, verification."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from innovatorium.factories import OrganisationFactory, PersonFactory, member
from innovatorium.people import services
from innovatorium.people.models import Membership, Person, Role, User, Verification
from innovatorium.people.tests.html import assert_nhs_page
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify


def _join_url(network) -> str:  # noqa: ANN001
    return reverse("networks:join", kwargs={"network_slug": network.slug})


@pytest.fixture
def newcomer(db):
    """Signed up, not yet a member of anything."""
    return PersonFactory()


# --- joining ---------------------------------------------------------------------------------------------

def test_the_join_page_lists_the_networks_constituencies(client_for, newcomer, network):
    response = client_for(newcomer).get(_join_url(network))
    assert response.status_code == 200
    assert_nhs_page(response.content)
    for constituency in network.constituencies.all():
        assert constituency.name.encode() in response.content


def test_joining_as_a_patient_counts_at_once(client_for, newcomer, network):
    patients = network.constituencies.get(slug="patients-public")
    response = client_for(newcomer).post(_join_url(network), {"constituency": patients.pk}, follow=True)
    assert response.redirect_chain[-1][0] == network.get_absolute_url()
    assert f"You have joined {network.name} as {patients.name}".encode() in response.content
    membership = Membership.objects.get(person=newcomer)
    assert membership.is_counted


def test_joining_as_nhs_staff_waits_for_a_facilitator(client_for, newcomer, network):
    nhs = network.constituencies.get(slug="nhs")
    organisation = OrganisationFactory()
    response = client_for(newcomer).post(
        _join_url(network), {"constituency": nhs.pk, "organisation": organisation.pk}, follow=True
    )
    assert b"A facilitator will confirm" in response.content
    membership = Membership.objects.get(person=newcomer)
    assert membership.verification == Verification.PENDING
    assert membership.organisation == organisation
    profile = client_for(newcomer).get(reverse("people:profile"))
    assert b"Waiting for confirmation" in profile.content


def test_joining_twice_says_so_and_writes_nothing(client_for, patient, network):
    client = client_for(patient)
    entries = RecordEntry.objects.count()
    response = client.post(_join_url(network), {"constituency": network.constituencies.get(slug="nhs").pk},
                           follow=True)
    assert f"You are already a member of {network.name}".encode() in response.content
    assert Membership.objects.filter(person=patient).count() == 1
    assert Membership.objects.get(person=patient).constituency.slug == "patients-public"
    assert RecordEntry.objects.count() == entries


def test_a_tampered_form_with_a_bogus_constituency_is_refused_on_the_field(client_for, newcomer, network):
    response = client_for(newcomer).post(_join_url(network), {"constituency": "999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#id_constituency_0">' in html, "the summary links to the first option"
    assert 'id="id_constituency_0"' in html
    assert '<span class="nhsuk-error-message" id="id_constituency-error">' in html
    assert "That group is not part of this network" in html
    assert not Membership.objects.exists() and not RecordEntry.objects.exists()


def test_a_tampered_form_with_another_networks_constituency_is_refused(client_for, newcomer, network,
                                                                     other_network):
    foreign = other_network.constituencies.get(slug="patients-public")
    response = client_for(newcomer).post(_join_url(network), {"constituency": foreign.pk})
    assert response.status_code == 200
    assert b"That group is not part of this network" in response.content
    assert not Membership.objects.exists() and not RecordEntry.objects.exists()


@pytest.mark.parametrize("value", ["", "not-a-number", "1 OR 1=1"])
def test_a_missing_or_malformed_constituency_is_refused(client_for, newcomer, network, value):
    response = client_for(newcomer).post(_join_url(network), {"constituency": value})
    assert response.status_code == 200
    assert b"nhsuk-error-summary" in response.content
    assert not Membership.objects.exists()


def test_a_bogus_organisation_is_refused_on_its_field(client_for, newcomer, network):
    response = client_for(newcomer).post(
        _join_url(network), {"constituency": network.constituencies.get(slug="nhs").pk, "organisation": "424242"}
    )
    assert b"Choose an organisation from the list." in response.content
    assert not Membership.objects.exists()


def test_joining_adds_one_to_the_networks_public_count(client_for, newcomer, network):
    from innovatorium.networks.selectors import network_summary

    def patients() -> int:
        summary = network_summary(network=network)
        [row] = [c for c in summary.constituencies if c.constituency.slug == "patients-public"]
        return row.members

    before = patients()
    patients_public = network.constituencies.get(slug="patients-public")
    client_for(newcomer).post(_join_url(network), {"constituency": patients_public.pk})
    assert patients() == before + 1


# --- profile and consent ---------------------------------------------------------------------------------

def test_the_profile_page_shows_consent_settings(client_for, patient):
    response = client_for(patient).get(reverse("people:profile"))
    assert response.status_code == 200
    assert_nhs_page(response.content)
    for label in (b"Show my name publicly", b"Facilitators may contact me", b"Access needs"):
        assert label in response.content


def test_a_person_saves_their_consent_choices(client_for, patient):
    response = client_for(patient).post(reverse("people:profile"), {
        "display_name": "Sam Jones", "show_name_publicly": "on", "contact_consent": "on",
        "access_needs": "Large print",
    })
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.display_name, patient.show_name_publicly, patient.contact_consent, patient.access_needs) == (
        "Sam Jones", True, True, "Large print")
    assert patient.public_name == "Sam Jones"


def test_unticking_consent_hides_the_name_again(client_for, patient):
    services.person_update_profile(person=patient, display_name="Sam Jones", show_name_publicly=True,
                                   contact_consent=True, access_needs="")
    client_for(patient).post(reverse("people:profile"), {"display_name": "Sam Jones"})
    patient.refresh_from_db()
    assert patient.show_name_publicly is False and patient.contact_consent is False
    assert patient.public_name == patient.pseudonym


def test_showing_a_name_without_one_is_a_field_error(client_for, patient):
    response = client_for(patient).post(reverse("people:profile"), {"display_name": "", "show_name_publicly": "on"})
    assert response.status_code == 200
    assert b'<a href="#id_display_name">' in response.content
    patient.refresh_from_db()
    assert patient.show_name_publicly is False


def test_a_named_facilitator_appears_on_the_network_page_only_with_consent(client, facilitator, network):
    facilitator.display_name = "Dr Jo Bloggs"
    facilitator.save()
    assert b"Dr Jo Bloggs" not in client.get(network.get_absolute_url()).content
    facilitator.show_name_publicly = True
    facilitator.save()
    assert b"Dr Jo Bloggs" in client.get(network.get_absolute_url()).content


# --- download my data ------------------------------------------------------------------------------------

def test_download_my_data_holds_everything_about_me(client_for, network, facilitator):
    person = PersonFactory(display_name="Asha Patel", access_needs="Hearing loop", contact_consent=True)
    nhs = services.membership_join(person=person, network=network, constituency=network.constituencies.get(slug="nhs"),
                                   organisation=OrganisationFactory(name="Leeds Teaching Hospitals"))
    services.membership_verify(membership=nhs, actor=facilitator, approve=False, note="Not on the staff list")
    services.declaration_add(person=person, network=network, interest_type="financial",
                             description="Shares in Acme Health", organisation_name="Acme Health")
    EmailAddress.objects.create(user=person.user, email=person.user.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(person.user, secret)
    someone_else = PersonFactory(display_name="Someone Else")

    response = client_for(person).get(reverse("people:download_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)

    assert data["account"]["email"] == person.user.email
    assert data["account"]["email_addresses"] == [{"email": person.user.email, "verified": True, "primary": True}]
    assert data["account"]["two_factor_methods"] == ["totp"]
    assert secret not in response.content.decode(), "a method's name, never its secret"
    assert data["profile"]["display_name"] == "Asha Patel"
    assert data["profile"]["access_needs"] == "Hearing loop"
    assert data["profile"]["contact_consent"] is True
    assert data["profile"]["pseudonym"] == person.pseudonym
    [membership] = data["memberships"]
    assert membership["network"] == network.slug
    assert membership["constituency"] == nhs.constituency.name
    assert membership["organisation"] == "Leeds Teaching Hospitals"
    assert membership["verification"] == "rejected"
    assert membership["verification_note"] == "Not on the staff list"
    [declaration] = data["declarations_of_interest"]
    assert declaration["description"] == "Shares in Acme Health"
    actions = [e["action"] for e in data["public_record_entries"]]
    assert actions == ["people.membership.joined", "people.declaration.made"]
    assert someone_else.display_name not in response.content.decode()
    assert someone_else.user.email not in response.content.decode()


def test_download_my_data_includes_records_from_other_apps(client_for, patient, network):
    # Rows other apps hold about the person are found from the model relations, not listed by hand.
    from innovatorium.challenges.models import Challenge

    challenge = Challenge.objects.create(network=network, slug="long-waits", title="Long waits for hearing tests",
                                         description="Months of waiting.", raised_by=patient)
    data = client_for(patient).get(reverse("people:download_data")).json()
    [row] = data["other_records"]["challenges.challenge"]
    assert row["id"] == challenge.pk
    assert row["title"] == "Long waits for hearing tests"
    assert row["raised_by"] == patient.pk


def test_download_my_data_needs_a_signed_in_person(client, db):
    response = client.get(reverse("people:download_data"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- delete my account -----------------------------------------------------------------------------------

def test_deleting_an_account_needs_the_word_delete(client_for, patient):
    response = client_for(patient).post(reverse("people:delete_account"), {"confirm": "yes please"})
    assert response.status_code == 200
    assert b'<a href="#id_confirm">' in response.content
    assert User.objects.filter(pk=patient.user.pk).exists()


def test_deleting_an_account_erases_personal_data_and_keeps_the_pseudonym(client_for, client, network):
    membership = member(network, "nhs", role=Role.FACILITATOR)
    person = membership.person
    services.person_update_profile(person=person, display_name="Dr Jo Bloggs", show_name_publicly=True,
                                   contact_consent=True, access_needs="Wheelchair user")
    services.declaration_add(person=person, network=network, interest_type="professional",
                             description="Adviser to a charity")
    pending = member(network, "industry", verification=Verification.PENDING)
    services.membership_verify(membership=pending, actor=person, approve=True)
    email, pseudonym = person.user.email, person.pseudonym
    assert b"Dr Jo Bloggs" in client.get(network.get_absolute_url()).content

    signed_in = client_for(person)
    response = signed_in.post(reverse("people:delete_account"), {"confirm": "delete"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert pseudonym.encode() in response.content
    assert "_auth_user_id" not in signed_in.session, "signed out"

    # Nothing personal is left in the database...
    person = Person.objects.get(pk=person.pk)
    assert not User.objects.filter(email=email).exists()
    assert person.display_name == "" and person.access_needs == "" and person.user is None
    assert not Person.objects.filter(display_name="Dr Jo Bloggs").exists()
    assert not Person.objects.filter(access_needs="Wheelchair user").exists()
    assert not person.memberships.exists() and not person.declarations.exists()
    # ...the record still checks out, and public pages show only the pseudonym.
    assert record_verify().ok
    network_page = client.get(network.get_absolute_url()).content
    record_page = client.get(reverse("record:network", kwargs={"network_slug": network.slug})).content
    assert b"Dr Jo Bloggs" not in network_page and b"Dr Jo Bloggs" not in record_page
    assert pseudonym.encode() in record_page
    assert RecordEntry.objects.filter(action="people.membership.verified", actor_pseudonym=pseudonym).exists()


def test_a_deleted_account_cannot_sign_in(client_for, client, patient):
    from innovatorium.factories import PASSWORD

    email = patient.user.email
    client_for(patient).post(reverse("people:delete_account"), {"confirm": "DELETE"})
    client.logout()
    client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


# --- leaving ---------------------------------------------------------------------------------------------

def test_a_member_leaves_a_network_from_their_profile(client_for, patient):
    membership = patient.memberships.get()
    response = client_for(patient).post(reverse("people:leave_membership", args=[membership.pk]))
    assert response["Location"] == reverse("people:profile")
    assert not patient.memberships.exists()
    assert RecordEntry.objects.filter(action="people.membership.left").count() == 1


def test_nobody_can_end_someone_elses_membership(client_for, patient, industry_member):
    membership = patient.memberships.get()
    response = client_for(industry_member).post(reverse("people:leave_membership", args=[membership.pk]))
    assert response.status_code == 404
    assert patient.memberships.exists()


# --- verification by a facilitator ----------------------------------------------------------------------

@pytest.fixture
def pending(network):
    return member(network, "nhs", verification=Verification.PENDING)


def _verify_url(membership) -> str:  # noqa: ANN001
    return reverse("people:verify_membership",
                   kwargs={"network_slug": membership.network.slug, "membership_id": membership.pk})


def test_a_facilitator_sees_the_queue_and_confirms_a_member(client_for, facilitator, pending, network):
    client = client_for(facilitator)
    queue = client.get(reverse("people:verification_queue", kwargs={"network_slug": network.slug}))
    assert queue.status_code == 200
    assert_nhs_page(queue.content)
    assert pending.person.display_name.encode() in queue.content
    response = client.post(_verify_url(pending), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.verification == Verification.VERIFIED
    [entry] = RecordEntry.objects.filter(action="people.membership.verified")
    assert entry.actor_pseudonym == facilitator.pseudonym


def test_cannot_confirm_needs_a_reason(client_for, facilitator, pending):
    response = client_for(facilitator).post(_verify_url(pending), {"decision": "reject", "note": ""}, follow=True)
    assert b"Say why the declaration could not be verified." in response.content
    pending.refresh_from_db()
    assert pending.verification == Verification.PENDING


def test_another_networks_admin_cannot_verify_here(client_for, other_admin, pending, network):
    client = client_for(other_admin)
    assert client.get(reverse("people:verification_queue", kwargs={"network_slug": network.slug})).status_code == 403
    assert client.post(_verify_url(pending), {"decision": "approve"}).status_code == 403
    # Nor by dressing the request up as their own network's.
    url = reverse("people:verify_membership",
                  kwargs={"network_slug": other_admin.memberships.get().network.slug, "membership_id": pending.pk})
    assert client.post(url, {"decision": "approve"}).status_code == 404
    pending.refresh_from_db()
    assert pending.verification == Verification.PENDING
    assert not RecordEntry.objects.filter(action="people.membership.verified").exists()


def test_a_facilitator_cannot_verify_themselves_on_the_page(client_for, network):
    own = member(network, "nhs", role=Role.FACILITATOR, verification=Verification.PENDING)
    response = client_for(own.person).post(_verify_url(own), {"decision": "approve"}, follow=True)
    assert b"You cannot verify your own membership." in response.content
    own.refresh_from_db()
    assert own.verification == Verification.PENDING
    assert not RecordEntry.objects.filter(action="people.membership.verified").exists()
