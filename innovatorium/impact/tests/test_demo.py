from __future__ import annotations

import random
import time

from innovatorium.factories import member
from innovatorium.impact import selectors
from innovatorium.impact.demo import create_demo_impact, series
from innovatorium.impact.models import Measure, SurveyResponse, WeightVote
from innovatorium.networks.models import Network
from innovatorium.record.selectors import record_verify
from innovatorium.spc import xmr


def test_demo_measures_come_from_every_partner_group_with_years_of_values_and_signals(db):
    eastern = Network.objects.get(slug="eastern")
    for kind in ("patients-public", "nhs", "social-care", "academia", "industry", "vcse"):
        member(eastern, kind)
    started = time.perf_counter()
    summary = create_demo_impact(random.Random(7), count=20)
    elapsed = time.perf_counter() - started
    assert "measures" in summary and elapsed < 20
    measures = Measure.objects.filter(network=eastern)
    kinds = set(measures.values_list("proposed_by_constituency__kind", flat=True))
    assert kinds == {"patients_public", "nhs", "social_care", "academia", "industry", "vcse"}
    views = selectors.measure_views(list(measures.filter(innovation__isnull=True, project__isnull=True)))
    assert all(24 <= len(v.observations) <= 37 for v in views)
    assert sum(1 for v in views if v.result and v.result.flagged()) >= 3
    assert WeightVote.objects.filter(measure__network=eastern).exists()
    assert SurveyResponse.objects.filter(measure__network=eastern).exists()
    assert record_verify().ok


def test_the_same_seed_makes_the_same_series():
    a = series(random.Random(1), n=30, level=10, noise=1, signal="shift", direction="higher")
    b = series(random.Random(1), n=30, level=10, noise=1, signal="shift", direction="higher")
    assert a == b


def test_each_demo_signal_is_a_real_special_cause():
    for signal, rule in (("shift", "shift"), ("trend", "trend"), ("outlier", "outside_limits"), ("decline", "shift"),
                         ("worsening", "trend")):
        hits = 0
        for seed in range(20):
            ys = series(random.Random(seed), n=30, level=50, noise=4, signal=signal, direction="higher")
            hits += bool(xmr(ys, direction="higher").flagged(rule))
        assert hits >= 15, (signal, hits)
