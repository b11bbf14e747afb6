from __future__ import annotations

import pytest
from django.urls import reverse

from innovatorium.exchange import services
from innovatorium.exchange.models import ExpressionOfInterest, Introduction

pytestmark = pytest.mark.django_db


def _propose_url(need):
    return reverse("exchange:propose", args=[need.network.slug, need.slug])


def test_anyone_sees_possible_innovations_with_what_they_matched_on_but_no_forms(client, need, atlas_items):
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Possible innovations" in page
    assert "School nurse texting" in page
    assert "Matched on:" in page and "clinical area (Children and young people)" in page
    assert "Propose an introduction" not in page
    assert "Offer your innovation" not in page
    assert "Sign in to offer it" in page


def test_a_patient_sees_matches_but_cannot_broker(client_for, need, atlas_items, patient):
    client = client_for(patient)
    page = client.get(need.get_absolute_url()).content.decode()
    assert "School nurse texting" in page and "Propose an introduction" not in page
    response = client.post(_propose_url(need), {"innovation": atlas_items["text"].pk})
    assert response.status_code == 403
    assert not Introduction.objects.exists()


def test_another_networks_admin_cannot_broker(client_for, need, atlas_items, other_admin):
    client = client_for(other_admin)
    assert "Propose an introduction" not in client.get(need.get_absolute_url()).content.decode()
    assert client.post(_propose_url(need), {"innovation": atlas_items["text"].pk}).status_code == 403
    assert client.get(reverse("exchange:dashboard", args=[need.network.slug])).status_code == 403


def test_a_facilitator_proposes_and_advances_an_introduction(client_for, need, atlas_items, facilitator):
    client = client_for(facilitator)
    assert "Propose an introduction" in client.get(need.get_absolute_url()).content.decode()
    response = client.post(_propose_url(need), {"innovation": atlas_items["text"].pk})
    intro = Introduction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange:introduction", args=[need.network.slug, intro.pk])
    advance = reverse("exchange:advance", args=[need.network.slug, intro.pk])
    page = client.post(advance, {"status": "declined", "reason": ""}).content.decode()
    assert "Say why the introduction was declined" in page
    assert client.post(advance, {"status": "introduced"}).status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Introduced" in page and "In discussion" in page  # the status, and the next step offered
    need.refresh_from_db()
    assert need.status == "matched"


def test_the_introduction_page_is_public_but_only_facilitators_move_it_on(client, client_for, need, atlas_items,
                                                                          facilitator, patient):
    intro = services.introduction_propose(challenge=need, innovation=atlas_items["text"], actor=facilitator,
                                          note="Private note for facilitators")
    url = reverse("exchange:introduction", args=[need.network.slug, intro.pk])
    page = client.get(url).content.decode()
    assert "Status history" in page and "Proposed" in page
    assert "Private note" not in page and "Move it on" not in page
    advance = reverse("exchange:advance", args=[need.network.slug, intro.pk])
    assert client.post(advance, {"status": "introduced"}).status_code == 302  # to sign in
    assert client_for(patient).post(advance, {"status": "introduced"}).status_code == 403
    intro.refresh_from_db()
    assert intro.status == "proposed"


def test_an_introduction_is_only_found_under_its_needs_network(client, need, atlas_items, facilitator, other_network):
    intro = services.introduction_propose(challenge=need, innovation=atlas_items["text"], actor=facilitator)
    assert client.get(reverse("exchange:introduction", args=[other_network.slug, intro.pk])).status_code == 404


def test_an_innovator_offers_their_innovation_from_the_need(client_for, need, atlas_items, innovator):
    client = client_for(innovator)
    assert "Offer your innovation for this need" in client.get(need.get_absolute_url()).content.decode()
    url = reverse("exchange:interest", args=[need.network.slug, need.slug])
    form = client.get(url).content.decode()
    assert "School nurse texting" in form and "Pulse check" not in form
    response = client.post(url, {"innovation": atlas_items["text"].pk, "message": "<b>We can help</b>"})
    assert response.status_code == 302
    assert ExpressionOfInterest.objects.get().message == "<b>We can help</b>"
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Offers from innovators" in page and "Offer your innovation for this need" not in page


def test_someone_cannot_offer_an_innovation_that_is_not_theirs(client_for, need, atlas_items, industry_member):
    client = client_for(industry_member)
    url = reverse("exchange:interest", args=[need.network.slug, need.slug])
    assert "You can offer an innovation once" in client.get(url).content.decode()
    page = client.post(url, {"innovation": atlas_items["af"].pk}).content.decode()
    assert "Choose one of your published innovations" in page
    assert not ExpressionOfInterest.objects.exists()


def test_facilitators_read_offer_messages_escaped(client_for, need, atlas_items, innovator, facilitator):
    services.interest_express(challenge=need, innovation=atlas_items["text"], actor=innovator,
                              message="<script>alert(1)</script>")
    page = client_for(facilitator).get(need.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_needs_an_innovation_could_meet_load_on_their_own_page_and_for_htmx(client, need, atlas_items):
    innovation = atlas_items["text"]
    page = client.get(innovation.get_absolute_url()).content.decode()
    url = reverse("exchange:innovation_needs", args=[innovation.network.slug, innovation.slug])
    assert "Needs it could meet" in page and url in page
    full = client.get(url).content.decode()
    assert need.title in full and "Matched on:" in full
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert need.title in fragment and "<html" not in fragment


def test_the_dashboard_is_for_the_networks_facilitators(client, client_for, need, facilitator, patient):
    url = reverse("exchange:dashboard", args=[need.network.slug])
    assert client.get(url).status_code == 302
    assert client_for(patient).get(url).status_code == 403
    page = client_for(facilitator).get(url).content.decode()
    assert "Open needs without offers" in page and need.title in page
    assert url in client_for(facilitator).get(reverse("people:facilitate")).content.decode()


def test_the_need_page_takes_a_bounded_number_of_queries(client, need, atlas_items, django_assert_max_num_queries):
    with django_assert_max_num_queries(24):  # 19 on SQLite, 21-22 on PostgreSQL (typo fallbacks): the need, its
        # support, matching (~10, each word's search reading the index-version token first), offers
        client.get(need.get_absolute_url())
