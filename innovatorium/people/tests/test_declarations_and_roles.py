from __future__ import annotations

from django.urls import reverse

from innovatorium.factories import member
from innovatorium.people.models import DeclarationOfInterest, Membership, Role
from innovatorium.record.models import RecordEntry


def test_a_member_publishes_a_declaration_that_anyone_can_read(client_for, client, network, patient):
    url = reverse("people:declare", kwargs={"network_slug": network.slug})
    response = client_for(patient).post(url, {
        "interest_type": "financial", "organisation_name": "Acme Health Ltd",
        "description": "I hold shares in Acme Health.",
    })
    assert response.status_code == 302
    assert DeclarationOfInterest.objects.filter(person=patient, network=network).count() == 1
    assert RecordEntry.objects.filter(action="people.declaration.made", network=network).count() == 1
    client.logout()
    page = client.get(reverse("people:declarations", kwargs={"network_slug": network.slug})).content.decode()
    assert "Acme Health Ltd" in page
    assert patient.pseudonym in page  # not consented to be named
    assert patient.display_name not in page


def test_a_declaration_without_a_description_is_refused_with_the_field_named(client_for, network, patient):
    url = reverse("people:declare", kwargs={"network_slug": network.slug})
    response = client_for(patient).post(url, {"interest_type": "financial", "description": ""})
    assert response.status_code == 200
    assert "Describe the interest" in response.content.decode()
    assert not DeclarationOfInterest.objects.exists()


def test_a_network_admin_changes_a_members_role_on_the_record(client_for, network, patient):
    admin = member(network, "nhs", role=Role.ADMIN).person
    membership = Membership.objects.get(person=patient, network=network)
    url = reverse("people:change_role", kwargs={"network_slug": network.slug, "membership_id": membership.pk})
    response = client_for(admin).post(url, {"role": "board_member"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.BOARD_MEMBER
    entry = RecordEntry.objects.get(action="people.membership.role_changed")
    assert entry.payload == {"before": "member", "after": "board_member"}


def test_a_facilitator_cannot_make_themselves_admin(client_for, network, facilitator):
    membership = Membership.objects.get(person=facilitator, network=network)
    url = reverse("people:change_role", kwargs={"network_slug": network.slug, "membership_id": membership.pk})
    response = client_for(facilitator).post(url, {"role": "admin"})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.FACILITATOR


def test_an_unknown_role_changes_nothing(client_for, network, patient):
    admin = member(network, "nhs", role=Role.ADMIN).person
    membership = Membership.objects.get(person=patient, network=network)
    url = reverse("people:change_role", kwargs={"network_slug": network.slug, "membership_id": membership.pk})
    client_for(admin).post(url, {"role": "emperor"})
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER
    assert not RecordEntry.objects.filter(action="people.membership.role_changed").exists()


def test_the_members_page_lists_members_for_facilitators(client_for, network, facilitator, patient,
                                                         django_assert_max_num_queries):
    for _ in range(5):
        member(network, "academia")
    signed_in = client_for(facilitator)
    with django_assert_max_num_queries(10):
        response = signed_in.get(reverse("people:members", kwargs={"network_slug": network.slug}))
    assert response.status_code == 200
    assert patient.display_name in response.content.decode()
