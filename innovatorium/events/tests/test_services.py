"""Event services: registering up to capacity, the wait list, refusals, promotion, attendance and minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innovatorium.challenges.services import challenge_raise
from innovatorium.events import services
from innovatorium.events.models import Event, EventStatus, Registration, RegistrationStatus
from innovatorium.events.tests.conftest import soon
from innovatorium.factories import PersonFactory, member
from innovatorium.record.labels import ACTION_LABELS
from innovatorium.record.models import RecordEntry


def test_registering_past_capacity_goes_to_the_wait_list(event, network):
    people = [member(network).person for _ in range(3)]
    statuses = [services.register(event=event, actor=p).status for p in people]
    assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


def test_an_event_without_a_limit_confirms_everyone(make_event, network):
    event = make_event(capacity=None)
    assert {services.register(event=event, actor=member(network).person).status for _ in range(5)} == {"confirmed"}


def test_registering_twice_is_refused(event, patient):
    services.register(event=event, actor=patient)
    with pytest.raises(ValidationError, match="already registered"):
        services.register(event=event, actor=patient)
    assert Registration.objects.filter(event=event).count() == 1


def test_a_cancelled_event_refuses_registrations(event, facilitator, patient):
    services.event_cancel(event=event, actor=facilitator, reason="The venue flooded.")
    with pytest.raises(ValidationError, match="cancelled"):
        services.register(event=event, actor=patient)


def test_a_draft_event_refuses_registrations(make_event, patient):
    with pytest.raises(ValidationError, match="not open"):
        services.register(event=make_event(publish=False), actor=patient)


def test_a_finished_event_refuses_registrations(event, patient):
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(days=2),
                                             ends_at=timezone.now() - dt.timedelta(days=1))
    event.refresh_from_db()
    with pytest.raises(ValidationError, match="finished"):
        services.register(event=event, actor=patient)


def test_cancelling_a_place_promotes_the_first_on_the_wait_list(event, network):
    first, second, third, fourth = (member(network).person for _ in range(4))
    mine = services.register(event=event, actor=first)
    services.register(event=event, actor=second)
    waiting = services.register(event=event, actor=third)
    later = services.register(event=event, actor=fourth)
    services.cancel_registration(registration=mine, actor=first)
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert (waiting.status, later.status) == (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def test_someone_who_cancelled_may_register_again_at_the_back_of_the_queue(event, network):
    a, b, c = (member(network).person for _ in range(3))
    ra = services.register(event=event, actor=a)
    services.register(event=event, actor=b)
    services.register(event=event, actor=c)
    services.cancel_registration(registration=ra, actor=a)
    assert services.register(event=event, actor=a).status == RegistrationStatus.WAITLISTED


def test_nobody_cancels_someone_elses_place(event, patient, industry_member):
    registration = services.register(event=event, actor=patient)
    with pytest.raises(PermissionDenied):
        services.cancel_registration(registration=registration, actor=industry_member)


def test_only_the_networks_facilitators_set_up_events(network, patient, other_admin):
    start, end = soon()
    for actor in (patient, other_admin):
        with pytest.raises(PermissionDenied):
            services.event_create(network=network, actor=actor, title="Mine", description="x", place="Here",
                                  starts_at=start, ends_at=end)


@pytest.mark.parametrize(("change", "field"), [
    ({"title": " "}, "title"),
    ({"ends_at": soon()[0] - dt.timedelta(hours=1)}, "ends_at"),
    ({"starts_at": dt.datetime(2030, 1, 1, 10)}, "starts_at"),  # noqa: DTZ001 - naive on purpose
    ({"place": "", "online_link": ""}, "place"),
    ({"online_link": "javascript:alert(1)"}, "online_link"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": -5}, "capacity"),
    ({"kind": "party"}, "kind"),
])
def test_bad_event_fields_are_refused_with_a_message(network, facilitator, change, field):
    start, end = soon()
    fields = {"title": "Workshop", "description": "About things", "place": "Hall", "starts_at": start,
              "ends_at": end, **change}
    with pytest.raises(ValidationError) as exc:
        services.event_create(network=network, actor=facilitator, **fields)
    assert field in exc.value.message_dict


def test_over_long_access_needs_are_refused(event, patient):
    with pytest.raises(ValidationError):
        services.register(event=event, actor=patient, access_needs="x" * 5000)


def test_attendance_is_marked_only_for_confirmed_places(event, network, facilitator):
    a, b, c = (member(network).person for _ in range(3))
    ra, rb = services.register(event=event, actor=a), services.register(event=event, actor=b)
    rc = services.register(event=event, actor=c)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    event.refresh_from_db()
    with pytest.raises(ValidationError):
        services.mark_attendance(event=event, actor=facilitator, attended=[rc.pk])
    assert services.mark_attendance(event=event, actor=facilitator, attended=[ra.pk]) == 1
    assert list(Registration.objects.filter(attended=True)) == [ra]
    rb.refresh_from_db()
    assert not rb.attended


def test_minutes_name_the_needs_the_event_advanced_from_its_own_network(event, facilitator, patient, other_network):
    challenge = challenge_raise(network=event.network, actor=patient, title="Telling my story again",
                                description="Every time.")
    minutes = services.minutes_publish(event=event, actor=facilitator, text="We agreed a plan.",
                                       challenges=[challenge])
    assert list(minutes.challenges_advanced.all()) == [challenge]
    outsider = member(other_network).person
    elsewhere = challenge_raise(network=other_network, actor=outsider, title="Another region's need",
                                description="Theirs.")
    with pytest.raises(ValidationError):
        services.minutes_publish(event=event, actor=facilitator, text="Wrong", challenges=[elsewhere])


def test_an_organiser_who_is_not_staff_may_add_speakers(make_event, network, facilitator):
    organiser = member(network).person
    event = make_event()
    event.organisers.add(organiser)
    services.speaker_add(event=event, actor=organiser, name="Ruth Evans", constituency_kind="patients_public")
    with pytest.raises(PermissionDenied):
        services.speaker_add(event=event, actor=member(network).person, name="X", constituency_kind="nhs")


def test_the_record_holds_counts_and_never_who_registered_or_their_access_needs(event, patient):
    services.register(event=event, actor=patient, access_needs="BSL interpreter please")
    entries = RecordEntry.objects.filter(action__startswith="events.")
    assert set(entries.values_list("action", flat=True)) <= set(ACTION_LABELS)
    registration_entry = entries.get(action="events.registration.made")
    assert registration_entry.actor is None
    text = str(list(entries.values_list("payload", flat=True)))
    assert "BSL" not in text and patient.pseudonym not in text
    assert registration_entry.payload["confirmed"] == 1


def test_reminders_go_once_to_confirmed_people_of_events_in_the_next_day(make_event, network, mailoutbox,
                                                                          django_capture_on_commit_callbacks):
    tomorrow = make_event(days=0, capacity=1)
    Event.objects.filter(pk=tomorrow.pk).update(starts_at=timezone.now() + dt.timedelta(hours=20),
                                                ends_at=timezone.now() + dt.timedelta(hours=22))
    later = make_event(days=5)
    a, b = member(network).person, member(network).person
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=tomorrow, actor=a, notify=False)
        services.register(event=tomorrow, actor=b, notify=False)  # wait list: no reminder
        services.register(event=later, actor=a, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 0
    assert [m.to for m in mailoutbox] == [[a.user.email]]
    assert "Reminder" in mailoutbox[0].subject


def test_the_reminder_command_is_idempotent(event, patient, capsys):
    from django.core.management import call_command

    call_command("send_event_reminders")
    assert "Sent 0 reminders" in capsys.readouterr().out


def test_a_person_without_an_account_gets_no_email(event, mailoutbox, django_capture_on_commit_callbacks):
    person = PersonFactory(user=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=event, actor=person)
    assert mailoutbox == []


def test_publishing_twice_is_refused(event, facilitator):
    assert event.status == EventStatus.PUBLISHED
    with pytest.raises(ValidationError):
        services.event_publish(event=event, actor=facilitator)
