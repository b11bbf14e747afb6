"""Editing a project (facilitators and the project's leads) and an event (its organisers), on the public record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from innovatorium.events import services as events
from innovatorium.events.models import RegistrationStatus
from innovatorium.factories import member
from innovatorium.projects import services
from innovatorium.projects.models import InvolvementDepth, Programme
from innovatorium.record.models import RecordEntry


@pytest.fixture
def programme(network, facilitator):
    return services.programme_create(network=network, actor=facilitator, name="Dementia", theme="Living well")


def test_a_facilitator_edits_a_project_and_the_record_keeps_what_it_said(client, project, facilitator, programme):
    client.force_login(facilitator.user)
    url = reverse("projects:edit", args=[project.network.slug, project.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "A carer-held record", "summary": project.summary,
                                 "programme": programme.slug, "status": "paused"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.programme, project.status) == ("A carer-held record", programme, "paused")
    entry = RecordEntry.objects.get(action="projects.project.updated")
    assert entry.payload["changed"]["title"] == {"before": "One shared carer record", "after": "A carer-held record"}
    assert set(entry.payload["changed"]) == {"title", "programme", "status"}


def test_a_project_lead_may_edit_but_a_co_producer_may_not(project, facilitator, patient, patient_member):
    with pytest.raises(PermissionDenied):
        services.project_update(project=project, actor=patient, title="Mine", summary="s", programme=None)
    lead = member(project.network).person
    services.team_member_add(project=project, actor=facilitator, person=lead, role="Patient lead",
                             depth=InvolvementDepth.LEAD)
    services.project_update(project=project, actor=lead, title="Ours", summary="s", programme=None)
    project.refresh_from_db()
    assert project.title == "Ours"


def test_another_networks_programme_and_an_empty_title_are_refused(project, facilitator, other_network):
    elsewhere = Programme.objects.create(network=other_network, slug="x", name="X")
    with pytest.raises(ValidationError) as exc:
        services.project_update(project=project, actor=facilitator, title=" ", summary="s", programme=elsewhere)
    assert set(exc.value.message_dict) == {"title", "programme"}


def test_saving_without_changes_writes_no_record_entry(project, facilitator):
    before = RecordEntry.objects.count()
    services.project_update(project=project, actor=facilitator, title=project.title, summary=project.summary,
                            programme=None)
    assert RecordEntry.objects.count() == before


# --- events ----------------------------------------------------------------------------------------


@pytest.fixture
def full_event(network, facilitator):
    start = (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0)
    event = events.event_create(network=network, actor=facilitator, title="Carers meet innovators",
                                description="Questions welcome", starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                place="Library", capacity=1)
    events.event_publish(event=event, actor=facilitator)
    first, second = member(network).person, member(network).person
    events.register(event=event, actor=first, notify=False)
    events.register(event=event, actor=second, notify=False)
    return event


def _fields(event, **changes):
    data = {"title": event.title, "description": event.description, "kind": event.kind,
            "starts_at": event.starts_at, "ends_at": event.ends_at, "place": event.place,
            "online_link": event.online_link, "accessibility": event.accessibility, "capacity": event.capacity}
    return {**data, **changes}


def test_more_places_move_the_wait_list_up_and_they_are_emailed(
    full_event, facilitator, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        events.event_update(event=full_event, actor=facilitator, **_fields(full_event, capacity=5))
    assert set(full_event.registrations.values_list("status", flat=True)) == {RegistrationStatus.CONFIRMED}
    assert len(mail.outbox) == 1 and "A place came free" in mail.outbox[0].subject
    entry = RecordEntry.objects.get(action="events.event.updated")
    assert entry.payload["changed"]["capacity"] == {"before": 1, "after": 5}
    assert entry.payload["promoted_from_wait_list"] == 1


def test_places_cannot_drop_below_the_people_already_confirmed(full_event, facilitator):
    full_event.capacity = 3
    full_event.save()
    events.register(event=full_event, actor=member(full_event.network).person, notify=False)
    with pytest.raises(ValidationError) as exc:
        events.event_update(event=full_event, actor=facilitator, **_fields(full_event, capacity=1))
    assert "2 people already have a place" in exc.value.message_dict["capacity"][0]


def test_a_published_event_cannot_be_moved_into_the_past(full_event, facilitator):
    past = timezone.now() - dt.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        events.event_update(event=full_event, actor=facilitator,
                            **_fields(full_event, starts_at=past, ends_at=past + dt.timedelta(hours=1)))
    assert "starts_at" in exc.value.message_dict


def test_an_organiser_edits_the_event_from_the_form_and_links_it_to_a_programme(
    client, full_event, facilitator, programme,
):
    client.force_login(facilitator.user)
    url = reverse("events:edit", args=[full_event.network.slug, full_event.slug])
    page = client.get(url)
    assert page.status_code == 200 and "Carers meet innovators" in page.content.decode()
    start = timezone.localtime(full_event.starts_at)
    response = client.post(url, {
        "title": "Carers meet innovators", "kind": "workshop", "description": "Questions welcome",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"), "place": "Library",
        "accessibility": "Hearing loop", "capacity": "1", "programme": programme.slug,
    })
    assert response.status_code == 302
    full_event.refresh_from_db()
    assert full_event.kind == "workshop" and full_event.programme == programme
    assert full_event.accessibility == "Hearing loop"
    programme_page = client.get(programme.get_absolute_url()).content.decode()
    assert "Carers meet innovators" in programme_page and "No patient or public speaker" in programme_page


def test_someone_who_does_not_organise_it_cannot_edit_it(full_event, patient):
    with pytest.raises(PermissionDenied):
        events.event_update(event=full_event, actor=patient, **_fields(full_event, title="Mine"))


def test_minutes_name_the_projects_an_event_moved_on_and_the_project_shows_it(
    client, full_event, facilitator, project,
):
    events.minutes_publish(event=full_event, actor=facilitator, text="We agreed a paper version.",
                           projects=[project])
    assert project.title in client.get(full_event.get_absolute_url()).content.decode()
    assert full_event.title in client.get(project.get_absolute_url()).content.decode()
