"""Population counted once, the hierarchy rule, equity tables and the concentration index sign convention."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innovatorium.spread import (
    concentration_index,
    concentration_index_deciles,
    counted_sites_hierarchical,
    equity_arrays,
    equity_from_deciles,
    equity_table,
    population_covered,
    population_covered_hierarchical,
)

FAST = settings(max_examples=80, deadline=None)
POP = np.full(10, 1000.0)


def test_sign_deprived_only_is_negative():
    cov = np.array([1000, 1000, 1000, 0, 0, 0, 0, 0, 0, 0.0])
    assert equity_from_deciles(POP, cov).concentration_index < 0


def test_sign_affluent_only_is_positive():
    cov = np.array([0, 0, 0, 0, 0, 0, 0, 1000, 1000, 1000.0])
    assert equity_from_deciles(POP, cov).concentration_index > 0


def test_equal_shares_is_zero():
    pop = np.array([900, 1200, 1000, 800, 1100, 1000, 950, 1050, 1000, 1000.0])
    assert equity_from_deciles(pop, 0.4 * pop).concentration_index == pytest.approx(0, abs=1e-12)


def test_worked_value_only_most_deprived_decile():
    """Everyone in decile 1 covered, no one else: h = 1 on r = 0.05, mu = 0.1 → C = 2·cov/mu = -0.9."""
    cov = np.zeros(10)
    cov[0] = 1000
    assert equity_from_deciles(POP, cov).concentration_index == pytest.approx(-0.9)
    assert concentration_index_deciles((cov / POP)[None, :], POP)[0] == pytest.approx(-0.9)


def test_nobody_covered_is_nan():
    assert np.isnan(equity_from_deciles(POP, np.zeros(10)).concentration_index)


@FAST
@given(
    st.lists(st.integers(1, 30), min_size=10, max_size=10),
    st.lists(st.floats(0, 1), min_size=10, max_size=10),
)
def test_grouped_equals_individual_level_and_properties(pops, shares):
    pops, shares = np.array(pops, float), np.array(shares)
    c = concentration_index(shares, np.arange(1, 11), pops)
    # one row per person, tied deciles sharing the mid-rank
    people_h = np.repeat(shares, pops.astype(int))
    people_d = np.repeat(np.arange(1, 11), pops.astype(int))
    c_ind = concentration_index(people_h, people_d)
    if np.isnan(c):
        assert np.isnan(c_ind)
        return
    assert c == pytest.approx(c_ind, abs=1e-9)
    assert -1 <= c <= 1
    assert concentration_index(3 * shares, np.arange(1, 11), pops) == pytest.approx(c, abs=1e-9)  # scale-free
    flipped = concentration_index(shares, -np.arange(1, 11), pops)  # reverse the deprivation order
    assert flipped == pytest.approx(-c, abs=1e-9)
    assert concentration_index_deciles((shares)[None, :], pops)[0] == pytest.approx(c, abs=1e-9)


# --- population once ---------------------------------------------------------------------------------------------

UNIT_POP = {"L1": 1000, "L2": 2000, "L3": 1500, "L4": 500}
UNIT_DEC = {"L1": 1, "L2": 1, "L3": 6, "L4": 10}
SITES = {
    "practiceA": {"L1": 1.0, "L2": 0.5},
    "practiceB": {"L2": 0.5, "L3": 1.0},
    "trustT": {"L1": 1.0, "L2": 1.0, "L3": 1.0},
    "pharmacy": {"L4": 0.2},
}


def test_overlapping_sites_counted_once_worked():
    assert population_covered(["practiceA"], SITES, UNIT_POP) == 2000
    assert population_covered(["practiceA", "practiceB"], SITES, UNIT_POP) == 3500  # L2 at max share 0.5
    assert population_covered(["practiceA", "trustT"], SITES, UNIT_POP) == 4500
    assert population_covered(["practiceA", "practiceB", "trustT", "pharmacy", "unknown"], SITES, UNIT_POP) == 4600
    t = equity_table(["practiceA", "pharmacy"], SITES, UNIT_POP, UNIT_DEC)
    assert t.covered[0] == 2000 and t.covered[9] == 100 and t.population[0] == 3000
    assert t.rows()[0] == (1, 3000.0, 2000.0, pytest.approx(2 / 3))


site_maps = st.dictionaries(
    st.integers(0, 9),
    st.dictionaries(st.integers(0, 14), st.sampled_from([0.25, 0.5, 1.0]), max_size=5),
    max_size=8,
)


@FAST
@given(site_maps, st.lists(st.integers(0, 9), max_size=8), st.integers(0, 9))
def test_adding_a_site_adds_at_most_its_new_people(sites, adopting, new):
    unit_pop = {u: 100.0 * (u + 1) for u in range(15)}
    before = population_covered(adopting, sites, unit_pop)
    after = population_covered([*adopting, new], sites, unit_pop)
    own = sum(unit_pop[u] * s for u, s in sites.get(new, {}).items())
    assert before - 1e-9 <= after <= before + own + 1e-9
    total = sum(unit_pop.values())
    assert after <= total + 1e-9
    assert population_covered([*adopting, new, new, *adopting], sites, unit_pop) == pytest.approx(after)


def test_hierarchy_rule_worked():
    parent = {"gp1": "pcn1", "gp2": "pcn1", "gp3": "pcn2", "pcn1": "icb", "pcn2": "icb", "icb": None}
    pop = {"gp1": 10, "gp2": 20, "gp3": 30, "pcn1": 35, "pcn2": 40, "icb": 100}
    assert population_covered_hierarchical(["gp1", "gp2"], parent, pop) == 30
    assert counted_sites_hierarchical(["gp1", "gp2", "pcn1", "gp3"], parent) == {"pcn1", "gp3"}
    assert population_covered_hierarchical(["gp1", "gp2", "pcn1", "gp3"], parent, pop) == 65
    assert population_covered_hierarchical(["gp1", "icb", "pcn2"], parent, pop) == 100
    # a cycle in the parent data: each site is under the other, so neither is counted on its own - and no hang
    assert counted_sites_hierarchical(["a", "b"], {"a": "b", "b": "a"}) == set()


@FAST
@given(site_maps, st.lists(st.tuples(st.integers(0, 2), st.integers(0, 9)), max_size=20))
def test_array_equity_agrees(sites, pairs):
    unit_pop = np.array([100.0 * (u + 1) for u in range(15)])
    unit_dec = np.array([(u % 10) + 1 for u in range(15)])
    indptr = np.zeros(11, dtype=np.int64)
    units, shares = [], []
    for s in range(10):
        items = sorted(sites.get(s, {}).items())
        units += [u for u, _ in items]
        shares += [v for _, v in items]
        indptr[s + 1] = len(units)
    pi = np.array([p[0] for p in pairs], dtype=np.int64)
    ps = np.array([p[1] for p in pairs], dtype=np.int64)
    covered, population, ci = equity_arrays(
        pi, ps, 3, indptr, np.array(units, dtype=np.int64), np.array(shares, float), unit_pop, unit_dec
    )
    for k in range(3):
        t = equity_table(
            [s for i, s in pairs if i == k],
            sites,
            dict(enumerate(unit_pop)),
            {u: int(d) for u, d in enumerate(unit_dec)},
        )
        assert covered[k] == pytest.approx(t.covered)
        assert population == pytest.approx(t.population)
        assert ci[k] == pytest.approx(t.concentration_index, nan_ok=True)
