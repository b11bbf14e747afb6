from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innovatorium.challenges import services
from innovatorium.challenges.models import ChallengeStatus, ChallengeSupport
from innovatorium.factories import PersonFactory, member
from innovatorium.people.models import Verification
from innovatorium.record.models import RecordEntry


def _raise(network, person, **overrides):
    fields = {"title": "Text the school nurse", "description": "Young people want confidential advice."}
    fields.update(overrides)
    return services.challenge_raise(network=network, actor=person, **fields)


def test_a_member_raises_a_challenge_carrying_their_constituency(network, patient):
    challenge = _raise(network, patient, care_setting="schools", clinical_area="children", people_affected=300)
    assert challenge.raiser_constituency.slug == "patients-public"
    assert challenge.status == ChallengeStatus.OPEN
    assert challenge.care_setting.slug == "schools"
    assert challenge.slug == "text-the-school-nurse"


def test_raising_goes_on_the_record_without_personal_data(network, patient):
    challenge = _raise(network, patient, description="My name is Jane Doe and I live at 1 High Street.")
    entry = RecordEntry.objects.get(action="challenges.challenge.raised")
    assert entry.object_id == str(challenge.pk)
    assert entry.actor_pseudonym == patient.pseudonym
    payload = str(entry.payload)
    assert "Jane" not in payload and patient.display_name not in payload
    assert entry.payload["constituency"] == "patients-public"


def test_a_non_member_is_told_to_join_first(network, other_admin):
    with pytest.raises(services.NotAMember, match="Join Test Region first"):
        _raise(network, other_admin)


def test_a_member_waiting_for_verification_cannot_raise_yet(network):
    pending = member(network, "nhs", verification=Verification.PENDING).person
    with pytest.raises(services.NotAMember, match="not yet confirmed"):
        _raise(network, pending)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "Hi"}, "title"),
        ({"description": ""}, "description"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 5001}, "description"),
        ({"who_is_affected": "x" * 301}, "who_is_affected"),
        ({"people_affected": 0}, "people_affected"),
        ({"care_setting": "the-moon"}, "care_setting"),
        ({"clinical_area": "care-homes"}, "clinical_area"),  # a care setting, not a clinical area
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_written(network, patient, overrides, field):
    with pytest.raises(ValidationError) as caught:
        _raise(network, patient, **overrides)
    assert field in caught.value.message_dict
    assert not network.challenges.exists()
    assert not RecordEntry.objects.filter(action__startswith="challenges.").exists()


def test_html_is_stored_as_typed(network, patient):
    challenge = _raise(network, patient, title="<script>alert(1)</script> nurse")
    assert challenge.title == "<script>alert(1)</script> nurse"


def test_slugs_stay_unique_within_a_network_and_avoid_the_raise_page(network, patient):
    assert _raise(network, patient).slug == "text-the-school-nurse"
    assert _raise(network, patient).slug == "text-the-school-nurse-2"
    assert _raise(network, patient, title="Raise").slug == "raise-need"


def test_a_member_supports_once_counted_in_their_constituency(challenge, industry_member):
    support = services.challenge_support(challenge=challenge, actor=industry_member)
    assert support.constituency.slug == "industry"
    with pytest.raises(ValidationError, match="already support"):
        services.challenge_support(challenge=challenge, actor=industry_member)
    assert ChallengeSupport.objects.filter(challenge=challenge).count() == 1


def test_withdrawing_support_removes_it_and_is_recorded(challenge, industry_member):
    services.challenge_support(challenge=challenge, actor=industry_member)
    services.challenge_withdraw_support(challenge=challenge, actor=industry_member)
    assert not ChallengeSupport.objects.exists()
    entry = RecordEntry.objects.get(action="challenges.challenge.support_withdrawn")
    assert entry.payload == {"challenge": challenge.slug, "constituency": "industry"}
    with pytest.raises(ValidationError, match="nothing to withdraw"):
        services.challenge_withdraw_support(challenge=challenge, actor=industry_member)


def test_a_non_member_cannot_support(challenge, other_admin):
    with pytest.raises(services.NotAMember):
        services.challenge_support(challenge=challenge, actor=other_admin)


def test_closing_needs_a_reason(challenge, facilitator):
    with pytest.raises(ValidationError) as caught:
        services.challenge_set_status(challenge=challenge, actor=facilitator, status="closed", reason="  ")
    assert "reason" in caught.value.message_dict
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.OPEN


def test_a_status_change_and_its_reason_go_on_the_record(challenge, facilitator):
    services.challenge_set_status(challenge=challenge, actor=facilitator, status="closed", reason="Duplicate")
    challenge.refresh_from_db()
    assert challenge.closed_reason == "Duplicate"
    entry = RecordEntry.objects.get(action="challenges.challenge.status_changed")
    assert entry.payload == {"challenge": challenge.slug, "before": "open", "after": "closed", "reason": "Duplicate"}
    services.challenge_set_status(challenge=challenge, actor=facilitator, status="open")
    challenge.refresh_from_db()
    assert challenge.closed_reason == ""


def test_a_closed_need_takes_no_more_support(challenge, facilitator, industry_member):
    services.challenge_set_status(challenge=challenge, actor=facilitator, status="closed", reason="Duplicate")
    with pytest.raises(ValidationError, match="closed"):
        services.challenge_support(challenge=challenge, actor=industry_member)


def test_unknown_status_is_refused(challenge, facilitator):
    with pytest.raises(ValidationError):
        services.challenge_set_status(challenge=challenge, actor=facilitator, status="done")


def test_only_the_networks_own_facilitators_change_status_or_respond(challenge, patient, other_admin):
    for person in (patient, other_admin):
        with pytest.raises(PermissionDenied):
            services.challenge_set_status(challenge=challenge, actor=person, status="matched")
        with pytest.raises(PermissionDenied):
            services.facilitator_respond(challenge=challenge, actor=person, text="Hello")


def test_a_facilitator_responds_in_public(challenge, facilitator):
    response = services.facilitator_respond(challenge=challenge, actor=facilitator, text="  On our agenda.  ")
    assert response.text == "On our agenda."
    with pytest.raises(ValidationError):
        services.facilitator_respond(challenge=challenge, actor=facilitator, text="")
    with pytest.raises(ValidationError):
        services.facilitator_respond(challenge=challenge, actor=facilitator, text="x" * 5001)
    assert RecordEntry.objects.filter(action="challenges.challenge.responded").count() == 1


def test_a_person_without_any_membership_is_refused(challenge, db):
    with pytest.raises(services.NotAMember):
        services.challenge_support(challenge=challenge, actor=PersonFactory())
