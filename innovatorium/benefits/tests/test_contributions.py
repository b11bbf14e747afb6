from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from innovatorium.benefits import services
from innovatorium.benefits.models import AccountKind, PartyKind, PostingLine
from innovatorium.benefits.tests.conftest import adopt
from innovatorium.projects import services as project_services
from innovatorium.projects.models import InvolvementDepth

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 1, 10)


@pytest.fixture
def project(network, facilitator, innovation):
    return project_services.project_create(network=network, actor=facilitator, title="Falls sensor pilot",
                                           summary="Testing at home.", innovation=innovation)


@pytest.fixture
def team(project, facilitator, patient, industry_member):
    p = project_services.team_member_add(project=project, actor=facilitator, person=patient, role="Patient partner",
                                         depth=InvolvementDepth.CO_PRODUCE)
    i = project_services.team_member_add(project=project, actor=facilitator, person=industry_member,
                                         role="Engineer", depth=InvolvementDepth.COLLABORATE)
    return p, i


def _log(project, actor, member, kind, quantity, unit, day=DAY):
    return project_services.contribution_log(project=project, actor=actor, team_member=member, kind=kind,
                                             quantity=quantity, unit=unit, occurred_on=day, description="work")


def _contributions_draft(draft, facilitator, project, team, patient, industry_member):
    services.version_set_terms(actor=facilitator, version=draft, basis="contributions", project=project,
                               reinvestment_percent="0", public_party_names=True, public_party_amounts=True,
                               public_event_details=True)
    draft.refresh_from_db()
    services.party_add(actor=facilitator, version=draft, kind=PartyKind.INDIVIDUAL, representative=patient,
                       team_members=[team[0]])
    services.party_add(actor=facilitator, version=draft, kind=PartyKind.ORGANISATION, label="Sensorco",
                       representative=industry_member, team_members=[team[1]])
    return draft


def test_shares_follow_the_contributions_log_at_the_agreed_rates(draft, facilitator, project, team, patient,
                                                                 industry_member):
    version = _contributions_draft(draft, facilitator, project, team, patient, industry_member)
    services.rate_set(actor=facilitator, version=version, kind="lived_experience", rate="30")
    services.rate_set(actor=facilitator, version=version, kind="time", rate="30")
    _log(project, facilitator, team[0], "lived_experience", "10", "hours")   # £300
    _log(project, facilitator, team[1], "time", "20", "hours")               # £600
    wrong = _log(project, facilitator, team[1], "time", "15", "hours", day=DAY - dt.timedelta(days=1))
    project_services.contribution_reverse(contribution=wrong, actor=facilitator, reason="typo")
    adopt(version, facilitator)
    event, _ = services.event_record(actor=facilitator, agreement=version.agreement, kind="licence_income",
                                     amount="100.00", occurred_on=DAY, idempotency_key="C1")
    # 10 h of lived experience at £30 against 20 h of time at £30 (the reversed 15 h count for nothing)
    paid = {ln.party.representative: -ln.amount
            for ln in PostingLine.objects.filter(posting__event=event, account_kind=AccountKind.PARTY)}
    assert paid == {patient: Decimal("33.33"), industry_member: Decimal("66.67")}


def test_a_contribution_kind_without_a_rate_is_refused_when_proposing(draft, facilitator, project, team, patient,
                                                                      industry_member):
    version = _contributions_draft(draft, facilitator, project, team, patient, industry_member)
    _log(project, facilitator, team[0], "lived_experience", "10", "hours")
    with pytest.raises(ValidationError, match="Agree a rate for lived experience"):
        services.version_propose(actor=facilitator, version=version)


def test_contributions_by_someone_no_party_covers_are_refused(draft, facilitator, project, team, patient,
                                                              industry_member, trust_rep):
    version = _contributions_draft(draft, facilitator, project, team, patient, industry_member)
    extra = project_services.team_member_add(project=project, actor=facilitator, person=trust_rep, role="Nurse",
                                             depth=InvolvementDepth.INVOLVE)
    services.rate_set(actor=facilitator, version=version, kind="time", rate="20")
    _log(project, facilitator, extra, "time", "3", "hours")
    with pytest.raises(ValidationError, match="no party covers them: Nurse"):
        services.version_propose(actor=facilitator, version=version)
