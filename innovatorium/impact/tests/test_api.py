from __future__ import annotations

import json

from django.test import Client

from innovatorium.impact import services
from innovatorium.impact.models import Observation, WeightVote
from innovatorium.impact.tests.conftest import SHIFT, months_back, series_csv


def test_measures_list_nationally_and_per_network(client, measure, facilitator, django_assert_max_num_queries):
    services.observations_import(measure=measure, actor=facilitator, text=series_csv(SHIFT))
    with django_assert_max_num_queries(4):
        data = client.get("/api/impact/measures", {"network": measure.network.slug}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["proposed_by_constituency"] == "Patients and public"
    assert item["variation"] == "improvement_high" and item["observations"] == 20
    assert client.get("/api/impact/measures").json()["count"] >= 1


def test_a_measure_in_the_api_has_its_points_limits_and_group_weights(client, measure, facilitator, patient):
    services.observations_import(measure=measure, actor=facilitator, text=series_csv(SHIFT))
    services.weight_cast(measure=measure, actor=patient, weight=9)
    services.survey_answer(measure=measure, score=3, comment="private words", token="t")
    response = client.get(f"/api/impact/measures/{measure.network.slug}/{measure.slug}")
    data = response.json()
    assert len(data["points"]) == 21
    assert "shift" in data["points"][-2]["rules"]
    patients = next(w for w in data["weights"] if w["constituency"] == "patients-public")
    assert patients == {"constituency": "patients-public", "name": "Patients and public", "weight": 9.0,
                        "mean": 9.0, "votes": 1}
    body = response.content.decode()
    assert "private words" not in body and patient.pseudonym not in body


def test_the_report_in_the_api(client, measure, patient, facilitator):
    services.weight_cast(measure=measure, actor=patient, weight=9)
    services.weight_cast(measure=measure, actor=facilitator, weight=2)
    data = client.get(f"/api/impact/reports/{measure.network.slug}").json()
    assert data["subject"] == "network" and len(data["measures"]) == 1
    assert data["comparisons"] == [{"measure": measure.slug, "kind": "differ", "high_group": "patients-public",
                                    "high": 9.0, "low_group": "nhs", "low": 2.0}]


def test_weighting_through_the_api_needs_a_session_and_the_csrf_token(measure, patient, other_admin):
    url = f"/api/impact/measures/{measure.network.slug}/{measure.slug}/weight"
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(url, json.dumps({"weight": 5}), content_type="application/json").status_code in (401, 403)
    c = Client(enforce_csrf_checks=True)
    c.force_login(patient.user)
    assert c.post(url, json.dumps({"weight": 5}), content_type="application/json").status_code == 403  # no token
    c.get("/api/docs")  # sets the CSRF cookie
    token = c.cookies["csrftoken"].value
    ok = c.post(url, json.dumps({"weight": 7}), content_type="application/json", headers={"X-CSRFToken": token})
    assert ok.status_code == 200 and ok.json()["weight"] == 7.0
    assert WeightVote.objects.get().weight == 7
    bad = c.post(url, json.dumps({"weight": 11}), content_type="application/json", headers={"X-CSRFToken": token})
    assert bad.status_code == 422
    outsider = Client()
    outsider.force_login(other_admin.user)
    assert outsider.post(url, json.dumps({"weight": 5}), content_type="application/json").status_code == 403


def test_recording_a_value_through_the_api_is_for_the_proposer_or_staff(client_for, measure, industry_member,
                                                                       patient):
    url = f"/api/impact/measures/{measure.network.slug}/{measure.slug}/observations"
    last = months_back(1)[0]
    body = json.dumps({"period": f"{last:%Y-%m}", "value": "3.4"})
    assert client_for(industry_member).post(url, body, content_type="application/json").status_code == 403
    response = client_for(patient).post(url, body, content_type="application/json")
    assert response.status_code == 200 and Observation.objects.get().period == last
    bad = client_for(patient).post(url, json.dumps({"period": "soon", "value": "1"}),
                                   content_type="application/json")
    assert bad.status_code == 422
