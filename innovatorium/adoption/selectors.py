"""Reads for the register: headline figures, equity tables and curves, computed with the pure ``spread`` package.

Counting methods (shown on every page beside the figures they explain):

* **Innovations introduced**: innovations with at least one site adopting now (status adopted or embedded).
* **Adopting sites**: sites adopting at least one innovation now; a site adopting three counts once.
* **Population covered**: for each innovation, the population covered at each adopting site (as reported, or the
  site's population served when none was reported), **except** a site whose parent, grandparent, ... is also adopting
  that innovation: its people are already inside the ancestor's figure (the parent rule). Then summed over
  innovations, so one person reached by two innovations counts twice (once per innovation).
* **Patients reached**: the sum of what adopting sites reported, as reported (not deduplicated, not verified unless
  marked so).
* **Equity**: population units are sites with no child sites in the register that have a population and a
  deprivation decile (usually GP practices). An adopting site covers itself and every unit beneath it; each unit
  counts once per innovation. A decile's share is people covered / people in the decile; the concentration index is
  negative when coverage favours the more deprived.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection

from innovatorium import spread
from innovatorium.adoption.models import Adoption, AdoptionStatusChange, Site

ADOPTING_SQL = "('adopted', 'embedded')"
MAX_DEPTH = 8  # site → PCN → trust → ICB and some slack; deeper chains are cut


@dataclass
class SiteArrays:
    ids: np.ndarray
    parent: np.ndarray  # dense index of the parent, -1 for none
    population: np.ndarray
    decile: np.ndarray  # 0 when unknown
    network: np.ndarray  # network id, 0 when none

    def index(self, site_ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.ids, site_ids)


@dataclass
class Figures:
    innovations: int
    sites: int
    population: int
    patients: int
    adopting_rows: int
    counted_rows: int


@dataclass
class Equity:
    rows: list[dict] = field(default_factory=list)
    concentration_index: float = float("nan")
    units: int = 0

    @property
    def has_data(self) -> bool:
        return self.units > 0


def _fetch(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def site_arrays() -> SiteArrays:
    """Every site as arrays, in id order (one query)."""
    rows = _fetch(f"SELECT id, parent_id, population, imd_decile, network_id FROM {Site._meta.db_table} "  # noqa: S608
                  "ORDER BY id")
    if not rows:
        z = np.zeros(0, dtype=np.int64)
        return SiteArrays(z, z, z.astype(float), z, z)
    a = np.array([tuple(0 if v is None else v for v in r) for r in rows], dtype=np.int64)
    ids = a[:, 0]
    has_parent = np.array([r[1] is not None for r in rows])
    parent = np.full(len(ids), -1, dtype=np.int64)
    pi = np.searchsorted(ids, a[has_parent, 1])
    pi = np.where((pi < len(ids)) & (ids[np.minimum(pi, len(ids) - 1)] == a[has_parent, 1]), pi, -1)
    parent[has_parent] = pi
    return SiteArrays(ids, parent, a[:, 2].astype(float), a[:, 3], a[:, 4])


def site_arrays_in(sites: SiteArrays, network_id: int) -> SiteArrays:
    """The same sites with only one network's sites kept as population units (for a network's equity table)."""
    return SiteArrays(sites.ids, sites.parent, sites.population, np.where(sites.network == network_id, sites.decile, 0),
                      sites.network)


def adopting_rows(*, innovation_id: int | None = None, network_id: int | None = None,
                  innovation_network_id: int | None = None) -> np.ndarray:
    """(innovation, site, population covered or -1, patients or -1) of adoptions adopting now (one query)."""
    sql = (f"SELECT a.innovation_id, a.site_id, COALESCE(a.population_covered, -1), COALESCE(a.patients_reached, -1) "  # noqa: S608
           f"FROM {Adoption._meta.db_table} a")
    where, params = [f"a.status IN {ADOPTING_SQL}"], []
    if network_id is not None:
        sql += f" JOIN {Site._meta.db_table} s ON s.id = a.site_id"
        where.append("s.network_id = %s")
        params.append(network_id)
    if innovation_network_id is not None:
        sql += " JOIN atlas_innovation i ON i.id = a.innovation_id"
        where.append("i.network_id = %s")
        params.append(innovation_network_id)
    if innovation_id is not None:
        where.append("a.innovation_id = %s")
        params.append(innovation_id)
    rows = _fetch(sql + " WHERE " + " AND ".join(where), params)
    return np.array(rows, dtype=np.int64).reshape(-1, 4)


def counted_mask(rows: np.ndarray, sites: SiteArrays) -> np.ndarray:
    """True for rows whose population is added: no ancestor of the site adopts the same innovation."""
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    n = max(len(sites.ids), 1)
    si = sites.index(rows[:, 1])
    keys = np.sort(rows[:, 0] * n + si)
    covered = np.zeros(len(rows), dtype=bool)
    anc = sites.parent[si]
    for _ in range(MAX_DEPTH):
        live = anc >= 0
        if not live.any():
            break
        k = rows[live, 0] * n + anc[live]
        pos = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
        covered[np.flatnonzero(live)[keys[pos] == k]] = True
        anc = np.where(live, sites.parent[np.maximum(anc, 0)], -1)
    return ~covered


def headline(rows: np.ndarray, sites: SiteArrays) -> Figures:
    """The four headline figures by the counting methods above."""
    if len(rows) == 0:
        return Figures(0, 0, 0, 0, 0, 0)
    counted = counted_mask(rows, sites)
    si = sites.index(rows[:, 1])
    population = np.where(rows[:, 2] >= 0, rows[:, 2], sites.population[si])
    return Figures(
        innovations=len(np.unique(rows[:, 0])),
        sites=len(np.unique(rows[:, 1])),
        population=int(population[counted].sum()),
        patients=int(rows[:, 3][rows[:, 3] > 0].sum()),
        adopting_rows=len(rows),
        counted_rows=int(counted.sum()),
    )


def _units(sites: SiteArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR (indptr, unit index) of the population units each site covers, and the unit → site index map."""
    n = len(sites.ids)
    has_child = np.zeros(n, dtype=bool)
    has_child[sites.parent[sites.parent >= 0]] = True
    unit_sites = np.flatnonzero(~has_child & (sites.decile > 0) & (sites.population > 0))
    unit_code = np.arange(len(unit_sites))
    owners, units = [unit_sites], [unit_code]
    anc = sites.parent[unit_sites]
    for _ in range(MAX_DEPTH):
        live = anc >= 0
        if not live.any():
            break
        owners.append(anc[live])
        units.append(unit_code[live])
        anc = np.where(live, sites.parent[np.maximum(anc, 0)], -1)[live]
        unit_code = unit_code[live]
    owner = np.concatenate(owners)
    unit = np.concatenate(units)
    order = np.argsort(owner, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=n))])
    return indptr, unit[order], unit_sites


