from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from innovatorium.challenges.models import Challenge
from innovatorium.projects import services
from innovatorium.projects.models import InvolvementDepth


@pytest.fixture
def challenge(network, patient):
    return Challenge.objects.create(network=network, slug="telling-my-story", title="Telling my story again",
                                    description="Every appointment.", raised_by=patient)


@pytest.fixture
def project(network, facilitator, challenge):
    return services.project_create(network=network, actor=facilitator, title="One shared carer record",
                                   summary="A record the carer holds.", challenge=challenge)


@pytest.fixture
def patient_member(project, facilitator, patient):
    return services.team_member_add(project=project, actor=facilitator, person=patient, role="Patient partner",
                                    depth=InvolvementDepth.CO_PRODUCE, paid=True, hourly_rate="25.00")


@pytest.fixture
def yesterday():
    return timezone.localdate() - dt.timedelta(days=1)
