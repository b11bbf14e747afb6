"""The monthly digest: what each network did last month, emailed once to members who agreed to be contacted."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from innovatorium.events import services as events
from innovatorium.factories import member
from innovatorium.projects import digest, services
from innovatorium.projects.models import DigestSent, Project
from innovatorium.record.models import RecordEntry


@pytest.fixture
def this_month():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def readers(network):
    consenting = [member(network).person for _ in range(2)]
    for person in consenting:
        person.contact_consent = True
        person.save(update_fields=["contact_consent"])
    silent = member(network).person  # did not agree to be contacted
    return consenting, silent


def test_the_digest_says_what_the_network_did_and_goes_to_consenting_members_only(
    project, patient_member, patient, readers, this_month, django_capture_on_commit_callbacks, yesterday,
):
    services.contribution_log(project=project, actor=patient, kind="time", quantity="2.5", unit="hours",
                              occurred_on=yesterday, description="Workshop")
    consenting, silent = readers
    with django_capture_on_commit_callbacks(execute=True):
        sent = digest.send_digests(month=this_month)
    assert sent == {project.network.slug: 2}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in consenting)
    body = mail.outbox[0].body
    assert project.title in body and "2.5 hours" in body and "1 logged by 1 person" in body
    assert mail.outbox[0].subject == f"What {project.network.name} did in {this_month:%B %Y}"
    assert patient.public_name not in body and patient.user.email not in body
    entry = RecordEntry.objects.get(action="projects.digest.sent")
    assert entry.payload == {"month": this_month.strftime("%Y-%m"), "recipients": 2}


def test_running_it_again_sends_nothing_more(project, readers, this_month, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        digest.send_digests(month=this_month)
        again = digest.send_digests(month=this_month)
    assert again == {} and len(mail.outbox) == 2 and DigestSent.objects.count() == 1


def test_a_quiet_month_sends_nothing_and_marks_nothing(network, readers, this_month):
    assert digest.send_digests(month=this_month) == {}
    assert not DigestSent.objects.exists() and mail.outbox == []


def test_no_email_leaves_before_the_transaction_commits(project, readers, this_month,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        digest.send_digests(month=this_month)
    assert mail.outbox == [] and callbacks
    for callback in callbacks:  # the commit: now the digest leaves
        callback()
    assert mail.outbox


def test_last_months_digest_leaves_out_this_months_work(project, readers):
    last = digest.previous_month()
    assert digest.digest_for(network=project.network, month=last).is_empty
    Project.objects.filter(pk=project.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=3), dt.time(12))))
    assert [p.pk for p in digest.digest_for(network=project.network, month=last).projects_started] == [project.pk]


def test_events_coming_up_next_month_are_listed(network, facilitator, readers, this_month):
    start = timezone.now() + dt.timedelta(days=40)
    event = events.event_create(network=network, actor=facilitator, title="Carers' café", description="Chat",
                                starts_at=start, ends_at=start + dt.timedelta(hours=2), place="Library")
    events.event_publish(event=event, actor=facilitator)
    coming = digest.digest_for(network=network, month=digest.month_start(start.date()) - dt.timedelta(days=1))
    assert coming.events_coming == [event]


def test_the_digest_is_built_in_a_fixed_number_of_queries(project, network, django_assert_max_num_queries,
                                                          this_month):
    with django_assert_max_num_queries(8):
        digest.digest_for(network=network, month=this_month)


def test_the_command_sends_and_says_so(project, readers, this_month):
    out = StringIO()
    call_command("send_digests", month=this_month.strftime("%Y-%m"), stdout=out)
    assert "sent to 2 members" in out.getvalue()
    out = StringIO()
    call_command("send_digests", month=this_month.strftime("%Y-%m"), stdout=out)
    assert "No digests to send" in out.getvalue()


def test_the_command_refuses_a_month_it_cannot_read(db):
    with pytest.raises(CommandError, match="2026-05"):
        call_command("send_digests", month="May")


def test_the_task_sends_last_months_digests(db):
    from innovatorium.projects.tasks import send_monthly_digests

    assert send_monthly_digests.enqueue().return_value == {}
