from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innovatorium.atlas import services as atlas
from innovatorium.atlas.models import CoProducer
from innovatorium.challenges import services as challenges
from innovatorium.exchange import services
from innovatorium.exchange.models import ExpressionOfInterest, Introduction
from innovatorium.factories import PersonFactory
from innovatorium.record.models import RecordEntry

pytestmark = pytest.mark.django_db


def _entries(action):
    return list(RecordEntry.objects.filter(action=action))


def test_an_innovator_from_the_owner_organisation_offers_an_innovation_once(need, atlas_items, innovator):
    interest = services.interest_express(challenge=need, innovation=atlas_items["text"], actor=innovator,
                                         message="We run this in 40 schools.")
    assert interest.person == innovator
    with pytest.raises(ValidationError, match="already been offered"):
        services.interest_express(challenge=need, innovation=atlas_items["text"], actor=innovator)
    assert ExpressionOfInterest.objects.count() == 1
    [entry] = _entries("exchange.interest.expressed")
    assert entry.payload == {"challenge": need.slug, "challenge_network": "test-region",
                             "innovation": atlas_items["text"].slug, "innovation_network": "test-region"}
    assert entry.actor_pseudonym == innovator.pseudonym


def test_the_record_holds_no_personal_data_or_message(need, atlas_items, innovator):
    services.interest_express(challenge=need, innovation=atlas_items["text"], actor=innovator,
                              message="Call Jane on 07700 900000")
    payload = str(_entries("exchange.interest.expressed")[0].payload)
    assert "Jane" not in payload and innovator.user.email not in payload


def test_someone_unconnected_to_the_innovation_cannot_offer_it(need, atlas_items, patient, industry_member):
    for person in (patient, industry_member):
        with pytest.raises(PermissionDenied):
            services.interest_express(challenge=need, innovation=atlas_items["text"], actor=person)
    assert not ExpressionOfInterest.objects.exists()


def test_creators_and_co_producers_count_as_innovators(need, atlas_items, facilitator, industry_member):
    # The facilitator created the dementia record in the fixtures; the industry member co-produces it.
    services.interest_express(challenge=need, innovation=atlas_items["dementia"], actor=facilitator)
    CoProducer.objects.create(innovation=atlas_items["text"], person=industry_member, constituency_kind="industry",
                              role="Developer")
    services.interest_express(challenge=need, innovation=atlas_items["text"], actor=industry_member)
    assert ExpressionOfInterest.objects.count() == 2


def test_a_person_with_no_membership_is_not_an_innovator(need, atlas_items):
    stranger = PersonFactory()
    CoProducer.objects.create(innovation=atlas_items["text"], person=stranger, constituency_kind="industry",
                              role="Developer")
    with pytest.raises(PermissionDenied):
        services.interest_express(challenge=need, innovation=atlas_items["text"], actor=stranger)


def test_a_closed_need_takes_no_offers(need, atlas_items, innovator, facilitator):
    challenges.challenge_set_status(challenge=need, actor=facilitator, status="closed", reason="Duplicate.")
    with pytest.raises(ValidationError, match="takes no more offers"):
        services.interest_express(challenge=need, innovation=atlas_items["text"], actor=innovator)


def test_an_oversized_message_is_refused(need, atlas_items, innovator):
    with pytest.raises(ValidationError):
        services.interest_express(challenge=need, innovation=atlas_items["text"], actor=innovator, message="x" * 2001)
    assert not ExpressionOfInterest.objects.exists()


def test_only_the_needs_own_facilitators_broker_introductions(need, atlas_items, patient, other_admin, innovator):
    for person in (patient, other_admin, innovator):
        with pytest.raises(PermissionDenied):
            services.introduction_propose(challenge=need, innovation=atlas_items["af"], actor=person)
    assert not Introduction.objects.exists()


def test_an_introduction_runs_from_proposed_to_adopted_and_matches_the_need(need, atlas_items, facilitator):
    intro = services.introduction_propose(challenge=need, innovation=atlas_items["text"], actor=facilitator)
    assert intro.status == "proposed"
    with pytest.raises(ValidationError, match="already exists"):
        services.introduction_propose(challenge=need, innovation=atlas_items["text"], actor=facilitator)
    first_activity = intro.last_activity_at
    for status in ("introduced", "in_discussion", "piloting", "adopted"):
        intro = services.introduction_advance(introduction=intro, actor=facilitator, status=status)
    assert intro.status == "adopted" and intro.last_activity_at >= first_activity
    need.refresh_from_db()
    assert need.status == "matched"
    changes = [e.payload["after"] for e in RecordEntry.objects.filter(object_type="exchange.introduction")
               .order_by("sequence")]
    assert changes == ["proposed", "introduced", "in_discussion", "piloting", "adopted"]
    assert _entries("challenges.challenge.status_changed")[0].payload["after"] == "matched"
    with pytest.raises(ValidationError, match="cannot change"):
        services.introduction_advance(introduction=intro, actor=facilitator, status="declined", reason="Late.")


def test_an_introduction_never_skips_or_goes_backwards(need, atlas_items, facilitator):
    intro = services.introduction_propose(challenge=need, innovation=atlas_items["text"], actor=facilitator)
    with pytest.raises(ValidationError, match="can only move to"):
        services.introduction_advance(introduction=intro, actor=facilitator, status="piloting")
    intro = services.introduction_advance(introduction=intro, actor=facilitator, status="introduced")
    with pytest.raises(ValidationError, match="can only move to"):
        services.introduction_advance(introduction=intro, actor=facilitator, status="proposed")
    intro.refresh_from_db()
    assert intro.status == "introduced"


def test_declining_needs_a_reason_that_everyone_sees(need, atlas_items, facilitator):
    intro = services.introduction_propose(challenge=need, innovation=atlas_items["text"], actor=facilitator)
    with pytest.raises(ValidationError, match="Say why"):
        services.introduction_advance(introduction=intro, actor=facilitator, status="declined", reason="  ")
    intro = services.introduction_advance(introduction=intro, actor=facilitator, status="declined",
                                          reason="The schools already use another service.")
    assert intro.declined_reason == "The schools already use another service."
    assert _entries("exchange.introduction.advanced")[0].payload["reason"] == intro.declined_reason
    need.refresh_from_db()
    assert need.status == "open"  # declining before the introduction was made does not match the need


def test_a_need_already_past_open_keeps_its_status_when_introduced(need, atlas_items, facilitator):
    challenges.challenge_set_status(challenge=need, actor=facilitator, status="in_co_production")
    intro = services.introduction_propose(challenge=need, innovation=atlas_items["text"], actor=facilitator)
    services.introduction_advance(introduction=intro, actor=facilitator, status="introduced")
    need.refresh_from_db()
    assert need.status == "in_co_production"


def test_unpublished_innovations_cannot_be_introduced(need, network, facilitator):
    draft = atlas.innovation_create(network=network, actor=facilitator, name="Draft thing", summary="Not yet.",
                                    innovation_type="device")
    with pytest.raises(ValidationError, match="published"):
        services.introduction_propose(challenge=need, innovation=draft, actor=facilitator)
