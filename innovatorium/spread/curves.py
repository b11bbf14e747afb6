"""Adoption events → cumulative adoption curves, first adoptions, region arrivals and co-diffusion flows.

Why a separate, framework-free module: the register's headline figures must be reproducible by anyone from the
published rows, so the counting rules live here in plain Python where they can be read and tested on their own.

Counting rules (the same everywhere in this package):

* A site is **adopting** an innovation from the date of a status event ``adopted`` or ``embedded`` until the date
  of a later event with any other status (``discontinued``, or a move back to ``piloting``/``exploring``).
  Exploring and piloting are not adoption.
* The **adopting** curve counts sites adopting on each date, so a discontinued site *leaves* the curve on the date
  it discontinued (and re-enters if it adopts again). It can go down.
* The **ever-adopted** curve counts sites whose first adoption is on or before each date. It never goes down and is
  what the Bass model describes (first adoptions), so it is the series the Bass fit uses.
* Several events for one site on one date: the last one in input order wins (the register stores them in order).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np


class Status(StrEnum):
    """The adoption status ladder; only ADOPTED and EMBEDDED count as adoption."""

    EXPLORING = "exploring"
    PILOTING = "piloting"
    ADOPTED = "adopted"
    EMBEDDED = "embedded"
    DISCONTINUED = "discontinued"


ADOPTING = frozenset({Status.ADOPTED, Status.EMBEDDED})


@dataclass(frozen=True, slots=True)
class AdoptionEvent:
    """One status transition of one site for one innovation, as stored on the public record."""

    innovation: Hashable
    site: Hashable
    date: date
    status: Status | str


@dataclass(frozen=True, slots=True)
class AdoptionCurve:
    """Step functions of adopting and ever-adopted site counts; each value holds from its date to the next."""

    dates: tuple[date, ...]
    adopting: tuple[int, ...]
    ever_adopted: tuple[int, ...]

    def _index(self, when: date) -> int:
        import bisect

        return bisect.bisect_right(self.dates, when) - 1

    def adopting_on(self, when: date) -> int:
        """Sites adopting on ``when`` (0 before the first event)."""
        i = self._index(when)
        return self.adopting[i] if i >= 0 else 0

    def ever_adopted_by(self, when: date) -> int:
        """Sites that had adopted at least once by ``when``."""
        i = self._index(when)
        return self.ever_adopted[i] if i >= 0 else 0


def _is_adopting(status: Status | str) -> bool:
    return Status(status) in ADOPTING


def _periods(events: Iterable[AdoptionEvent]) -> dict[tuple[Hashable, Hashable], list[tuple[date, date | None]]]:
    """Adopting periods [start, end) per (innovation, site); end None = still adopting."""
    by_pair: dict[tuple[Hashable, Hashable], list[tuple[int, AdoptionEvent]]] = defaultdict(list)
    for i, e in enumerate(events):
        by_pair[(e.innovation, e.site)].append((i, e))
    out: dict[tuple[Hashable, Hashable], list[tuple[date, date | None]]] = {}
    for key, evs in by_pair.items():
        evs.sort(key=lambda ie: (ie[1].date, ie[0]))
        # collapse same-day events: last one wins
        last_of_day: dict[date, bool] = {}
        for _, e in evs:
            last_of_day[e.date] = _is_adopting(e.status)
        periods: list[tuple[date, date | None]] = []
        start: date | None = None
        for d, on in last_of_day.items():
            if on and start is None:
                start = d
            elif not on and start is not None:
                periods.append((start, d))
                start = None
        if start is not None:
            periods.append((start, None))
        if periods:
            out[key] = periods
    return out


def first_adoptions(events: Iterable[AdoptionEvent]) -> dict[tuple[Hashable, Hashable], date]:
    """Date each (innovation, site) first became adopting; pairs that never adopted are absent."""
    return {key: periods[0][0] for key, periods in _periods(events).items()}


def adoption_curves(
    events: Iterable[AdoptionEvent],
    group: Mapping[Hashable, Hashable] | None = None,
) -> dict[Hashable, AdoptionCurve]:
    """Curves per innovation, or per group (e.g. programme) when ``group`` maps innovation → group.

    Innovations missing from ``group`` are left out. A site adopting two innovations of one programme counts once
    in that programme's adopting curve while it adopts either, and once in its ever-adopted curve.
    """
    periods = _periods(events)
    # per (group, site): merge periods across innovations of the group
    per_site: dict[tuple[Hashable, Hashable], list[tuple[date, date | None]]] = defaultdict(list)
    for (innovation, site), ps in periods.items():
        g = innovation if group is None else group.get(innovation)
        if group is not None and innovation not in group:
            continue
        per_site[(g, site)].extend(ps)
    deltas: dict[Hashable, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (g, _site), ps in per_site.items():
        # +1/-1 on a coverage counter so overlapping periods of the same site count once
        marks: dict[date, int] = defaultdict(int)
        for start, end in ps:
            marks[start] += 1
            if end is not None:
                marks[end] -= 1
        level = 0
        first = min(s for s, _ in ps)
        deltas[g][first][1] += 1
        for d in sorted(marks):
            new = level + marks[d]
            if level == 0 and new > 0:
                deltas[g][d][0] += 1
            elif level > 0 and new == 0:
                deltas[g][d][0] -= 1
            level = new
    curves: dict[Hashable, AdoptionCurve] = {}
    for g, by_date in deltas.items():
        dates = sorted(by_date)
        a = np.cumsum([by_date[d][0] for d in dates]).tolist()
        ev = np.cumsum([by_date[d][1] for d in dates]).tolist()
        curves[g] = AdoptionCurve(tuple(dates), tuple(int(x) for x in a), tuple(int(x) for x in ev))
    return curves


@dataclass(frozen=True, slots=True)
class ProgrammeProgress:
    """A national programme's spread among its target sites."""

    curve: AdoptionCurve
    targets: int
    adopting_now: int
    share_of_target: float


