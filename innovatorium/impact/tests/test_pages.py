from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from innovatorium.atlas.models import Innovation
from innovatorium.factories import member
from innovatorium.impact import services
from innovatorium.impact.models import Measure, Observation, SurveyResponse, WeightVote
from innovatorium.impact.tests.conftest import SHIFT, series_csv

PERSONAS = ["anonymous", "patient", "industry_member", "facilitator", "other_admin"]


def _client(request, persona, client):
    if persona == "anonymous":
        return client
    client.force_login(request.getfixturevalue(persona).user)
    return client


def _urls(measure):
    n, m = measure.network.slug, measure.slug
    return {
        "network": (reverse("impact:network", args=[n]), "public"),
        "measure": (measure.get_absolute_url(), "public"),
        "chart": (reverse("impact:chart", args=[n, m]), "public"),
        "csv": (reverse("impact:csv", args=[n, m]), "public"),
        "survey": (reverse("impact:survey", args=[n, m]), "public"),
        "survey_thanks": (reverse("impact:survey_thanks", args=[n, m]), "public"),
        "propose": (reverse("impact:propose", args=[n]), "member"),
        "weigh": (reverse("impact:weigh", args=[n, m]), "member"),
        "observation_add": (reverse("impact:observation_add", args=[n, m]), "recorder"),
        "import": (reverse("impact:import", args=[n, m]), "recorder"),
        "comments": (reverse("impact:comments", args=[n, m]), "staff"),
    }


