from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from innovatorium.atlas import services
from innovatorium.atlas.models import PublicationStatus
from innovatorium.record.models import RecordEntry


def test_the_national_atlas_lists_published_innovations_and_never_drafts(client, published, draft):
    response = client.get(reverse("atlas:search"))
    assert response.status_code == 200
    assert "ChatHealth school nurse texting" in response.content.decode()
    assert "Secret draft gadget" not in response.content.decode()


def test_searching_finds_an_innovation_by_a_word_in_it(client, published):
    response = client.get(reverse("atlas:search"), {"q": "nurse"})
    assert "ChatHealth school nurse texting" in response.content.decode()
    response = client.get(reverse("atlas:search"), {"q": "zebra"})
    assert "ChatHealth school nurse texting" not in response.content.decode()


def test_facet_filters_work_as_a_plain_get_form(client, published):
    page = client.get(reverse("atlas:search")).content.decode()
    assert 'name="stage" type="checkbox" value="adoption"' in page
    assert "ChatHealth" in client.get(reverse("atlas:search"), {"stage": "adoption"}).content.decode()
    assert "ChatHealth" not in client.get(reverse("atlas:search"), {"stage": "idea"}).content.decode()


def test_an_htmx_request_gets_only_the_results_partial(client, published):
    response = client.get(reverse("atlas:search"), {"q": "nurse"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "ChatHealth" in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_the_search_box_updates_results_as_you_type(client, network):
    page = client.get(reverse("atlas:network", args=[network.slug])).content.decode()
    assert 'hx-trigger="keyup changed delay:300ms' in page
    assert 'hx-target="#atlas-results"' in page


def test_the_network_atlas_shows_only_that_networks_innovations(client, published, other_network):
    assert "ChatHealth" in client.get(reverse("atlas:network", args=[published.network.slug])).content.decode()
    assert "ChatHealth" not in client.get(reverse("atlas:network", args=[other_network.slug])).content.decode()


def test_the_search_page_takes_a_bounded_number_of_queries(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        client.get(reverse("atlas:search"), {"q": "nurse", "stage": "adoption"})


def test_the_innovation_page_shows_everything_the_atlas_records(client, published):
    page = client.get(published.get_absolute_url()).content.decode()
    for text in ["Young people find it hard", "A secure messaging service", "More young people get help early",
                 "Digital", "Being adopted", "Schools and young people", "Children and young people",
                 "Evaluation of school nurse texting", "Service evaluation", "Independent", "Meets DTAC",
                 "£2,000 a year", "Test Health NHS Trust", "Youth Panel", "Patients and public",
                 "Tested the service", "Published to the Atlas", "Change history"]:
        assert text in page, text


def test_a_draft_is_not_found_by_the_public_or_other_members(client, client_for, draft, patient):
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client_for(patient).get(draft.get_absolute_url()).status_code == 404


def test_a_draft_is_visible_to_its_author_and_the_networks_facilitators(client_for, draft, industry_member,
                                                                         facilitator, other_admin):
    assert client_for(industry_member).get(draft.get_absolute_url()).status_code == 200
    assert client_for(facilitator).get(draft.get_absolute_url()).status_code == 200
    assert client_for(other_admin).get(draft.get_absolute_url()).status_code == 404


def test_html_in_an_innovation_is_shown_as_text(client, network, facilitator):
    innovation = services.innovation_create(
        network=network, actor=facilitator, name="<script>alert(1)</script> app", summary="<b>bold</b> claim",
        innovation_type="digital",
    )
    services.innovation_publish(innovation=innovation, actor=facilitator)
    page = client.get(innovation.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; app" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    for params in ({}, {"q": "app"}):  # the result cards: the summary when browsing, a snippet when searching
        listed = client.get(reverse("atlas:search"), params).content.decode()
        assert "<script>alert(1)</script>" not in listed and "<b>bold</b>" not in listed
        assert "&lt;script&gt;alert(1)&lt;/script&gt; app" in listed
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in client.get(reverse("atlas:search")).content.decode()


def test_the_innovation_page_takes_a_bounded_number_of_queries(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(published.get_absolute_url())


def test_a_facilitator_publishes_from_the_review_queue(client_for, network, facilitator, draft, industry_member):
    services.innovation_submit(innovation=draft, actor=industry_member)
    client = client_for(facilitator)
    queue = client.get(reverse("atlas:review", args=[network.slug])).content.decode()
    assert "Secret draft gadget" in queue
    response = client.post(reverse("atlas:publish", args=[network.slug, draft.slug]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED
    assert RecordEntry.objects.filter(action="atlas.innovation.published", object_id=str(draft.pk)).exists()


def test_members_and_other_networks_staff_cannot_review_or_publish(client_for, network, draft, patient,
                                                                    other_admin):
    for person in (patient, other_admin):
        client = client_for(person)
        assert client.get(reverse("atlas:review", args=[network.slug])).status_code == 403
        assert client.post(reverse("atlas:publish", args=[network.slug, draft.slug])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT


def test_the_anonymous_visitor_is_sent_to_sign_in_for_the_review_queue(client, network):
    response = client.get(reverse("atlas:review", args=[network.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_facilitator_changes_the_stage_and_it_shows_in_the_public_history(client, client_for, published,
                                                                             facilitator):
    url = reverse("atlas:stage", args=[published.network.slug, published.slug])
    response = client_for(facilitator).post(url, {"stage": "spread", "reason": "Now used by six trusts"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.stage == "spread"
    client.logout()
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Stage changed from Being adopted to Spreading" in page
    assert "Now used by six trusts" in page


def test_an_unknown_stage_is_refused_with_a_message(client_for, published, facilitator):
    url = reverse("atlas:stage", args=[published.network.slug, published.slug])
    response = client_for(facilitator).post(url, {"stage": "world-domination"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    published.refresh_from_db()
    assert published.stage == "adoption"


def test_a_member_cannot_change_the_stage(client_for, published, patient):
    url = reverse("atlas:stage", args=[published.network.slug, published.slug])
    assert client_for(patient).post(url, {"stage": "idea"}).status_code == 403


def test_a_case_study_page_shows_what_was_done_and_links_the_innovation(client, network, facilitator, published):
    case_study = services.case_study_create(
        network=network, actor=facilitator, title="Texting nurses in Leeds schools", what_was_done="Rolled out.",
        impact="Twice as many contacts.", innovation=published, publish=True,
    )
    page = client.get(case_study.get_absolute_url()).content.decode()
    assert "Rolled out." in page and "Twice as many contacts." in page
    assert published.get_absolute_url() in page


def test_a_draft_case_study_is_hidden_from_the_public(client, client_for, network, facilitator):
    case_study = services.case_study_create(network=network, actor=facilitator, title="Unfinished",
                                            what_was_done="Work in progress.")
    assert client.get(case_study.get_absolute_url()).status_code == 404
    assert "Unfinished" not in client.get(reverse("atlas:case_studies")).content.decode()
    assert client_for(facilitator).get(case_study.get_absolute_url()).status_code == 200


def test_an_innovation_cannot_take_a_slug_the_atlas_uses_for_its_own_pages(network, facilitator):
    innovation = services.innovation_create(network=network, actor=facilitator, name="Case studies",
                                            summary="An unlucky name.", innovation_type="social")
    assert innovation.slug != "case-studies"


def test_search_results_highlight_the_words_that_matched(client, published):
    page = client.get(reverse("atlas:search"), {"q": "nurse"}).content.decode()
    assert "<mark>" in page


def test_an_innovations_link_is_what_reverse_gives_under_any_script_prefix(published):
    from django.urls import set_script_prefix

    from innovatorium.atlas.models import Innovation

    innovation = Innovation.objects.select_related("network").get(pk=published.pk)
    expected = reverse("atlas:innovation", kwargs={"network_slug": innovation.network.slug,
                                                   "innovation_slug": innovation.slug})
    assert innovation.get_absolute_url() == expected
    try:
        set_script_prefix("/innovatorium/")
        assert innovation.get_absolute_url() == "/innovatorium" + expected
    finally:
        set_script_prefix("/")
    innovation.slug = "ünïcode-slug"  # not a slug the URL accepts: reverse() decides, as before, and refuses it
    with pytest.raises(NoReverseMatch):
        innovation.get_absolute_url()
