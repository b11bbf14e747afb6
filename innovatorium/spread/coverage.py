"""Population covered (each person once per innovation) and equity of access by deprivation decile.

Why two rules: the register must never add overlapping sites twice, but the data to prove overlap varies.

* **Union of population units** (preferred). Each site serves a set of population units - LSOAs, or GP-practice
  lists for a trust or PCN - optionally a share of each unit. Units have one population and one IMD decile. For an
  innovation, each unit counts once, at the *largest* share any adopting site serves. Taking the max, not the sum,
  assumes shares of one unit are nested (a conservative lower bound: the true union lies between the max and
  min(1, sum)); with whole units (share 1) it is exact. Adding a site therefore never adds more than its own
  not-yet-covered people.
* **Hierarchy** (fallback when only site populations are known). A site whose parent, grandparent, ... (PCN, trust,
  ICB) is also adopting is not added: its people are inside the ancestor's count. It assumes a parent's population
  includes its children's.

Deprivation deciles follow the English Index of Multiple Deprivation: **decile 1 = most deprived** 10 % of LSOAs,
10 = least deprived.

Concentration index (Wagstaff, van Doorslaer & Watanabe 1991; O'Donnell et al. 2008)::

    C = 2 cov_w(h, r) / mu

h is coverage (share covered) of each person - here each decile's share, weighted by its population - mu its
population-weighted mean, and r the fractional rank by deprivation, **most deprived first** (r near 0 = most
deprived; people tied on decile share the mid-rank of their group). So **C < 0: coverage concentrated among the
deprived; C > 0: among the affluent; C = 0: equal shares** (or no gradient). C is undefined (nan) when nobody is
covered, and lies in [-1, 1].
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DECILES = tuple(range(1, 11))

SiteUnits = Mapping[Hashable, Mapping[Hashable, float]]  # site -> {unit: share served (0..1]}


def covered_units(adopting_sites: Iterable[Hashable], site_units: SiteUnits) -> dict[Hashable, float]:
    """Unit → share covered, the max over adopting sites (each person once). Unknown sites cover nothing."""
    out: dict[Hashable, float] = {}
    for site in adopting_sites:
        for unit, share in site_units.get(site, {}).items():
            share = min(max(float(share), 0.0), 1.0)
            if share > out.get(unit, 0.0):
                out[unit] = share
    return out


def population_covered(
    adopting_sites: Iterable[Hashable], site_units: SiteUnits, unit_population: Mapping[Hashable, float]
) -> float:
    """People covered, counting each unit once at its largest served share."""
    return float(sum(unit_population.get(u, 0.0) * s for u, s in covered_units(adopting_sites, site_units).items()))


def counted_sites_hierarchical(
    adopting_sites: Iterable[Hashable], parent: Mapping[Hashable, Hashable | None]
) -> set[Hashable]:
    """Adopting sites that are counted: those with no adopting ancestor (cycles in ``parent`` are cut)."""
    adopting = set(adopting_sites)
    counted = set()
    for site in adopting:
        seen = {site}
        up = parent.get(site)
        covered = False
        while up is not None and up not in seen:
            if up in adopting:
                covered = True
                break
            seen.add(up)
            up = parent.get(up)
        if not covered:
            counted.add(site)
    return counted


def population_covered_hierarchical(
    adopting_sites: Iterable[Hashable],
    parent: Mapping[Hashable, Hashable | None],
    site_population: Mapping[Hashable, float],
) -> float:
    """People covered under the hierarchy rule: sum over adopting sites with no adopting ancestor."""
    return float(sum(site_population.get(s, 0.0) for s in counted_sites_hierarchical(adopting_sites, parent)))


@dataclass(frozen=True)
class EquityTable:
    """Coverage by IMD decile (index 0 = decile 1, most deprived) and the concentration index."""

    population: np.ndarray  # people in each decile
    covered: np.ndarray  # people covered in each decile
    concentration_index: float

    @property
    def share(self) -> np.ndarray:
        """Share of each decile's people covered (nan for empty deciles)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(
                self.population > 0, self.covered / np.where(self.population > 0, self.population, 1), np.nan
            )

    def rows(self) -> list[tuple[int, float, float, float]]:
        """(decile, population, covered, share) - the table alternative to the chart."""
        return [
            (d, float(p), float(c), float(s))
            for d, p, c, s in zip(DECILES, self.population, self.covered, self.share, strict=True)
        ]


def concentration_index(
    h: Sequence[float] | np.ndarray,
    deprivation: Sequence[float] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None = None,
) -> float:
    """C = 2 cov_w(h, r)/mu with r the weighted fractional rank, most deprived (smallest ``deprivation``) first.

    ``h`` is the outcome per person or group, ``weights`` the people each stands for. Ties in ``deprivation`` share
    the mid-rank of their group, so grouped data gives exactly the individual-level answer.
    """
    h = np.asarray(h, dtype=float)
    dep = np.asarray(deprivation, dtype=float)
    w = np.ones_like(h) if weights is None else np.asarray(weights, dtype=float)
    keep = w > 0
    h, dep, w = h[keep], dep[keep], w[keep]
    total = w.sum()
    if total <= 0:
        return float("nan")
    mu = float((w * h).sum() / total)
    if mu == 0:
        return float("nan")
    levels, inv = np.unique(dep, return_inverse=True)
    wl = np.bincount(inv, weights=w, minlength=len(levels))
    before = np.concatenate([[0.0], np.cumsum(wl)[:-1]])
    r = ((before + wl / 2) / total)[inv]
    cov = float((w * (h - mu) * (r - 0.5)).sum() / total)
    return 2 * cov / mu


def equity_from_deciles(population: Sequence[float] | np.ndarray, covered: Sequence[float] | np.ndarray) -> EquityTable:
    """Equity table from people and people covered per decile (1..10 in order)."""
    pop = np.asarray(population, dtype=float)
    cov = np.asarray(covered, dtype=float)
    if pop.shape != (10,) or cov.shape != (10,):
        raise ValueError("need ten deciles")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(pop > 0, cov / np.where(pop > 0, pop, 1), 0.0)
    return EquityTable(pop, cov, concentration_index(share, np.arange(1, 11), pop))


def equity_table(
    adopting_sites: Iterable[Hashable],
    site_units: SiteUnits,
    unit_population: Mapping[Hashable, float],
    unit_decile: Mapping[Hashable, int],
) -> EquityTable:
    """Coverage per decile for one innovation, union-of-units rule; population is all units with a decile."""
    pop = np.zeros(10)
    for u, p in unit_population.items():
        d = unit_decile.get(u)
        if d is not None:
            pop[d - 1] += p
    cov = np.zeros(10)
    for u, s in covered_units(adopting_sites, site_units).items():
        d = unit_decile.get(u)
        if d is not None:
            cov[d - 1] += unit_population.get(u, 0.0) * s
    return equity_from_deciles(pop, cov)
