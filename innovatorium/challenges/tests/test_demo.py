from __future__ import annotations

import random

from innovatorium.challenges.demo import NEEDS, create_demo_challenges
from innovatorium.challenges.models import Challenge, ChallengeStatus
from innovatorium.factories import member
from innovatorium.people.models import Role
from innovatorium.record.selectors import record_verify


def test_demo_needs_are_raised_by_members_with_supporters_and_progress(network, other_network):
    for net in (network, other_network):
        member(net, "nhs", role=Role.FACILITATOR)
        for kind in ("patients-public", "patients-public", "nhs", "industry", "vcse", "academia"):
            member(net, kind)
    raised = create_demo_challenges(random.Random(7), count=40)
    assert raised == 40 == Challenge.objects.count()
    assert set(Challenge.objects.values_list("network__slug", flat=True)) == {"test-region", "other-region"}
    titles = {need[1] for need in NEEDS}
    assert set(Challenge.objects.values_list("title", flat=True)) <= titles
    assert Challenge.objects.exclude(status=ChallengeStatus.OPEN).exists()
    for challenge in Challenge.objects.filter(status=ChallengeStatus.CLOSED):
        assert challenge.closed_reason
    assert Challenge.objects.filter(supports__isnull=False).exists()
    assert record_verify().ok


def test_demo_needs_include_the_ones_the_networks_are_known_for():
    titles = " ".join(need[1].lower() for need in NEEDS)
    for words in ("school nurse", "dementia", "atrial fibrillation", "diabetes education"):
        assert words in titles


def test_no_networks_with_members_means_no_demo_needs(db):
    assert create_demo_challenges(random.Random(1)) == 0
