from __future__ import annotations

import random

from innovatorium.dashboard import selectors
from innovatorium.dashboard.demo import create_demo_dashboard
from innovatorium.dashboard.models import ReportedFigure
from innovatorium.record.selectors import record_verify


def test_demo_figures_are_made_for_every_network_deterministically_and_the_record_verifies(network, other_network):
    made = create_demo_dashboard(random.Random(1), 20)
    assert "withdrawn" in made
    first = list(ReportedFigure.objects.order_by("pk").values_list("network__slug", "kind", "amount", "period_end"))
    assert ReportedFigure.objects.filter(withdrawn_at__isnull=False).count() == 1
    assert ReportedFigure.objects.values("network").distinct().count() >= 2
    assert selectors.dashboard().england.figures["investment"].value > 0
    assert record_verify().ok
    ReportedFigure.objects.all().delete()
    create_demo_dashboard(random.Random(1), 20)
    again = list(ReportedFigure.objects.order_by("pk").values_list("network__slug", "kind", "amount", "period_end"))
    assert again == first
