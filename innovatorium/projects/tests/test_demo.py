from __future__ import annotations

import random

from innovatorium.factories import member
from innovatorium.people.models import Role
from innovatorium.projects.demo import create_demo_projects
from innovatorium.projects.models import Contribution, ParticipantProfile, Project, UserTest
from innovatorium.projects.selectors import involvement_summary
from innovatorium.record.selectors import record_verify


def test_demo_projects_have_teams_tests_and_contributions(network, other_network, challenge):
    for net in (network, other_network):
        member(net, "nhs", role=Role.FACILITATOR)
        for kind in ("patients-public", "patients-public", "nhs", "industry", "vcse", "academia"):
            member(net, kind)
    summary = create_demo_projects(random.Random(3), count=6)

    assert "projects" in summary
    assert Project.objects.filter(network=network).count() >= 1
    assert UserTest.objects.exists() and Contribution.objects.exists()
    assert involvement_summary(network=network).team_members > 0
    assert ParticipantProfile.objects.exists() and "said who they are" in summary
    assert record_verify().ok
