"""People services: joining, verification, organisations, profiles and erasure."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from innovatorium.factories import OrganisationFactory, PersonFactory, member
from innovatorium.people import services
from innovatorium.people.models import (
    Membership,
    Organisation,
    OrganisationType,
    Person,
    Role,
    User,
    Verification,
    validate_ods_code,
)
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify


def _entries(action: str) -> list[RecordEntry]:
    return list(RecordEntry.objects.filter(action=action).order_by("sequence"))


# --- joining a network -----------------------------------------------------------------------------------

def test_joining_as_a_patient_counts_straight_away(network):
    person = PersonFactory()
    membership = services.membership_join(
        person=person, network=network, constituency=network.constituencies.get(slug="patients-public")
    )
    assert membership.verification == Verification.NOT_REQUIRED
    assert membership.is_counted
    [entry] = _entries("people.membership.joined")
    assert entry.network == network
    assert entry.actor_pseudonym == person.pseudonym
    assert entry.payload == {"constituency": "patients-public", "verification": "not_required"}


def test_joining_a_constituency_that_needs_checking_waits_for_a_facilitator(network):
    membership = services.membership_join(
        person=PersonFactory(), network=network, constituency=network.constituencies.get(slug="nhs"),
        organisation=OrganisationFactory(),
    )
    assert membership.verification == Verification.PENDING
    assert not membership.is_counted


def test_it_rejects_a_second_join_and_writes_nothing(network):
    person = PersonFactory()
    patients = network.constituencies.get(slug="patients-public")
    services.membership_join(person=person, network=network, constituency=patients)
    entries_before = RecordEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.membership_join(person=person, network=network, constituency=network.constituencies.get(slug="nhs"))
    assert caught.value.message_dict == {"network": [f"You are already a member of {network.name}."]}
    assert Membership.objects.filter(person=person).count() == 1
    assert Membership.objects.get(person=person).constituency == patients, "the first join is untouched"
    assert RecordEntry.objects.count() == entries_before


def test_it_rejects_a_constituency_of_another_network(network, other_network):
    person = PersonFactory()
    with pytest.raises(ValidationError) as caught:
        services.membership_join(
            person=person, network=network, constituency=other_network.constituencies.get(slug="patients-public")
        )
    assert "constituency" in caught.value.message_dict
    assert f"not a constituency of {network.name}" in caught.value.message_dict["constituency"][0]
    assert not Membership.objects.filter(person=person).exists()
    assert not RecordEntry.objects.exists()


def test_it_rejects_a_constituency_closed_to_new_members(network):
    closed = network.constituencies.get(slug="academia")
    closed.is_active = False
    closed.save()
    with pytest.raises(ValidationError) as caught:
        services.membership_join(person=PersonFactory(), network=network, constituency=closed)
    assert "is not taking new members" in caught.value.message_dict["constituency"][0]
    assert not Membership.objects.exists()


def test_a_person_may_join_several_networks(network, other_network):
    person = PersonFactory()
    for n in (network, other_network):
        services.membership_join(person=person, network=n, constituency=n.constituencies.get(slug="vcse"))
    assert set(person.memberships.values_list("network__slug", flat=True)) == {network.slug, other_network.slug}


# --- verification ----------------------------------------------------------------------------------------

@pytest.fixture
def pending(network):
    return member(network, "nhs", verification=Verification.PENDING)


def test_a_facilitator_verifies_a_declaration_on_the_record(facilitator, pending):
    services.membership_verify(membership=pending, actor=facilitator, approve=True)
    pending.refresh_from_db()
    assert pending.verification == Verification.VERIFIED
    assert pending.verified_by == facilitator
    assert pending.verified_at is not None
    assert pending.is_counted
    [entry] = _entries("people.membership.verified")
    assert entry.actor_pseudonym == facilitator.pseudonym
    assert entry.object_id == str(pending.pk)
    assert entry.payload == {"constituency": "nhs"}
    assert record_verify().ok


def test_a_facilitator_must_say_why_a_declaration_cannot_be_verified(facilitator, pending):
    with pytest.raises(ValidationError) as caught:
        services.membership_verify(membership=pending, actor=facilitator, approve=False, note="  ")
    assert "note" in caught.value.message_dict
    pending.refresh_from_db()
    assert pending.verification == Verification.PENDING
    services.membership_verify(membership=pending, actor=facilitator, approve=False, note="Not at that trust")
    pending.refresh_from_db()
    assert pending.verification == Verification.REJECTED
    assert pending.verification_note == "Not at that trust"
    assert len(_entries("people.membership.rejected")) == 1


def test_another_networks_admin_cannot_verify(other_admin, pending):
    with pytest.raises(PermissionDenied):
        services.membership_verify(membership=pending, actor=other_admin, approve=True)
    pending.refresh_from_db()
    assert pending.verification == Verification.PENDING
    assert not _entries("people.membership.verified")


def test_a_plain_member_cannot_verify(patient, pending):
    with pytest.raises(PermissionDenied):
        services.membership_verify(membership=pending, actor=patient, approve=True)


def test_nobody_verifies_their_own_membership(network):
    facilitator = member(network, "nhs", role=Role.FACILITATOR, verification=Verification.PENDING)
    with pytest.raises(PermissionDenied, match="your own"):
        services.membership_verify(membership=facilitator, actor=facilitator.person, approve=True)
    facilitator.refresh_from_db()
    assert facilitator.verification == Verification.PENDING
    assert not _entries("people.membership.verified")


def test_a_declaration_that_needs_no_check_cannot_be_verified(facilitator, network):
    patient_membership = member(network, "patients-public")
    with pytest.raises(ValidationError):
        services.membership_verify(membership=patient_membership, actor=facilitator, approve=True)


def test_only_admins_change_roles(facilitator, network):
    admin = member(network, "nhs", role=Role.ADMIN).person
    target = member(network, "patients-public")
    with pytest.raises(PermissionDenied):
        services.membership_set_role(membership=target, actor=facilitator, role=Role.FACILITATOR)
    services.membership_set_role(membership=target, actor=admin, role=Role.BOARD_MEMBER)
    target.refresh_from_db()
    assert target.role == Role.BOARD_MEMBER
    [entry] = _entries("people.membership.role_changed")
    assert entry.payload == {"before": "member", "after": "board_member"}


def test_leaving_a_network_is_recorded(patient, network):
    membership = patient.memberships.get()
    services.membership_leave(membership=membership, actor=patient)
    assert not patient.memberships.exists()
    assert len(_entries("people.membership.left")) == 1


def test_nobody_leaves_on_someone_elses_behalf(patient, facilitator):
    with pytest.raises(PermissionDenied):
        services.membership_leave(membership=patient.memberships.get(), actor=facilitator)
    assert patient.memberships.exists()


# --- organisations and ODS codes -------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["12345", "AB", "ABCDEFG", "RJ-1", "R J1", "RJ1!", "ÅB1", "RJ1\n1"])
def test_a_bad_ods_code_is_rejected_on_its_field(db, code):
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(actor=None, name="A trust", type=OrganisationType.NHS_TRUST, ods_code=code)
    assert list(caught.value.message_dict) == ["ods_code"]
    assert "ODS code" in caught.value.message_dict["ods_code"][0]
    assert not Organisation.objects.exists()
    assert not RecordEntry.objects.exists()


def test_a_lower_case_ods_code_is_stored_in_capitals(db):
    organisation = services.organisation_create(
        actor=None, name="Leeds Teaching Hospitals", type=OrganisationType.NHS_TRUST, ods_code=" rr8 "
    )
    assert organisation.ods_code == "RR8"
    [entry] = _entries("people.organisation.created")
    assert entry.payload["ods_code"] == "RR8"


def test_an_organisation_without_an_ods_code_is_fine(db):
    assert services.organisation_create(actor=None, name="A start-up", type=OrganisationType.COMPANY).ods_code is None
    assert services.organisation_create(actor=None, name="Another", type=OrganisationType.COMPANY).ods_code is None


def test_an_ods_code_is_never_shared(db):
    services.organisation_create(actor=None, name="First", type=OrganisationType.GP_PRACTICE, ods_code="A81001")
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(actor=None, name="Second", type=OrganisationType.GP_PRACTICE, ods_code="a81001")
    assert "already belongs" in caught.value.message_dict["ods_code"][0]
    assert Organisation.objects.count() == 1


def test_every_problem_with_an_organisation_is_named_at_once(db):
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(actor=None, name=" ", type="spaceship", ods_code="1")
    assert set(caught.value.message_dict) == {"name", "type", "ods_code"}


@given(st.from_regex(r"\A[A-Z0-9]{3,6}\Z"))
def test_ods_codes_of_capitals_and_digits_with_a_letter_are_valid(code):
    if any(c.isalpha() for c in code):
        validate_ods_code(code)
    else:
        with pytest.raises(ValidationError):
            validate_ods_code(code)


_ODS_CHARACTERS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


@example("RJ1\n")
@given(st.text(max_size=8).filter(lambda s: not (3 <= len(s) <= 6 and set(s) <= _ODS_CHARACTERS)))
def test_anything_else_is_not_an_ods_code(text):
    # Includes "RJ1\n": a pattern ending in "$" would let a trailing newline through.
    with pytest.raises(ValidationError):
        validate_ods_code(text)


# --- profile and consent ---------------------------------------------------------------------------------

def test_a_name_is_shown_only_with_consent(db):
    person = PersonFactory(display_name="Asha Patel")
    assert person.public_name == person.pseudonym
    services.person_update_profile(
        person=person, display_name="Asha Patel", show_name_publicly=True, contact_consent=True, access_needs=""
    )
    person.refresh_from_db()
    assert person.public_name == "Asha Patel"
    assert person.contact_consent is True


def test_showing_a_name_needs_a_name(db):
    person = PersonFactory(display_name="")
    with pytest.raises(ValidationError) as caught:
        services.person_update_profile(
            person=person, display_name=" ", show_name_publicly=True, contact_consent=False, access_needs=""
        )
    assert "display_name" in caught.value.message_dict
    person.refresh_from_db()
    assert person.show_name_publicly is False


# --- erasure ---------------------------------------------------------------------------------------------

@pytest.fixture
def active_person(network):
    """Someone with a name on show, access needs, a membership, a declaration and record entries."""
    person = PersonFactory(display_name="Asha Patel", show_name_publicly=True, contact_consent=True,
                           access_needs="Step-free access")
    services.membership_join(person=person, network=network, constituency=network.constituencies.get(slug="vcse"))
    services.declaration_add(person=person, network=network, interest_type="financial",
                             description="Shares in a med-tech start-up", organisation_name="Acme Health")
    return person


def test_erasing_a_person_removes_their_personal_data(active_person):
    email = active_person.user.email
    user_pk = active_person.user.pk
    pseudonym = active_person.pseudonym
    services.person_erase(person=active_person)
    person = Person.objects.get(pk=active_person.pk)
    assert person.pseudonym == pseudonym, "the pseudonym stays, so the record still reads"
    assert (person.display_name, person.access_needs, person.show_name_publicly, person.contact_consent) == (
        "", "", False, False)
    assert person.user is None and person.erased_at is not None
    assert not User.objects.filter(pk=user_pk).exists()
    assert not User.objects.filter(email=email).exists()
    assert not person.memberships.exists() and not person.declarations.exists()
    assert person.public_name == pseudonym


def test_after_erasure_the_record_still_verifies_and_names_only_the_pseudonym(active_person):
    pseudonym = active_person.pseudonym
    before = RecordEntry.objects.filter(actor_pseudonym=pseudonym).count()
    services.person_erase(person=active_person)
    entries = RecordEntry.objects.filter(actor_pseudonym=pseudonym)
    assert entries.count() > before, "erasure and leaving are on the record too"
    assert not entries.filter(actor__isnull=False).exists(), "no link back to the (erased) person"
    assert record_verify().ok
    for entry in RecordEntry.objects.all():
        assert "Asha" not in str(entry.payload) and "Step-free" not in str(entry.payload)


def test_erasing_leaves_the_networks_counts_without_the_person(active_person, network):
    services.person_erase(person=active_person)
    assert not Membership.objects.filter(network=network, person=active_person).exists()