def equity(rows: np.ndarray, sites: SiteArrays, *, per_innovation: bool = False):
    """Equity table (union of all innovations in ``rows``), or per innovation → (innovation ids, covered, pop, ci)."""
    indptr, site_units, unit_sites = _units(sites)
    unit_population = sites.population[unit_sites]
    unit_decile = sites.decile[unit_sites]
    if per_innovation:
        innov_ids, codes = np.unique(rows[:, 0], return_inverse=True)
    else:
        innov_ids, codes = np.zeros(1, dtype=np.int64), np.zeros(len(rows), dtype=np.int64)
    if len(unit_sites) == 0:
        empty = np.zeros((len(innov_ids), 10))
        return innov_ids, empty, np.zeros(10), np.full(len(innov_ids), np.nan)
    covered, population, ci = spread.equity_arrays(
        codes, sites.index(rows[:, 1]) if len(rows) else np.zeros(0, dtype=np.int64), len(innov_ids), indptr,
        site_units, None, unit_population, unit_decile,
    )
    return innov_ids, covered, population, ci


def equity_table(rows: np.ndarray, sites: SiteArrays) -> Equity:
    """One equity table for everything in ``rows`` (people covered by at least one of them)."""
    _, covered, population, ci = equity(rows, sites)
    table = spread.equity_from_deciles(population, covered[0])
    units = int(((sites.decile > 0) & (sites.population > 0)).sum())
    out = Equity(concentration_index=float(ci[0]) if len(ci) else float("nan"), units=units if population.sum() else 0)
    for decile, pop, cov, share in table.rows():
        out.rows.append({"decile": decile, "population": int(pop), "covered": int(round(cov)),
                         "share": None if np.isnan(share) else share})
    return out


