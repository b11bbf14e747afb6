"""Adoption curves, programme progress, region arrivals and co-diffusion: worked examples and properties."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings

from innovatorium.spread import (
    AdoptionEvent,
    adoption_curves,
    codiffusion_flows,
    cumulative_curves,
    encode_status,
    first_adoptions,
    programme_progress,
    region_arrivals,
)
from innovatorium.spread.tests.strategies import DAY0, histories

FAST = settings(max_examples=60, deadline=None)


def ev(inn, site, d, status):
    return AdoptionEvent(inn, site, date(2024, 1, d), status)


def test_worked_curve_discontinued_site_leaves_adopting_not_ever():
    events = [
        ev("x", "s1", 1, "exploring"),
        ev("x", "s1", 3, "adopted"),
        ev("x", "s2", 5, "piloting"),
        ev("x", "s2", 6, "adopted"),
        ev("x", "s2", 8, "embedded"),  # still adopting: no change
        ev("x", "s1", 10, "discontinued"),
        ev("x", "s1", 20, "adopted"),  # re-adopts: back on the adopting curve, not counted again as ever
    ]
    c = adoption_curves(events)["x"]
    assert c.dates == (date(2024, 1, 3), date(2024, 1, 6), date(2024, 1, 10), date(2024, 1, 20))
    assert c.adopting == (1, 2, 1, 2)
    assert c.ever_adopted == (1, 2, 2, 2)
    assert c.adopting_on(date(2024, 1, 2)) == 0
    assert c.adopting_on(date(2024, 1, 15)) == 1
    assert c.ever_adopted_by(date(2024, 12, 1)) == 2


def test_same_day_last_event_wins_and_pilots_do_not_count():
    events = [ev("x", "s1", 2, "adopted"), ev("x", "s1", 2, "discontinued"), ev("x", "s2", 2, "piloting")]
    assert adoption_curves(events) == {}
    assert first_adoptions(events) == {}


def test_programme_group_counts_a_site_once():
    events = [ev("x", "s1", 1, "adopted"), ev("y", "s1", 2, "adopted"), ev("y", "s2", 3, "adopted")]
    c = adoption_curves(events, group={"x": "P", "y": "P"})["P"]
    assert c.adopting == (1, 2) and c.ever_adopted == (1, 2)


def test_programme_progress_counts_targets_only():
    events = [ev("x", "s1", 1, "adopted"), ev("x", "s2", 2, "adopted"), ev("x", "other", 2, "adopted")]
    prog = programme_progress(events, "x", ["s1", "s2", "s3", "s4"], date(2024, 2, 1))
    assert (prog.targets, prog.adopting_now, prog.share_of_target) == (4, 2, 0.5)


@FAST
@given(histories())
def test_ever_curve_monotone_and_bounds_adopting(events):
    for name, c in adoption_curves(events).items():
        assert list(c.dates) == sorted(c.dates)
        assert all(b >= a for a, b in zip(c.ever_adopted, c.ever_adopted[1:], strict=False))
        assert all(0 <= a <= e for a, e in zip(c.adopting, c.ever_adopted, strict=True))
        assert c.ever_adopted[-1] <= len({e.site for e in events if e.innovation == name})


@FAST
@given(histories())
def test_array_curves_agree_with_event_rules(events):
    names = ["a", "b", "c"]
    innov = np.array([names.index(e.innovation) for e in events], dtype=np.int64)
    site = np.array([e.site for e in events], dtype=np.int64)
    day = np.array([(e.date - DAY0).days for e in events], dtype=np.int64)
    status = encode_status([e.status for e in events])
    ends = np.arange(0, 61, 5)
    adopting, ever = cumulative_curves(innov, site, day, status, 3, ends)
    curves = adoption_curves(events)
    for k, name in enumerate(names):
        c = curves.get(name)
        for j, end in enumerate(ends):
            when = DAY0 + timedelta(days=int(end))
            assert adopting[k, j] == (c.adopting_on(when) if c else 0)
            assert ever[k, j] == (c.ever_adopted_by(when) if c else 0)


def test_region_arrivals_worked():
    events = [
        ev("x", "a1", 1, "adopted"),
        ev("x", "b1", 11, "adopted"),
        ev("x", "a2", 12, "adopted"),
        ev("x", "c1", 11, "piloting"),  # piloting is not arrival
        ev("x", "c1", 21, "embedded"),
        ev("x", "d1", 11, "adopted"),
    ]
    regions = {"a1": "North", "a2": "North", "b1": "South", "c1": "East", "d1": "West"}
    got = [(r.region, r.days_from_first, r.order) for r in region_arrivals(events, regions, "x")]
    assert got == [("North", 0, 1), ("South", 10, 2), ("West", 10, 2), ("East", 20, 3)]
    assert region_arrivals(events, regions, "nothing") == []


def test_codiffusion_worked():
    events = [
        # x: first in A, then B and C
        ev("x", "a", 1, "adopted"),
        ev("x", "b", 5, "adopted"),
        ev("x", "b2", 6, "adopted"),  # second B site: still one flow
        ev("x", "c", 9, "adopted"),
        # y: first in B, then A
        ev("y", "b", 2, "adopted"),
        ev("y", "a", 4, "embedded"),
        # z: A and C on the same first day (co-origins), then B
        ev("z", "a", 3, "adopted"),
        ev("z", "c", 3, "adopted"),
        ev("z", "b", 7, "adopted"),
    ]
    net = {"a": "A", "b": "B", "b2": "B", "c": "C"}
    f = codiffusion_flows(events, net)
    assert f.networks == ("A", "B", "C")
    assert f.counts.tolist() == [[0, 2, 1], [1, 0, 0], [0, 1, 0]]
    assert f.originated.tolist() == [2, 1, 1]
    assert ("A", "B", 2) in f.as_rows()


def test_codiffusion_from_database_style_first_dates_matches_the_event_version():
    from innovatorium.spread import codiffusion_from_firsts, network_first_adoptions

    events = [ev("x", "a", 1, "adopted"), ev("x", "b", 5, "adopted"), ev("y", "b", 2, "adopted"),
              ev("y", "a", 4, "embedded"), ev("y", "c", 6, "piloting")]
    net = {"a": "A", "b": "B", "c": "C"}
    firsts = network_first_adoptions(events, net)
    assert firsts == {"x": {"A": date(2024, 1, 1), "B": date(2024, 1, 5)},
                      "y": {"B": date(2024, 1, 2), "A": date(2024, 1, 4)}}
    assert codiffusion_from_firsts(firsts).counts.tolist() == codiffusion_flows(events, net).counts.tolist()


def test_arrivals_and_arrival_steps_worked():
    from innovatorium.spread import arrival_steps, arrivals_from_firsts

    first_in = {
        "x": {"A": date(2024, 1, 1), "B": date(2024, 1, 11), "C": date(2024, 1, 31)},
        "y": {"B": date(2024, 1, 1), "A": date(2024, 1, 21)},
        "z": {"C": date(2024, 1, 1)},  # one region: nothing to add
    }
    got = [(a.region, a.days_from_first, a.order) for a in arrivals_from_firsts(first_in["x"])]
    assert got == [("A", 0, 1), ("B", 10, 2), ("C", 30, 3)]
    assert arrivals_from_firsts({}) == []
    steps = arrival_steps(first_in)
    assert [(s.k, s.innovations, s.median_days) for s in steps] == [(2, 2, 15.0), (3, 1, 30.0)]
    assert arrival_steps(first_in, max_k=2)[-1].k == 2
    assert arrival_steps({}) == []
