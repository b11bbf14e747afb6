"""Whole-register versions of the curve and equity rules on integer-coded numpy arrays.

Why: national pages and exports compute curves and equity for every innovation at once from up to millions of
adoption rows; Python loops over rows would take minutes. These functions follow exactly the rules of ``curves``
and ``coverage`` (tests check they agree) on arrays: innovation, site and unit are dense integer codes, ``day`` is
an integer day number, ``status`` a code from ``STATUS_CODES``, and rows are in the order they were recorded.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .curves import Status

STATUS_CODES: dict[Status, int] = {s: i for i, s in enumerate(Status)}
DENSE_LIMIT = 200_000_000  # (innovation, unit) cells for the sort-free union (one byte each)
ADOPTING_CODES = np.array([STATUS_CODES[Status.ADOPTED], STATUS_CODES[Status.EMBEDDED]])


def encode_status(statuses: Sequence[str]) -> np.ndarray:
    """Status names → codes (int8)."""
    return np.array([STATUS_CODES[Status(s)] for s in statuses], dtype=np.int8)


def _last_per_day(innov: np.ndarray, site: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Row order sorted by (innovation, site, day, input order), keeping the last row of each same-day group."""
    if len(day) == 0:
        return np.zeros(0, dtype=np.int64)
    # one int64 key and a stable sort (input order breaks ties) is ~4x faster than lexsort on four keys
    d0 = day.astype(np.int64) - int(day.min())
    n_site, n_day = int(site.max()) + 1, int(d0.max()) + 1
    if int(innov.max()) + 1 < np.iinfo(np.int64).max // max(n_site * n_day, 1):
        order = np.argsort((innov.astype(np.int64) * n_site + site) * n_day + d0, kind="stable")
    else:  # codes too large for one key
        order = np.lexsort((np.arange(len(day)), day, site, innov))
    i, s, d = innov[order], site[order], day[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = (i[1:] != i[:-1]) | (s[1:] != s[:-1]) | (d[1:] != d[:-1])
    return order[last]


def cumulative_curves(
    innov: np.ndarray, site: np.ndarray, day: np.ndarray, status: np.ndarray, n_innov: int, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(adopting, ever_adopted), each (n_innov, len(ends)): counts on each day in ``ends`` (sorted day numbers)."""
    rows = _last_per_day(innov, site, day)
    i, s, d = innov[rows], site[rows], day[rows]
    state = np.isin(status[rows], ADOPTING_CODES).astype(np.int8)
    start = np.ones(len(rows), dtype=bool)
    start[1:] = (i[1:] != i[:-1]) | (s[1:] != s[:-1])
    prev = np.empty_like(state)
    prev[0:1] = 0
    prev[1:] = state[:-1]
    prev[start] = 0
    delta = state - prev
    nb = len(ends)
    col = np.searchsorted(ends, d, side="left")  # a change on day x shows from the first end >= x
    inside = col < nb
    ch = (delta != 0) & inside
    adopting = np.bincount(i[ch] * nb + col[ch], weights=delta[ch], minlength=n_innov * nb)
    # first adoption of each (innovation, site): the first row in the group with state 1
    on = np.flatnonzero(state == 1)
    first_on = on[np.concatenate([[True], (i[on][1:] != i[on][:-1]) | (s[on][1:] != s[on][:-1])])] if len(on) else on
    first_on = first_on[inside[first_on]]
    ever = np.bincount(i[first_on] * nb + col[first_on], minlength=n_innov * nb)
    return (
        np.cumsum(adopting.reshape(n_innov, nb), axis=1).round().astype(np.int64),
        np.cumsum(ever.reshape(n_innov, nb), axis=1),
    )


def adopting_pairs(
    innov: np.ndarray, site: np.ndarray, day: np.ndarray, status: np.ndarray, as_of: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(innovation, site) codes of pairs adopting on ``as_of`` (default: after the last row)."""
    if as_of is not None:
        keep = day <= as_of
        innov, site, day, status = innov[keep], site[keep], day[keep], status[keep]
    rows = _last_per_day(innov, site, day)
    i, s = innov[rows], site[rows]
    last = np.ones(len(rows), dtype=bool)
    last[:-1] = (i[1:] != i[:-1]) | (s[1:] != s[:-1])
    rows = rows[last]
    on = np.isin(status[rows], ADOPTING_CODES)
    return innov[rows][on], site[rows][on]


def concentration_index_deciles(share: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Concentration index per row of ``share`` (n, 10), deciles weighted by ``population`` (10,); nan if mu = 0."""
    w = np.asarray(population, dtype=float)
    total = w.sum()
    r = (np.cumsum(w) - w / 2) / total
    mu = share @ w / total
    cov = (share * (r - 0.5)) @ w / total
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mu > 0, 2 * cov / np.where(mu > 0, mu, 1), np.nan)


def equity_arrays(
    pair_innov: np.ndarray,
    pair_site: np.ndarray,
    n_innov: int,
    site_indptr: np.ndarray,
    site_units: np.ndarray,
    site_shares: np.ndarray | None,
    unit_population: np.ndarray,
    unit_decile: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(covered (n_innov, 10), population (10,), concentration index (n_innov,)) by the union-of-units rule.

    Sites' units are in CSR form: site k serves ``site_units[site_indptr[k]:site_indptr[k+1]]`` (shares alike,
    or all 1 when ``site_shares`` is None). Each (innovation, unit) counts once at its largest share.
    """
    starts = site_indptr[pair_site]
    counts = site_indptr[pair_site + 1] - starts
    total = int(counts.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    idx = np.repeat(starts, counts) + offsets
    inn = np.repeat(pair_innov.astype(np.int64), counts)
    unit = site_units[idx].astype(np.int64)
    key = inn * len(unit_population) + unit
    if site_shares is None:
        space = n_innov * len(unit_population)
        if space <= DENSE_LIMIT:  # a one-byte mark per (innovation, unit): no sort at all
            mark = np.zeros(space, dtype=bool)
            mark[key] = True
            key = np.flatnonzero(mark)
        else:  # sort + mask, not np.unique: numpy 2.4's hash-based unique is pathologically slow on these keys
            key = np.sort(key)
            keep = np.ones(len(key), dtype=bool)
            keep[1:] = key[1:] != key[:-1]
            key = key[keep]
        share = np.ones(len(key))
    else:
        sh = site_shares[idx]
        order = np.lexsort((sh, key))
        key, sh = key[order], sh[order]
        last = np.ones(len(key), dtype=bool)
        last[:-1] = key[1:] != key[:-1]
        key, share = key[last], np.clip(sh[last], 0, 1)
    inn, unit = np.divmod(key, len(unit_population))
    dec = unit_decile[unit].astype(np.int64) - 1
    covered = np.bincount(inn * 10 + dec, weights=unit_population[unit] * share, minlength=n_innov * 10)
    covered = covered.reshape(n_innov, 10)
    population = np.bincount(unit_decile.astype(np.int64) - 1, weights=unit_population, minlength=10)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(population > 0, covered / np.where(population > 0, population, 1), 0.0)
    return covered, population, concentration_index_deciles(shares, population)
