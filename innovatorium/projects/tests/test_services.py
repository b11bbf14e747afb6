from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innovatorium.factories import member
from innovatorium.projects import selectors, services
from innovatorium.projects.models import AppendOnlyError, Contribution, InvolvementDepth
from innovatorium.record.models import RecordEntry


def _log(project, actor, hours="2", on=None, **kwargs):
    return services.contribution_log(
        project=project, actor=actor, kind=kwargs.pop("kind", "time"), quantity=hours,
        unit=kwargs.pop("unit", "hours"), occurred_on=on or timezone.localdate(),
        description=kwargs.pop("description", "Workshop"), **kwargs,
    )


def test_a_facilitator_starts_a_project_from_a_need_and_it_is_on_the_record(project, challenge):
    entry = RecordEntry.objects.get(action="projects.project.created")

    assert project.challenge == challenge
    assert entry.payload["challenge"] == challenge.slug


def test_a_project_needs_a_need_or_an_innovation(network, facilitator):
    with pytest.raises(ValidationError) as exc:
        services.project_create(network=network, actor=facilitator, title="Nothing", summary="No start.")
    assert "challenge" in exc.value.message_dict


def test_a_patient_cannot_start_a_project(network, patient, challenge):
    with pytest.raises(PermissionDenied):
        services.project_create(network=network, actor=patient, title="Mine", summary="x", challenge=challenge)


def test_a_project_slug_never_shadows_a_page(network, facilitator, challenge):
    project = services.project_create(network=network, actor=facilitator, title="New", summary="x",
                                      challenge=challenge)
    assert project.slug != "new"


def test_a_team_member_keeps_the_constituency_they_joined_with(patient_member):
    assert patient_member.constituency_kind == "patients_public"
    assert patient_member.hourly_rate == Decimal("25.00")


def test_paid_involvement_needs_a_rate(project, facilitator, industry_member):
    with pytest.raises(ValidationError) as exc:
        services.team_member_add(project=project, actor=facilitator, person=industry_member, role="Dev",
                                 depth=InvolvementDepth.COLLABORATE, paid=True)
    assert "hourly_rate" in exc.value.message_dict


def test_someone_outside_the_network_cannot_join_the_team(project, facilitator, other_admin):
    with pytest.raises(ValidationError):
        services.team_member_add(project=project, actor=facilitator, person=other_admin, role="x",
                                 depth=InvolvementDepth.INFORM)


def test_a_team_member_logs_time_valued_at_their_rate(project, patient_member, patient):
    entry = _log(project, patient, "3")

    assert entry.agreed_value == Decimal("75.00")
    record = RecordEntry.objects.get(action="projects.contribution.logged")
    assert record.payload["agreed_value"] == "75.00"
    assert "Workshop" not in str(record.payload)


def test_private_values_stay_off_the_record(network, facilitator, challenge, patient):
    project = services.project_create(network=network, actor=facilitator, title="Private", summary="x",
                                      challenge=challenge, contribution_values_private=True)
    services.team_member_add(project=project, actor=facilitator, person=patient, role="Partner",
                             depth=InvolvementDepth.LEAD, paid=True, hourly_rate=Decimal(20))
    _log(project, patient, "1")
    record = RecordEntry.objects.get(action="projects.contribution.logged")

    assert "agreed_value" not in record.payload
    assert record.payload["value_private"] is True


@pytest.mark.parametrize("hours", ["-1", "0", "25", "1001", "abc", "1.555"])
def test_negative_or_absurd_hours_are_refused(project, patient_member, patient, hours):
    with pytest.raises(ValidationError) as exc:
        _log(project, patient, hours)
    assert "quantity" in exc.value.message_dict
    assert not Contribution.objects.exists()


def test_more_than_24_hours_on_one_day_across_entries_is_refused(project, patient_member, patient):
    _log(project, patient, "20")
    with pytest.raises(ValidationError):
        _log(project, patient, "5")


def test_a_contribution_in_the_future_is_refused(project, patient_member, patient):
    with pytest.raises(ValidationError):
        _log(project, patient, "1", on=timezone.localdate() + dt.timedelta(days=2))


def test_money_is_counted_in_pounds_only(project, patient_member, patient):
    with pytest.raises(ValidationError):
        _log(project, patient, "10", kind="money", unit="hours")
    assert _log(project, patient, "10", kind="money", unit="gbp").agreed_value == Decimal(10)


def test_someone_not_on_the_project_cannot_log_to_it(project, patient_member, industry_member):
    with pytest.raises(PermissionDenied):
        _log(project, industry_member, "1")


def test_a_team_member_cannot_log_for_someone_else(project, patient_member, facilitator, industry_member):
    other = services.team_member_add(project=project, actor=facilitator, person=industry_member, role="Dev",
                                     depth=InvolvementDepth.COLLABORATE)
    with pytest.raises(PermissionDenied):
        _log(project, patient_member.person, "1", team_member=other)


def test_a_facilitator_logs_on_a_patient_partners_behalf(project, patient_member, facilitator):
    entry = _log(project, facilitator, "2", team_member=patient_member)

    assert entry.team_member == patient_member
    assert entry.logged_by == facilitator


def test_a_logged_contribution_cannot_be_edited_or_deleted(project, patient_member, patient):
    entry = _log(project, patient, "2")
    entry.quantity = Decimal(5)

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        Contribution.objects.filter(pk=entry.pk).update(quantity=5)
    with pytest.raises(AppendOnlyError):
        Contribution.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.quantity == Decimal(2)


