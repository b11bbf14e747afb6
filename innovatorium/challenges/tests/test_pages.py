from __future__ import annotations

import re

import pytest
from django.urls import reverse

from innovatorium.challenges import services
from innovatorium.challenges.models import Challenge, ChallengeSupport
from innovatorium.factories import member


def _raise_url(network):
    return reverse("challenges:raise", kwargs={"network_slug": network.slug})


def test_the_raise_form_is_written_for_a_phone(client_for, patient, network):
    response = client_for(patient).get(_raise_url(network))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="viewport" content="width=device-width' in html
    assert "What is the problem, in a few words?" in html
    assert 'data-module="nhsuk-character-count" data-maxlength="200"' in html
    assert 'data-maxlength="5000"' in html
    assert 'inputmode="numeric"' in html
    assert "Roughly how many people? (optional)" in html
    assert '<option value="schools">' in html and '<option value="dementia">' in html
    assert "Patients and public" in html  # says which group it will show, not the person's name
    assert " maxlength=" not in html  # the count warns; the browser never silently cuts text off


def test_a_patient_raises_a_need_from_the_form(client_for, patient, network):
    response = client_for(patient).post(_raise_url(network), {
        "title": "Text the school nurse", "description": "Confidential advice by text.",
        "who_is_affected": "Pupils", "people_affected": "1200", "care_setting": "schools", "clinical_area": "",
    })
    challenge = Challenge.objects.get()
    assert response.status_code == 302 and response["Location"] == challenge.get_absolute_url()
    assert challenge.people_affected == 1200 and challenge.clinical_area is None
    assert challenge.raised_by == patient