def programme_progress(
    events: Iterable[AdoptionEvent], innovation: Hashable, target_sites: Iterable[Hashable], as_of: date
) -> ProgrammeProgress:
    """Curve and progress for a programme: only the target sites count toward the target (others are ignored)."""
    targets = set(target_sites)
    evs = [e for e in events if e.innovation == innovation and e.site in targets]
    curve = adoption_curves(evs).get(innovation, AdoptionCurve((), (), ()))
    now = curve.adopting_on(as_of)
    return ProgrammeProgress(curve, len(targets), now, now / len(targets) if targets else float("nan"))


@dataclass(frozen=True, slots=True)
class RegionArrival:
    """When an innovation first reached a region, and how long after its first adoption anywhere."""

    region: Hashable
    date: date
    days_from_first: int
    order: int


def region_arrivals(
    events: Iterable[AdoptionEvent], site_region: Mapping[Hashable, Hashable], innovation: Hashable
) -> list[RegionArrival]:
    """Regions in the order the innovation reached them (first adoption by any site there).

    The clock starts at the first adoption anywhere, including at sites with no region, so the first region can be
    reached after day 0. Regions reached on the same date share an order number.
    """
    firsts = {site: d for (inn, site), d in first_adoptions(events).items() if inn == innovation}
    if not firsts:
        return []
    start = min(firsts.values())
    by_region: dict[Hashable, date] = {}
    for site, d in firsts.items():
        r = site_region.get(site)
        if r is not None and (r not in by_region or d < by_region[r]):
            by_region[r] = d
    out: list[RegionArrival] = []
    order, prev = 0, None
    for r, d in sorted(by_region.items(), key=lambda kv: (kv[1], str(kv[0]))):
        if d != prev:
            order += 1
            prev = d
        out.append(RegionArrival(r, d, (d - start).days, order))
    return out


@dataclass(frozen=True, slots=True)
class CoDiffusion:
    """Flows between networks: ``counts[a, b]`` innovations first adopted in network a that b adopted later."""

    networks: tuple[Hashable, ...]
    counts: np.ndarray
    originated: np.ndarray  # innovations each network was (one of) the first to adopt

    def as_rows(self) -> list[tuple[Hashable, Hashable, int]]:
        """Non-zero flows as (from, to, innovations), the table alternative to a chart."""
        a, b = np.nonzero(self.counts)
        return [(self.networks[i], self.networks[j], int(self.counts[i, j])) for i, j in zip(a, b, strict=True)]


