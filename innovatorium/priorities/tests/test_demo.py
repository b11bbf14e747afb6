from __future__ import annotations

import random

from innovatorium.challenges.demo import create_demo_challenges
from innovatorium.factories import member
from innovatorium.people.models import Role
from innovatorium.priorities.demo import create_demo_round
from innovatorium.priorities.models import Round, RoundStatus
from innovatorium.record.selectors import record_verify


def test_the_demo_round_is_closed_published_and_counted_across_groups(network):
    member(network, "nhs", role=Role.FACILITATOR)
    for kind in ["patients-public"] * 20 + ["nhs"] * 10 + ["industry"] * 6 + ["academia"] * 3:
        member(network, kind)
    create_demo_challenges(random.Random(3), count=8)
    made = create_demo_round(random.Random(5), count=300)
    round_ = Round.objects.get()
    assert round_.status == RoundStatus.CLOSED and round_.published_at and round_.network == network
    assert "closed and published" in made
    data = round_.result.data
    assert 30 <= data["ballots"] <= 40 and len(data["raw"]["winners"]) == 5
    assert data["by_constituency"]["academia"]["suppressed"]
    assert round_.options.filter(challenge__isnull=False).exists()
    assert record_verify().ok


def test_no_members_means_no_demo_round(db):
    assert "no priority-setting round" in create_demo_round(random.Random(1))