EXPECTED = {
    # persona: (public, member, recorder, staff) — the patient proposed the measure
    "anonymous": (200, 302, 302, 302),
    "patient": (200, 200, 200, 403),
    "industry_member": (200, 200, 403, 403),
    "facilitator": (200, 200, 200, 200),
    "other_admin": (200, 403, 403, 403),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(request, client, persona, measure, facilitator):
    services.observations_import(measure=measure, actor=facilitator, text=series_csv(SHIFT))
    c = _client(request, persona, client)
    failures = []
    for name, (url, level) in _urls(measure).items():
        expected = dict(zip(("public", "member", "recorder", "staff"), EXPECTED[persona], strict=True))[level]
        status = c.get(url).status_code
        if status != expected:
            failures.append(f"{name}: {status} != {expected}")
    assert failures == []


def test_retiring_is_a_post_for_the_proposer_or_staff(client_for, measure, industry_member, patient):
    url = reverse("impact:retire", args=[measure.network.slug, measure.slug])
    assert client_for(industry_member).post(url).status_code == 403
    assert client_for(patient).get(url).status_code == 405
    assert client_for(patient).post(url).status_code == 302
    measure.refresh_from_db()
    assert not measure.is_active


def test_a_member_proposes_a_measure_through_the_form(client_for, network, industry_member):
    c = client_for(industry_member)
    response = c.post(reverse("impact:propose", args=[network.slug]), {
        "subject": "network", "name": "Bed days saved", "definition": "Bed days avoided per month.",
        "unit": "bed days", "direction": "higher", "data_source": "Trust bed management system", "target": "",
        "survey_scale": "", "survey_question": "",
    })
    measure = Measure.objects.get(slug="bed-days-saved")
    assert response.status_code == 302 and response["Location"] == measure.get_absolute_url()
    assert measure.proposed_by_constituency.slug == "industry"


def test_a_proposal_for_an_innovation_files_it_under_the_innovation(client_for, network, patient):
    innovation = Innovation.objects.create(network=network, slug="talking-app", name="Talking app", summary="s",
                                           innovation_type="digital", status="published")
    c = client_for(patient)
    page = c.get(reverse("impact:propose", args=[network.slug]) + f"?for=innovation:{innovation.pk}")
    assert "Talking app" in page.content.decode()
    c.post(reverse("impact:propose", args=[network.slug]), {
        "subject": f"innovation:{innovation.pk}", "name": "Calls answered", "definition": "d", "unit": "%",
        "direction": "higher", "data_source": "s",
    })
    measure = Measure.objects.get(slug="calls-answered")
    assert measure.innovation == innovation
    report = c.get(reverse("impact:innovation", args=[network.slug, innovation.slug]))
    assert "Calls answered" in report.content.decode()
    index = c.get(reverse("impact:network", args=[network.slug])).content.decode()
    assert "Talking app" in index and "Calls answered" not in index  # the network report lists its own measures


def test_a_bad_proposal_shows_each_problem_on_its_field(client_for, network, patient):
    response = client_for(patient).post(reverse("impact:propose", args=[network.slug]), {
        "subject": "network", "name": "", "definition": "", "unit": "u", "direction": "higher",
        "data_source": "s", "survey_scale": "five", "survey_question": "",
    })
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Enter the question the survey asks" in html
    assert not Measure.objects.exists()


def test_weighting_from_the_measure_page(client_for, measure, patient):
    c = client_for(patient)
    url = reverse("impact:weigh", args=[measure.network.slug, measure.slug])
    assert c.post(url, {"weight": "8"}).status_code == 302
    assert WeightVote.objects.get().weight == 8
    page = c.get(measure.get_absolute_url()).content.decode()
    assert "Your weight is <strong>8</strong>" in page
    bad = c.post(url, {"weight": "12"})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()


def test_entering_a_value_and_a_bad_month(client_for, measure, facilitator):
    c = client_for(facilitator)
    url = reverse("impact:observation_add", args=[measure.network.slug, measure.slug])
    last = (timezone.localdate().replace(day=1) - dt.timedelta(days=1))
    assert c.post(url, {"period": f"{last:%Y-%m}", "value": "3.5"}).status_code == 302
    assert Observation.objects.get().value == Decimal("3.5")
    bad = c.post(url, {"period": "2025-14", "value": "x"}).content.decode()
    assert "has no month 14" in bad and "Enter a number" in bad


def test_a_refused_import_lists_every_problem_and_writes_nothing(client_for, measure, facilitator):
    c = client_for(facilitator)
    url = reverse("impact:import", args=[measure.network.slug, measure.slug])
    text = series_csv(SHIFT).replace(",3.1\n", ",3,1\n", 1) + "2024-02-30,4\n"
    html = c.post(url, {"file": SimpleUploadedFile("v.csv", text.encode())}).content.decode()
    assert "nothing was imported" in html and 'id="problems"' in html
    assert not Observation.objects.exists()
    ok = c.post(url, {"file": SimpleUploadedFile("v.csv", series_csv(SHIFT).encode())})
    assert ok.status_code == 302 and Observation.objects.count() == 20


def test_the_measure_page_shows_the_signal_in_words_chart_and_table(client, measure, facilitator):
    services.observations_import(measure=measure, actor=facilitator, text=series_csv(SHIFT))
    html = client.get(measure.get_absolute_url()).content.decode()
    assert 'data-variation="improvement_high"' in html
    assert 'id="spc-chart"' in html and 'data-special="improvement"' in html
    svg = client.get(reverse("impact:chart", args=[measure.network.slug, measure.slug]))
    assert svg["Content-Type"].startswith("image/svg+xml")
    body = svg.content.decode()
    assert "<title>SPC chart: I felt listened to</title>" in body and "run on one side of the mean" in body


def test_a_measure_with_too_few_values_says_so_and_has_no_chart(client, measure):
    html = client.get(measure.get_absolute_url()).content.decode()
    assert "There are no values yet" in html
    assert client.get(reverse("impact:chart", args=[measure.network.slug, measure.slug])).status_code == 404


def test_the_anonymous_survey_on_a_phone(client, measure):
    url = reverse("impact:survey", args=[measure.network.slug, measure.slug])
    page = client.get(url).content.decode()
    assert "How well did the staff listen to you?" in page
    response = client.post(url, {"score": "4", "comment": "The nurse listened."})
    assert response.status_code == 302
    assert SurveyResponse.objects.get().comment == "The nurse listened."
    again = client.post(url, {"score": "5"}).content.decode()
    assert "already answered this month" in again
    assert SurveyResponse.objects.count() == 1
    # comments are never shown publicly
    assert "The nurse listened" not in client.get(measure.get_absolute_url()).content.decode()


def test_a_closed_survey_asks_visitors_to_sign_in(client, client_for, measure, patient):
    measure.survey_open = False
    measure.save()
    url = reverse("impact:survey", args=[measure.network.slug, measure.slug])
    assert client.get(url).status_code == 302
    assert client_for(patient).get(url).status_code == 200


def test_the_survey_is_rate_limited_per_address(client, measure, monkeypatch):
    from innovatorium.core import ratelimit

    monkeypatch.setattr(ratelimit, "POSTS", ratelimit.Rate("post", 20, 2, 600, "Wait a few minutes."))
    url = reverse("impact:survey", args=[measure.network.slug, measure.slug])
    for _ in range(2):
        client.cookies.clear()
        assert client.post(url, {"score": "3"}).status_code == 302
    client.cookies.clear()
    assert client.post(url, {"score": "3"}).status_code == 429
    assert SurveyResponse.objects.count() == 2


def test_the_survey_needs_the_csrf_token(measure):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    url = reverse("impact:survey", args=[measure.network.slug, measure.slug])
    assert c.post(url, {"score": "3"}).status_code == 403


def test_comments_are_for_facilitators(client_for, measure, facilitator):
    services.survey_answer(measure=measure, score=2, comment="Waited two hours", token="x")
    html = client_for(facilitator).get(reverse("impact:comments", args=[measure.network.slug, measure.slug]))
    assert "Waited two hours" in html.content.decode()


def test_the_report_compares_the_groups_in_plain_words(client, network, measure, patient, facilitator):
    nhs = services.measure_propose(network=network, actor=facilitator, name="Bed days saved", definition="d",
                                   unit="bed days", direction="higher", data_source="s")
    services.observations_import(measure=measure, actor=facilitator, text=series_csv(SHIFT))
    services.weight_cast(measure=measure, actor=patient, weight=10)
    services.weight_cast(measure=measure, actor=facilitator, weight=3)
    services.weight_cast(measure=nhs, actor=patient, weight=5)
    services.weight_cast(measure=nhs, actor=facilitator, weight=6)
    html = client.get(reverse("impact:network", args=[network.slug])).content.decode()
    assert "matters more to Patients and public (weight 10) than to NHS (weight 3)" in html
    assert "every group that weighted it gives it between 5 and 6" in html
    assert "Patients and public sees clear improvement" in html


def test_the_report_and_measure_pages_run_a_fixed_number_of_queries(client, network, facilitator,
                                                                   django_assert_max_num_queries):
    for i in range(6):
        m = services.measure_propose(network=network, actor=facilitator, name=f"Measure {i}", definition="d",
                                     unit="u", direction="lower", data_source="s")
        services.observations_import(measure=m, actor=facilitator, text=series_csv(SHIFT))
        for slug in ("patients-public", "nhs", "industry"):
            services.weight_cast(measure=m, actor=member(network, slug).person, weight=i)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("impact:network", args=[network.slug])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(m.get_absolute_url()).status_code == 200


def test_an_empty_network_report_says_so(client, network):
    html = client.get(reverse("impact:network", args=[network.slug])).content.decode()
    assert "No measures have been proposed" in html


def test_recalculating_the_limits_after_a_lasting_change(client_for, measure, facilitator, industry_member):
    services.observations_import(measure=measure, actor=facilitator, text=series_csv(SHIFT))
    first_new = Observation.objects.filter(measure=measure).order_by("period")[12].period
    url = reverse("impact:limits", args=[measure.network.slug, measure.slug])
    assert client_for(industry_member).post(url, {"period": f"{first_new:%Y-%m}"}).status_code == 403
    c = client_for(facilitator)
    assert c.post(url, {"period": f"{first_new:%Y-%m}"}).status_code == 302
    measure.refresh_from_db()
    assert measure.recalculate_from == [f"{first_new:%Y-%m}"]
    html = c.get(measure.get_absolute_url()).content.decode()
    assert 'id="recalculated"' in html and f"{first_new:%B %Y}" in html
    # two processes, each with its own limits: the old months are no longer "concern" against the new mean
    assert 'data-special="concern"' not in html
    c.post(url, {"undo": "1"})
    measure.refresh_from_db()
    assert measure.recalculate_from == []
    c.post(url, {"period": "1999-01"})
    measure.refresh_from_db()
    assert measure.recalculate_from == []


def test_the_chart_address_changes_with_the_values_so_no_stale_chart_is_shown(client, measure, facilitator):
    services.observations_import(measure=measure, actor=facilitator, text=series_csv(SHIFT))

    def chart_src():
        html = client.get(measure.get_absolute_url()).content.decode()
        return html.split('id="spc-chart" src="', 1)[1].split('"', 1)[0]

    before = chart_src()
    services.survey_answer(measure=measure, score=5, token="new")
    assert chart_src() != before


def test_a_draft_innovation_has_no_impact_page_that_would_reveal_it(client, network):
    draft = Innovation.objects.create(network=network, slug="secret-draft", name="Secret draft", summary="s",
                                      innovation_type="digital", status="draft")
    published = Innovation.objects.create(network=network, slug="out-there", name="Out there", summary="s",
                                          innovation_type="digital", status="published")

    assert client.get(reverse("impact:innovation", args=[network.slug, draft.slug])).status_code == 404
    assert client.get(reverse("impact:innovation", args=[network.slug, published.slug])).status_code == 200