def network_first_adoptions(
    events: Iterable[AdoptionEvent], site_network: Mapping[Hashable, Hashable]
) -> dict[Hashable, dict[Hashable, date]]:
    """innovation → network → date of the first adoption by any of the network's sites (sites without one ignored)."""
    first_in: dict[Hashable, dict[Hashable, date]] = defaultdict(dict)
    for (inn, site), d in first_adoptions(events).items():
        n = site_network.get(site)
        if n is None:
            continue
        cur = first_in[inn].get(n)
        if cur is None or d < cur:
            first_in[inn][n] = d
    return dict(first_in)


def codiffusion_flows(
    events: Iterable[AdoptionEvent],
    site_network: Mapping[Hashable, Hashable],
    networks: Sequence[Hashable] | None = None,
) -> CoDiffusion:
    """Which networks adopted innovations first adopted elsewhere.

    For each innovation the origin is the network(s) whose sites adopted it on the earliest adoption date (ties make
    co-origins, each credited); every network whose first adoption is strictly later gets one flow from each origin.
    Each innovation contributes at most one to any cell, however many sites adopt. Sites without a network are ignored.
    """
    return codiffusion_from_firsts(network_first_adoptions(events, site_network), networks)


def codiffusion_from_firsts(
    first_in: Mapping[Hashable, Mapping[Hashable, date]], networks: Sequence[Hashable] | None = None
) -> CoDiffusion:
    """Co-diffusion flows from each innovation's first adoption date in each network (see ``codiffusion_flows``);
    the register computes these dates in the database, one row per innovation and network."""
    names = (
        tuple(networks) if networks is not None else tuple(sorted({n for f in first_in.values() for n in f}, key=str))
    )
    index = {n: i for i, n in enumerate(names)}
    counts = np.zeros((len(names), len(names)), dtype=np.int64)
    originated = np.zeros(len(names), dtype=np.int64)
    for f in first_in.values():
        if not f:
            continue
        start = min(f.values())
        origins = [index[n] for n, d in f.items() if d == start and n in index]
        later = [index[n] for n, d in f.items() if d > start and n in index]
        for o in origins:
            originated[o] += 1
            for b in later:
                counts[o, b] += 1
    return CoDiffusion(names, counts, originated)


def arrivals_from_firsts(firsts: Mapping[Hashable, date]) -> list[RegionArrival]:
    """Regions (networks) in the order an innovation reached them, from its first adoption date in each."""
    if not firsts:
        return []
    start = min(firsts.values())
    out: list[RegionArrival] = []
    order, prev = 0, None
    for r, d in sorted(firsts.items(), key=lambda kv: (kv[1], str(kv[0]))):
        if d != prev:
            order += 1
            prev = d
        out.append(RegionArrival(r, d, (d - start).days, order))
    return out


@dataclass(frozen=True, slots=True)
class ArrivalStep:
    """Across innovations: how long after its first adoption an innovation reached its k-th region."""

    k: int
    innovations: int  # innovations that reached at least k regions
    median_days: float
    lower_quartile_days: float
    upper_quartile_days: float


def arrival_steps(first_in: Mapping[Hashable, Mapping[Hashable, date]], max_k: int | None = None) -> list[ArrivalStep]:
    """For k = 2, 3, ...: days from each innovation's first adoption anywhere to its first adoption in a k-th region
    (regions reached on the same day are counted one after another, so a tie gives 0 days), summarised over the
    innovations that got that far. Innovations in one region only contribute nothing."""
    lags: dict[int, list[int]] = defaultdict(list)
    for firsts in first_in.values():
        days = sorted(firsts.values())
        for k, d in enumerate(days[1:], start=2):
            lags[k].append((d - days[0]).days)
    out = []
    for k in sorted(lags):
        if max_k is not None and k > max_k:
            break
        a = np.asarray(lags[k], dtype=float)
        lo, med, hi = np.quantile(a, [0.25, 0.5, 0.75])
        out.append(ArrivalStep(k, len(a), float(med), float(lo), float(hi)))
    return out