def network_firsts(*, innovation_id: int | None = None) -> dict[int, dict[int, dt.date]]:
    """innovation → network → the first date any of the network's sites adopted it (one grouped query)."""
    sql = (f"SELECT c.innovation_id, s.network_id, MIN(c.changed_on) FROM {AdoptionStatusChange._meta.db_table} c "  # noqa: S608
           f"JOIN {Site._meta.db_table} s ON s.id = c.site_id "
           f"WHERE c.status IN {ADOPTING_SQL} AND s.network_id IS NOT NULL")
    params: list = []
    if innovation_id is not None:
        sql += " AND c.innovation_id = %s"
        params.append(innovation_id)
    out: dict[int, dict[int, dt.date]] = {}
    for inn, net, day in _fetch(sql + " GROUP BY c.innovation_id, s.network_id", params):
        out.setdefault(inn, {})[net] = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
    return out


@dataclass
class Flows:
    """Co-diffusion between networks, ready for the pages (network objects, not ids)."""

    rows: list[tuple[Any, Any, int]]  # (from network, to network, innovations), largest first
    originated: list[tuple[Any, int, int]]  # (network, innovations adopted there first, of which spread elsewhere)
    steps: list[spread.ArrivalStep]
    spread_innovations: int  # innovations adopted in more than one network

    @property
    def has_data(self) -> bool:
        return bool(self.rows or self.originated)


def flows(first_in: dict[int, dict[int, dt.date]], networks: list) -> Flows:
    """Flows between networks, each network's originations and the time to each next network."""
    by_id = {n.pk: n for n in networks}
    co = spread.codiffusion_from_firsts(first_in, [n.pk for n in networks])
    rows = sorted(((by_id[a], by_id[b], c) for a, b, c in co.as_rows()), key=lambda r: (-r[2], r[0].name, r[1].name))
    spread_out = np.zeros(len(networks), dtype=np.int64)
    index = {n.pk: i for i, n in enumerate(networks)}
    for f in first_in.values():
        start = min(f.values())
        if any(d > start for d in f.values()):
            for n, d in f.items():
                if d == start and n in index:
                    spread_out[index[n]] += 1
    originated = [(n, int(co.originated[i]), int(spread_out[i])) for i, n in enumerate(networks) if co.originated[i]]
    originated.sort(key=lambda r: (-r[1], r[0].name))
    return Flows(rows, originated, spread.arrival_steps(first_in),
                 sum(1 for f in first_in.values() if len(f) > 1))


@dataclass
class ProgrammeProgress:
    targets: int
    adopting_now: int
    ever_adopted: int
    share: float | None  # adopting now / targets
    sites: list[tuple[Any, Any]]  # (target site, its adoption or None), not yet adopting first
    points: list[dict]  # curve of target sites adopting, {"date", "sites", "adopting"}


def programme_progress(programme, *, as_of: dt.date) -> ProgrammeProgress:
    """Progress of a national programme against its target sites (three queries)."""
    targets = list(programme.target_sites.select_related("network").order_by("name"))
    ids = [s.pk for s in targets]
    adoptions = {a.site_id: a for a in Adoption.objects.filter(innovation_id=programme.innovation_id, site_id__in=ids)}
    events = [spread.AdoptionEvent(programme.innovation_id, site, day, status)
              for site, day, status in AdoptionStatusChange.objects.filter(
                  innovation_id=programme.innovation_id, site_id__in=ids).order_by("changed_on", "id")
              .values_list("site_id", "changed_on", "status")]
    progress = spread.programme_progress(events, programme.innovation_id, ids, as_of)
    curve = progress.curve
    points = [{"date": d.isoformat(), "sites": e, "adopting": a}
              for d, e, a in zip(curve.dates, curve.ever_adopted, curve.adopting, strict=True)]
    rows = [(s, adoptions.get(s.pk)) for s in targets]
    rows.sort(key=lambda r: (r[1] is not None and r[1].is_adopting, r[0].name))
    return ProgrammeProgress(len(ids), progress.adopting_now, curve.ever_adopted_by(as_of) if curve.dates else 0,
                             progress.share_of_target if ids else None, rows, points)