def test_empty_and_oversized_fields_give_clear_field_errors(client_for, patient, network):
    response = client_for(patient).post(_raise_url(network), {
        "title": "", "description": "x" * 5001, "people_affected": "lots", "care_setting": "the-moon",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Give your need a short title." in html
    assert "Keep this to 5,000 characters or fewer. It has 5,001." in html
    assert "Enter a whole number, like 500, or leave it empty." in html
    assert "Choose a place from the list" in html
    assert 'aria-describedby="id_title-info id_title-hint id_title-error"' in html
    assert "x" * 5001 in html  # what they wrote is kept for them to shorten
    assert not Challenge.objects.exists()


def test_html_in_a_need_is_shown_escaped(client, network, patient):
    challenge = services.challenge_raise(
        network=network, actor=patient, title="<b>Bold</b> nurse", description="<script>alert('x')</script>",
    )
    detail = client.get(challenge.get_absolute_url()).content.decode()
    listing = client.get(reverse("challenges:list", kwargs={"network_slug": network.slug})).content.decode()
    for html in (detail, listing):
        assert "<script>alert" not in html and "<b>Bold</b>" not in html
        assert "&lt;b&gt;Bold&lt;/b&gt; nurse" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in detail


def test_a_non_member_is_told_to_join_before_raising(client_for, other_admin, network):
    response = client_for(other_admin).get(_raise_url(network))
    assert response.status_code == 200
    assert "Join Test Region first" in response.content.decode()
    assert reverse("networks:join", kwargs={"network_slug": network.slug}) in response.content.decode()


def test_the_challenge_page_shows_support_per_constituency_and_a_support_button(client_for, challenge, industry_member):
    services.challenge_support(challenge=challenge, actor=industry_member)
    html = client_for(member(challenge.network, "patients-public").person).get(challenge.get_absolute_url())
    html = html.content.decode()
    assert re.search(r'data-constituency="industry">\s*<td[^>]*>Industry</td>\s*<td[^>]*>1</td>', html)
    assert re.search(r'data-constituency="nhs">\s*<td[^>]*>NHS</td>\s*<td[^>]*>0</td>', html)
    assert "Support this need</button>" in html
    assert 'hx-post="' in html and 'hx-target="#support-panel"' in html
    assert "Raised by</dt>" in html and "A member of Patients and public" in html


def test_supporting_without_javascript_redirects_back(client_for, challenge, industry_member):
    client = client_for(industry_member)
    response = client.post(reverse("challenges:support", args=[challenge.network.slug, challenge.slug]))
    assert response.status_code == 302 and response["Location"] == challenge.get_absolute_url()
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "Thank you: you support this need." in html
    assert "Withdraw my support</button>" in html
    response = client.post(reverse("challenges:support", args=[challenge.network.slug, challenge.slug]))
    assert "already support" in client.get(response["Location"]).content.decode()
    assert ChallengeSupport.objects.count() == 1


def test_supporting_with_htmx_swaps_only_the_support_panel(client_for, challenge, industry_member):
    client = client_for(industry_member)
    response = client.post(
        reverse("challenges:support", args=[challenge.network.slug, challenge.slug]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="support-panel"')
    assert "<html" not in html
    assert "Withdraw my support" in html and 'id="support-total">1<' in html
    response = client.post(
        reverse("challenges:withdraw", args=[challenge.network.slug, challenge.slug]), HTTP_HX_REQUEST="true"
    )
    assert 'id="support-total">0<' in response.content.decode()


def test_a_non_member_who_supports_is_sent_to_join(client_for, challenge, other_admin):
    response = client_for(other_admin).post(
        reverse("challenges:support", args=[challenge.network.slug, challenge.slug])
    )
    assert response["Location"] == reverse("networks:join", kwargs={"network_slug": challenge.network.slug})
    assert not ChallengeSupport.objects.exists()


def test_the_anonymous_visitor_is_asked_to_sign_in_to_support(client, challenge):
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "Sign in to support this need" in html
    response = client.post(reverse("challenges:support", args=[challenge.network.slug, challenge.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_status_history_and_responses_come_from_the_record(client_for, challenge, facilitator):
    client = client_for(facilitator)
    url = reverse("challenges:status", args=[challenge.network.slug, challenge.slug])
    response = client.post(url, {"status": "closed", "reason": ""})
    assert "Say why this need is being closed" in response.content.decode()
    client.post(url, {"status": "being_prioritised", "reason": "Workshop in May"})
    client.post(reverse("challenges:respond", args=[challenge.network.slug, challenge.slug]),
                {"text": "We will discuss <this> in May."})
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "Status changed to being prioritised, because: Workshop in May" in html
    assert "We will discuss &lt;this&gt; in May." in html
    assert "Change its status" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=closed", "Closed one", "Open one"),
        ("care_setting=schools", "Open one", "Closed one"),
        ("clinical_area=dementia", "Closed one", "Open one"),
        ("q=nurse", "Open one", "Closed one"),
        ("status=nonsense", "Open one", "nothing hidden"),  # unknown filter values are ignored
    ],
)
def test_the_list_filters_without_javascript(client, network, patient, facilitator, query, shown, hidden):
    services.challenge_raise(network=network, actor=patient, title="Open one", description="A school nurse.",
                             care_setting="schools")
    closed = services.challenge_raise(network=network, actor=patient, title="Closed one",
                                      description="Memory clinic.", clinical_area="dementia")
    services.challenge_set_status(challenge=closed, actor=facilitator, status="closed", reason="Done")
    html = client.get(reverse("challenges:list", kwargs={"network_slug": network.slug}) + "?" + query)
    html = html.content.decode()
    assert shown in html
    assert hidden not in html


def test_the_list_page_makes_a_fixed_number_of_queries(client, network, patient, django_assert_max_num_queries):
    people = [member(network, kind).person for kind in ("patients-public", "nhs", "industry", "academia")]
    for n in range(25):
        challenge = services.challenge_raise(network=network, actor=patient, title=f"Need number {n}",
                                             description="Something to fix.", care_setting="community")
        for person in people[: n % 5]:
            services.challenge_support(challenge=challenge, actor=person)
    url = reverse("challenges:list", kwargs={"network_slug": network.slug})
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    assert "25 needs" in response.content.decode()
    with django_assert_max_num_queries(9):  # the search app: its index-version token, ranked hits, count, facets
        response = client.get(url + "?q=need+number&status=open")
    assert "25 needs match your filters" in response.content.decode()
    with django_assert_max_num_queries(6):
        response = client.get(url + "?page=2")
    assert "Need number 0<" in response.content.decode()
