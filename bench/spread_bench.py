"""Spread analytics speed: `uv run python bench/spread_bench.py [--rows 1000000] [--innovations 1000] [--sites 3000]`.

Synthetic register: S sites, each serving 3-12 of ~33,000 LSOA-like population units (unit populations 1,000-2,000,
IMD decile by unit); I innovations, each with Bass parameters drawn from p ∈ [0.005, 0.05], q ∈ [0.2, 1.0] per year
and a market of sites, whose adopters adopt at Bass-distributed times (inverse CDF) after exploring and piloting, 8 %
later discontinuing; rows are scaled to --rows (about 3.2 events per adopting site). Times, in the same process:

* baseline - ``np.cumsum`` over the status column of all rows (the least any pass over the rows must do), so the
  figures from a busy shared machine stay comparable as ratios;
* curves - monthly adopting and ever-adopted curves for every innovation (``cumulative_curves``);
* Bass fits - one ``fit_bass`` per innovation on its monthly ever-adopted curve (Jacobian intervals, bands), plus
  how well p and q are recovered (median and 90th centile of |relative error| over innovations past their peak);
* equity table - the adopting (innovation, site) pairs as of the last day, population covered per decile by the
  union-of-units rule, and every innovation's concentration index (``adopting_pairs`` + ``equity_arrays``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from innovatorium.spread import (  # noqa: E402
    STATUS_CODES,
    Status,
    adopting_pairs,
    cumulative_curves,
    equity_arrays,
    fit_bass,
)

MONTH = 365.25 / 12


def synth(rows: int, n_innov: int, n_sites: int, n_units: int, years: float, seed: int):
    rng = np.random.default_rng(seed)
    # population units and which sites serve them
    unit_pop = rng.integers(1000, 2001, n_units).astype(float)
    unit_dec = rng.integers(1, 11, n_units)
    per_site = rng.integers(3, 13, n_sites)
    indptr = np.concatenate([[0], np.cumsum(per_site)])
    site_units = rng.integers(0, n_units, indptr[-1])
    # innovations
    p = rng.uniform(0.005, 0.05, n_innov)
    q = rng.uniform(0.2, 1.0, n_innov)
    pairs_wanted = rows / 3.25
    m = np.maximum(20, rng.uniform(0.5, 1.5, n_innov) * pairs_wanted / n_innov).astype(int)
    m = np.minimum(m, n_sites)
    launch = rng.uniform(0, years * 0.3, n_innov)
    innov = np.repeat(np.arange(n_innov), m)
    site = np.concatenate([rng.choice(n_sites, k, replace=False) for k in m])
    u = rng.uniform(size=len(innov))
    e = (1 - u) / (1 + (q / p)[innov] * u)
    t_adopt = launch[innov] + -np.log(e) / (p + q)[innov]  # years
    seen = t_adopt <= years
    innov, site, t_adopt = innov[seen], site[seen], t_adopt[seen]
    k = len(innov)
    lead = rng.uniform(0.05, 0.5, (k, 2)).cumsum(axis=1)
    disc = rng.uniform(size=k) < 0.08
    t_disc = t_adopt + rng.uniform(0.2, 3.0, k)
    disc &= t_disc <= years
    cols = [
        (innov, site, t_adopt - lead[:, 1], STATUS_CODES[Status.EXPLORING]),
        (innov, site, t_adopt - lead[:, 0], STATUS_CODES[Status.PILOTING]),
        (innov, site, t_adopt, STATUS_CODES[Status.ADOPTED]),
        (innov[disc], site[disc], t_disc[disc], STATUS_CODES[Status.DISCONTINUED]),
    ]
    ri = np.concatenate([c[0] for c in cols])
    rs = np.concatenate([c[1] for c in cols])
    rd = np.floor(np.concatenate([c[2] for c in cols]) * 365.25).astype(np.int64)
    rt = np.concatenate([np.full(len(c[0]), c[3], dtype=np.int8) for c in cols])
    order = np.argsort(rd, kind="stable")  # recorded in date order
    return (ri[order], rs[order], rd[order], rt[order]), (p, q, m, launch), (indptr, site_units, unit_pop, unit_dec)


def timed(fn, repeat: int = 1):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--innovations", type=int, default=1000)
    ap.add_argument("--sites", type=int, default=3000)
    ap.add_argument("--units", type=int, default=33_000)
    ap.add_argument("--years", type=float, default=12.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    # the observation window cuts late adopters, so calibrate the market sizes once to land near --rows
    trial = len(synth(a.rows, a.innovations, a.sites, a.units, a.years, a.seed)[0][0])
    (innov, site, day, status), (p, q, m, launch), (indptr, units, unit_pop, unit_dec) = synth(
        a.rows * a.rows / trial, a.innovations, a.sites, a.units, a.years, a.seed
    )
    n = len(innov)
    print(
        f"{n:,} adoption rows, {a.innovations:,} innovations (market median {int(np.median(m))} sites), "
        f"{a.sites:,} sites, {a.units:,} population units"
    )

    base, _ = timed(lambda: np.cumsum(status, dtype=np.int64), repeat=5)
    print(f"baseline np.cumsum over {n:,} rows: {base * 1e3:.2f} ms")

    ends = np.arange(1, int(a.years * 12) + 1) * MONTH
    ends = np.floor(ends).astype(np.int64)
    t_curves, (adopting, ever) = timed(lambda: cumulative_curves(innov, site, day, status, a.innovations, ends), 3)
    print(f"curves (monthly, every innovation): {t_curves:.3f} s = {t_curves / base:,.0f}x baseline")

    def fit_all():
        fits, errs = [], []
        for k in range(a.innovations):
            start = int(np.floor(launch[k] * 12))  # months from day 0 to the launch month
            series = ever[k, start:].astype(float)
            tk = (np.arange(1, len(series) + 1) + start - launch[k] * 12) / 12
            ok = tk > 0
            fits.append(fit_bass(tk[ok], series[ok], n_draws=100))
            past_peak = np.log(q[k] / p[k]) / (p[k] + q[k]) < tk[-1] * 0.8
            if past_peak:
                errs.append((fits[-1].p / p[k] - 1, fits[-1].q / q[k] - 1))
        return fits, np.array(errs)

    t_fit, (fits, errs) = timed(fit_all)
    print(
        f"Bass fits ({a.innovations:,}): {t_fit:.2f} s ({t_fit / a.innovations * 1e3:.1f} ms each) "
        f"= {t_fit / base:,.0f}x baseline"
    )
    if len(errs):
        bias = np.median(errs, axis=0)
        errs = np.abs(errs)
        med, p90 = np.median(errs, axis=0), np.quantile(errs, 0.9, axis=0)
        within = np.mean((errs < 0.10).all(axis=1))
        print(
            f"  recovery over {len(errs)} innovations past their peak: |rel err| median p {med[0]:.1%} q {med[1]:.1%},"
            f" 90th centile p {p90[0]:.1%} q {p90[1]:.1%}; both within 10 %: {within:.0%};"
            f" median signed error p {bias[0]:+.1%} q {bias[1]:+.1%}"
        )

    def equity():
        pi, ps = adopting_pairs(innov, site, day, status)
        return equity_arrays(pi, ps, a.innovations, indptr, units, None, unit_pop, unit_dec)

    t_eq, (covered, population, ci) = timed(equity, 3)
    print(f"equity table (as of last day, every innovation): {t_eq:.3f} s = {t_eq / base:,.0f}x baseline")
    share = covered.sum(axis=0) / (population * a.innovations)
    print(
        f"  mean share covered by decile 1..10: {' '.join(f'{s:.2f}' for s in share)}; "
        f"concentration index median {np.nanmedian(ci):+.3f}"
    )


if __name__ == "__main__":
    main()
