from __future__ import annotations

import random
import time

import pytest

from innovatorium.atlas import services as atlas_services
from innovatorium.benefits import selectors
from innovatorium.benefits.demo import create_demo_benefits
from innovatorium.benefits.models import Agreement, AgreementVersion, Posting, VersionStatus
from innovatorium.factories import member
from innovatorium.people.models import Role
from innovatorium.projects.demo import create_demo_projects
from innovatorium.record.selectors import record_verify

pytestmark = pytest.mark.django_db


def test_demo_benefits_are_five_adopted_agreements_with_a_year_of_postings(network, other_network):
    for net in (network, other_network):
        member(net, "nhs", role=Role.FACILITATOR)
        for kind in ("patients-public", "patients-public", "nhs", "industry", "vcse", "academia", "nhs"):
            member(net, kind)
        for k in range(4):
            innovation = atlas_services.innovation_create(network=net, actor=None, name=f"Innovation {k}",
                                                          summary="S", innovation_type="digital")
            atlas_services.innovation_publish(innovation=innovation, actor=None)
    create_demo_projects(random.Random(3), count=4)
    started = time.perf_counter()
    summary = create_demo_benefits(random.Random(5), count=5)
    elapsed = time.perf_counter() - started

    assert "5 benefit-sharing agreements (1 amended)" in summary, summary
    assert Agreement.objects.count() == 5
    assert all(a.versions.filter(status=VersionStatus.ADOPTED).exists() for a in Agreement.objects.all())
    assert AgreementVersion.objects.filter(status=VersionStatus.SUPERSEDED).count() == 1
    assert Posting.objects.filter(reverses__isnull=False).count() == 1
    assert Posting.objects.count() >= 40
    totals = selectors.benefit_totals()
    assert totals.shared + totals.reinvested == totals.earned + totals.saved > 0
    assert record_verify().ok
    assert elapsed < 30
