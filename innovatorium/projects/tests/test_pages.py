from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from innovatorium.projects import services
from innovatorium.projects.models import Contribution, InvolvementDepth, Project

PERSONAS = ["anonymous", "patient", "industry_member", "facilitator", "other_admin"]


def _client(request, persona, client):
    if persona == "anonymous":
        return client
    person = request.getfixturevalue(persona)
    client.force_login(person.user)
    return client


def _urls(project, milestone, entry):
    n, p = project.network.slug, project.slug
    return {
        "list": (reverse("projects:list", args=[n]), "public"),
        "programmes": (reverse("projects:programmes", args=[n]), "public"),
        "detail": (project.get_absolute_url(), "public"),
        "create": (reverse("projects:create", args=[n]), "staff"),
        "edit": (reverse("projects:edit", args=[n, p]), "staff"),
        "programme_create": (reverse("projects:programme_create", args=[n]), "staff"),
        "team_add": (reverse("projects:team_add", args=[n, p]), "staff"),
        "milestone_add": (reverse("projects:milestone_add", args=[n, p]), "staff"),
        "milestone_update": (reverse("projects:milestone_update", args=[n, p, milestone.pk]), "staff"),
        "iteration_add": (reverse("projects:iteration_add", args=[n, p]), "staff"),
        "user_test_add": (reverse("projects:user_test_add", args=[n, p]), "staff"),
        "decision_add": (reverse("projects:decision_add", args=[n, p]), "staff"),
        "contribute": (reverse("projects:contribute", args=[n, p]), "team"),
        "reverse": (reverse("projects:reverse", args=[n, p, entry.pk]), "team"),
    }