def test_there_is_no_update_service():
    assert not any(name.startswith("contribution_") and name not in ("contribution_log", "contribution_reverse")
                   for name in dir(services))


def test_a_reversal_nets_out_and_keeps_the_history(project, patient_member, patient):
    entry = _log(project, patient, "4")
    reversal = services.contribution_reverse(contribution=entry, actor=patient, reason="Wrong day")
    _log(project, patient, "3")
    team = selectors.project_team(project=project)

    assert reversal.quantity == Decimal(-4)
    assert reversal.agreed_value == Decimal("-100.00")
    assert Contribution.objects.count() == 3
    assert team[0].hours == Decimal(3)
    assert team[0].paid_hours == Decimal(3)
    assert selectors.contribution_totals(project=project)[0]["value"] == Decimal("75.00")


def test_an_entry_is_reversed_only_once_and_a_reversal_never(project, patient_member, patient):
    entry = _log(project, patient, "4")
    reversal = services.contribution_reverse(contribution=entry, actor=patient, reason="Wrong")

    with pytest.raises(ValidationError):
        services.contribution_reverse(contribution=entry, actor=patient, reason="Again")
    with pytest.raises(ValidationError):
        services.contribution_reverse(contribution=reversal, actor=patient, reason="Undo")


def test_only_the_contributor_or_a_facilitator_may_reverse(project, patient_member, patient, industry_member):
    entry = _log(project, patient, "4")
    with pytest.raises(PermissionDenied):
        services.contribution_reverse(contribution=entry, actor=industry_member, reason="Mine now")


def test_the_timeline_merges_everything_by_date(project, patient_member, patient, facilitator, yesterday):
    services.milestone_add(project=project, actor=facilitator, title="First prototype", due_on=yesterday)
    iteration = services.iteration_add(project=project, actor=facilitator, title="Paper", what_changed="Made",
                                       why="To try", occurred_on=yesterday)
    services.user_test_add(project=project, actor=facilitator, what_was_tested="Paper record", findings="Liked",
                           occurred_on=yesterday, participants={"patients-public": 5, "nhs": 2},
                           iteration=iteration)
    services.decision_add(project=project, actor=facilitator, decided_by="The team", options_considered="A\nB",
                          decision="A", decided_on=timezone.localdate())
    _log(project, patient, "2")
    kinds = [item.kind for item in selectors.project_timeline(project=project)]

    assert set(kinds) == {"started", "milestone", "iteration", "user_test", "decision", "contribution"}
    dates = [item.date for item in selectors.project_timeline(project=project)]
    assert dates == sorted(dates)


def test_a_user_test_needs_participants_from_the_networks_groups(project, facilitator, yesterday):
    with pytest.raises(ValidationError):
        services.user_test_add(project=project, actor=facilitator, what_was_tested="x", findings="y",
                               occurred_on=yesterday, participants={"martians": 3})
    with pytest.raises(ValidationError):
        services.user_test_add(project=project, actor=facilitator, what_was_tested="x", findings="y",
                               occurred_on=yesterday, participants={"nhs": 0})


def test_milestones_move_on_and_iterations_number_themselves(project, facilitator, yesterday):
    milestone = services.milestone_add(project=project, actor=facilitator, title="M", due_on=yesterday)
    services.milestone_update(milestone=milestone, actor=facilitator, status="done")
    first = services.iteration_add(project=project, actor=facilitator, title="1", what_changed="a", why="b",
                                   occurred_on=yesterday)
    second = services.iteration_add(project=project, actor=facilitator, title="2", what_changed="a", why="b",
                                    occurred_on=yesterday)

    assert milestone.completed_on == timezone.localdate()
    assert (first.number, second.number) == (1, 2)


def test_programme_involvement_counts_patient_share_and_depth(network, facilitator, challenge, patient,
                                                             industry_member):
    programme = services.programme_create(network=network, actor=facilitator, name="Dementia")
    services.programme_role_add(programme=programme, actor=facilitator, person=patient, role="patient_partner")
    with_partner = services.project_create(network=network, actor=facilitator, title="A", summary="x",
                                           challenge=challenge, programme=programme)
    without = services.project_create(network=network, actor=facilitator, title="B", summary="x",
                                      challenge=challenge, programme=programme)
    services.team_member_add(project=with_partner, actor=facilitator, person=patient, role="Partner",
                             depth=InvolvementDepth.LEAD)
    services.team_member_add(project=with_partner, actor=facilitator, person=industry_member, role="Dev",
                             depth=InvolvementDepth.COLLABORATE)
    services.team_member_add(project=without, actor=facilitator, person=industry_member, role="Dev",
                             depth=InvolvementDepth.CO_PRODUCE)
    summary = selectors.involvement_summary(network=network, programme=programme)

    assert (summary.projects, summary.team_members, summary.patient_public) == (2, 3, 1)
    assert summary.patient_public_share == 33
    assert summary.projects_without_patient_partner == [without]
    industry = next(r for r in summary.by_constituency if r.constituency.slug == "industry")
    assert industry.counts == [0, 0, 0, 1, 1, 0]


def test_every_project_action_has_a_plain_label():
    from innovatorium.record.labels import ACTION_LABELS

    for code in ("projects.contribution.logged", "projects.contribution.reversed", "projects.user_test.added"):
        assert code in ACTION_LABELS


def test_another_networks_member_is_not_a_candidate(network, other_network):
    assert member(other_network, "nhs").network == other_network
