from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from innovatorium.challenges import services as challenges
from innovatorium.exchange import selectors, services
from innovatorium.exchange.models import Introduction
from innovatorium.exchange.tests.conftest import publish

pytestmark = pytest.mark.django_db


def test_the_innovation_that_meets_the_need_comes_first_with_its_reasons(need, atlas_items):
    matches = selectors.matches_for_challenge(challenge=need)
    assert matches[0].innovation == atlas_items["text"]
    reasons = matches[0].matched_on
    assert "words “" in reasons and "“nurse”" in reasons and "“school”" in reasons
    assert "clinical area (Children and young people)" in reasons
    assert "care setting (Schools and young people's services)" in reasons
    assert "stage (spreading)" in reasons
    assert "region (Test Region)" in reasons


def test_innovations_sharing_nothing_with_the_need_are_not_candidates(need, atlas_items):
    names = [m.innovation.name for m in selectors.matches_for_challenge(challenge=need)]
    assert "Pulse check" not in names


def test_words_alone_find_an_innovation_in_another_area(network, patient, atlas_items):
    need = challenges.challenge_raise(network=network, actor=patient, title="Strokes from undetected fibrillation",
                                      description="Nobody checks our pulse, so atrial fibrillation is missed.")
    matches = selectors.matches_for_challenge(challenge=need)
    assert matches[0].innovation == atlas_items["af"]
    assert "“fibrillation”" in matches[0].matched_on
    assert "region" not in matches[0].matched_on  # Pulse check comes from another network


def test_drafts_are_never_matched(need, network, facilitator, atlas_items):
    from innovatorium.atlas import services as atlas

    atlas.innovation_create(network=network, actor=facilitator, name="Secret school nurse texting",
                            summary="Young people text the school nurse.", innovation_type="digital",
                            care_settings=["schools"], clinical_areas=["children"])
    assert "Secret school nurse texting" not in [m.innovation.name for m in selectors.matches_for_challenge(
        challenge=need)]


def test_an_innovation_finds_the_open_needs_it_could_meet(need, atlas_items, network, patient, facilitator):
    closed = challenges.challenge_raise(network=network, actor=patient, title="School nurse texting closed",
                                        description="Teenagers text the school nurse.", care_setting="schools")
    challenges.challenge_set_status(challenge=closed, actor=facilitator, status="closed", reason="Done.")
    matches = selectors.matches_for_innovation(innovation=atlas_items["text"])
    assert [m.challenge for m in matches] == [need]
    assert "clinical area (Children and young people)" in matches[0].matched_on


def test_matching_takes_a_fixed_number_of_queries_however_many_candidates(
    need, atlas_items, network, facilitator, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14) as few:  # each word's search first reads the index-version token
        selectors.matches_for_challenge(challenge=need)
    for n in range(15):
        publish(network, facilitator, f"School nurse service {n}", "Pupils text a school nurse.",
                settings=["schools"], areas=["children"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        matches = selectors.matches_for_challenge(challenge=need)
    assert len(matches) == 10
    innovation = selectors.published_innovations().get(pk=atlas_items["text"].pk)  # terms prefetched, as pages do
    with django_assert_max_num_queries(14):
        selectors.matches_for_innovation(innovation=innovation)


def test_innovators_speak_only_for_their_own_published_innovations(innovator, atlas_items, patient):
    assert list(selectors.innovations_for_innovator(person=innovator)) == [atlas_items["text"]]
    assert not selectors.innovations_for_innovator(person=patient).exists()
    assert not selectors.innovations_for_innovator(person=None).exists()


def test_the_dashboard_shows_needs_without_offers_and_quiet_introductions(
    need, atlas_items, network, patient, facilitator, other_network, innovator
):
    offered = challenges.challenge_raise(network=network, actor=patient, title="Offered need",
                                         description="Something an innovator offered to meet.")
    services.interest_express(challenge=offered, innovation=atlas_items["text"], actor=innovator)
    introduced = challenges.challenge_raise(network=network, actor=patient, title="Introduced need",
                                            description="Something a facilitator brokered.")
    quiet = services.introduction_propose(challenge=introduced, innovation=atlas_items["af"], actor=facilitator)
    fresh = services.introduction_propose(challenge=introduced, innovation=atlas_items["text"], actor=facilitator)
    Introduction.objects.filter(pk=quiet.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=31))
    board = selectors.exchange_dashboard(network=network)
    assert board.needs_without_offers == [need]
    assert board.gone_quiet == [quiet]
    assert set(board.recent) == {quiet, fresh}
    assert selectors.exchange_dashboard(network=other_network).recent == []


def test_an_introductions_history_comes_from_the_record(need, atlas_items, facilitator):
    intro = services.introduction_propose(challenge=need, innovation=atlas_items["text"], actor=facilitator)
    services.introduction_advance(introduction=intro, actor=facilitator, status="declined", reason="No budget.")
    history = selectors.introduction_history(introduction=intro)
    assert [(h.label, h.reason) for h in history] == [("Proposed", ""), ("Declined", "No budget.")]
