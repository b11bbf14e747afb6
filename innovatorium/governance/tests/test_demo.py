from __future__ import annotations

import random
import time

from innovatorium.factories import member
from innovatorium.governance.demo import create_demo_governance
from innovatorium.governance.models import Body, Draw, Election, Motion
from innovatorium.people.models import DeclarationOfInterest, InterestType
from innovatorium.record.selectors import record_verify


def test_demo_governance_has_boards_an_election_a_draw_and_a_dozen_motions(network, other_network):
    for net in (network, other_network):
        for kind in ("patients-public", "patients-public", "patients-public", "nhs", "nhs", "nhs", "industry",
                     "industry", "vcse", "academia", "social-care"):
            member(net, kind)
    for net in (network, other_network):  # the demo board is in whichever network comes first
        industry = net.memberships.filter(constituency__slug="industry").first().person
        DeclarationOfInterest.objects.create(person=industry, network=net, interest_type=InterestType.FINANCIAL,
                                             organisation_name="Brightpath Diagnostics Ltd", description="Founder")
    started = time.perf_counter()
    summary = create_demo_governance(random.Random(5), count=12)
    elapsed = time.perf_counter() - started
    assert "boards" in summary
    assert Body.objects.filter(kind="board").count() == 2
    assert Election.objects.get().status == "counted"
    assert Draw.objects.count() == 1
    motions = Motion.objects.all()
    assert motions.count() == 12
    assert {m.outcome for m in motions} >= {"passed", "failed", "inquorate", ""}
    assert Motion.objects.get(title__startswith="Contract with Brightpath").recusals.exists()
    assert record_verify().ok
    assert elapsed < 30