EXPECTED = {
    # persona: (public, staff, team) — the patient is on the team
    "anonymous": (200, 302, 302),
    "patient": (200, 403, 200),
    "industry_member": (200, 403, 403),
    "facilitator": (200, 200, 200),
    "other_admin": (200, 403, 403),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(request, client, persona, project, patient_member, patient, facilitator, yesterday):
    milestone = services.milestone_add(project=project, actor=facilitator, title="M", due_on=yesterday)
    entry = services.contribution_log(project=project, actor=patient, kind="time", quantity="1", unit="hours",
                                      occurred_on=yesterday, description="Meeting")
    c = _client(request, persona, client)
    failures = []
    for name, (url, level) in _urls(project, milestone, entry).items():
        expected = dict(zip(("public", "staff", "team"), EXPECTED[persona], strict=True))[level]
        status = c.get(url).status_code
        if status != expected:
            failures.append(f"{name}: {status} != {expected}")
    assert failures == []


def test_the_project_page_tells_the_story_in_a_fixed_number_of_queries(
    client, project, patient_member, patient, facilitator, yesterday, django_assert_max_num_queries,
):
    for i in range(5):
        it = services.iteration_add(project=project, actor=facilitator, title=f"v{i}", what_changed="c", why="w",
                                    occurred_on=yesterday)
        services.user_test_add(project=project, actor=facilitator, what_was_tested=f"t{i}", findings="f",
                               occurred_on=yesterday, participants={"patients-public": 3, "nhs": 1}, iteration=it)
        services.decision_add(project=project, actor=facilitator, decided_by="Team", options_considered="a\nb",
                              decision="a", decided_on=yesterday)
        services.milestone_add(project=project, actor=facilitator, title=f"m{i}", due_on=yesterday)
        services.contribution_log(project=project, actor=patient, kind="time", quantity="1", unit="hours",
                                  occurred_on=yesterday, description=f"c{i}")
    client.force_login(patient.user)
    with django_assert_max_num_queries(20):
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('data-kind="user_test"') == 5


def test_a_patient_logs_a_contribution_from_the_form(client, project, patient_member, patient):
    client.force_login(patient.user)
    response = client.post(reverse("projects:contribute", args=[project.network.slug, project.slug]), {
        "kind": "lived_experience", "quantity": "2", "unit": "hours",
        "occurred_on": timezone.localdate().isoformat(), "description": "Told the team how clinic letters land",
    })
    assert response.status_code == 302
    assert Contribution.objects.get().kind == "lived_experience"


def test_negative_hours_in_the_form_show_an_error(client, project, patient_member, patient):
    client.force_login(patient.user)
    response = client.post(reverse("projects:contribute", args=[project.network.slug, project.slug]), {
        "kind": "time", "quantity": "-3", "unit": "hours", "occurred_on": timezone.localdate().isoformat(),
        "description": "x",
    })
    assert response.status_code == 200
    assert "greater than 0" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_facilitator_runs_a_project_from_the_forms(client, network, facilitator, challenge, patient, yesterday):
    client.force_login(facilitator.user)
    response = client.post(reverse("projects:create", args=[network.slug]), {
        "title": "Carer record", "summary": "One record", "challenge": challenge.slug,
    })
    project = Project.objects.get()
    assert response.url == project.get_absolute_url()
    base = [network.slug, project.slug]
    client.post(reverse("projects:team_add", args=base), {
        "person": patient.pk, "role": "Patient partner", "depth": InvolvementDepth.CO_PRODUCE, "paid": "on",
        "hourly_rate": "25",
    })
    client.post(reverse("projects:user_test_add", args=base), {
        "what_was_tested": "Paper", "occurred_on": yesterday.isoformat(), "findings": "Good",
        "participants_patients-public": "4",
    })
    assert project.team.get().paid
    assert project.user_tests.get().participant_total == 4


def test_the_api_lists_and_shows_projects_and_logs_with_csrf(project, patient_member, patient, yesterday):
    client = Client(enforce_csrf_checks=True)
    listing = client.get("/api/projects/", {"network": project.network.slug}).json()
    assert listing["count"] == 1 and listing["items"][0]["patient_public_partners"] == 1
    detail = client.get(f"/api/projects/{project.network.slug}/{project.slug}").json()
    assert detail["team"][0]["depth"] == "Co-produce"
    url = f"/api/projects/{project.network.slug}/{project.slug}/contributions"
    body = {"kind": "time", "quantity": "2", "unit": "hours", "occurred_on": yesterday.isoformat(),
            "description": "Workshop"}
    client.force_login(patient.user)
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 403  # no token
    client.get(project.get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.post(url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    assert response.json()["agreed_value"] == "50.00"
    bad = client.post(url, json.dumps({**body, "quantity": "-1"}), content_type="application/json",
                      HTTP_X_CSRFTOKEN=token)
    assert bad.status_code == 422
    timeline = client.get(f"/api/projects/{project.network.slug}/{project.slug}/timeline").json()
    assert [i["kind"] for i in timeline] == ["contribution", "started"]  # logged for yesterday


def test_someone_not_on_the_team_gets_403_from_the_api(client, project, industry_member, yesterday):
    client.force_login(industry_member.user)
    client.get(project.get_absolute_url())
    url = f"/api/projects/{project.network.slug}/{project.slug}/contributions"
    body = {"kind": "time", "quantity": "2", "unit": "hours", "occurred_on": yesterday.isoformat(),
            "description": "x"}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 403


def test_the_network_navigation_has_projects(client, network):
    response = client.get(reverse("projects:list", args=[network.slug]))
    assert any(item["label"] == "Projects" and item["current"] for item in response.context["main_navigation"])


def test_logging_contributions_is_rate_limited_on_the_page_and_in_the_api(
    client, project, patient_member, patient, yesterday, monkeypatch,
):
    from innovatorium.core import ratelimit

    monkeypatch.setattr(ratelimit, "POSTS", ratelimit.Rate("post-test", 1, 100, 600, "Wait a few minutes."))
    client.force_login(patient.user)
    url = reverse("projects:contribute", args=[project.network.slug, project.slug])
    body = {"kind": "time", "quantity": "1", "unit": "hours", "occurred_on": yesterday.isoformat(),
            "description": "Meeting"}
    assert client.post(url, body).status_code == 302
    refused = client.post(url, body)
    assert refused.status_code == 200 and "Wait a few minutes." in refused.content.decode()
    api = f"/api/projects/{project.network.slug}/{project.slug}/contributions"
    client.get(project.get_absolute_url())
    response = client.post(api, json.dumps(body), content_type="application/json",
                           HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 429
    assert Contribution.objects.count() == 1
