"""Opinion analysis speed and memory: `uv run python bench/opinion_bench.py [--repeat 3] [--quick]`.

Two shapes, each run in a fresh child process so its peak resident memory is its own:

(a) 100,000 participants × 1,000 statements, 5 % of cells voted (5,000,000 votes);
(b) the shape of the largest public Pol.is conversation: 33,422 participants × 783 statements, 2.0M votes
    (Pol.is's own Python port takes 520 s on 16 cores for it);
(a') shape (a) with uniformly random votes: no structure, so the PCA runs to its iteration cap (worst case).

The votes are synthetic but not uniform noise: participants belong to one of three latent camps with
statement-wise leanings, vote with noise, pass 15 % of the time, and have heavy-tailed activity (so, as in a
real conversation, some fall under the 7-vote threshold). Votes arrive shuffled, with a few percent
re-votes, so building the matrix includes the sort and de-duplication.

Reported per run: the time of the whole `analyse()` call (PCA, k-means for k = 2..5 with silhouette, all
tables for clusters and for declared constituencies, JSON-ready result), its tracemalloc peak, the child's
peak RSS (ru_maxrss, which includes the generated input), and the ratio to the baseline measured in the
same process: the time just to build the sparse vote matrix from the same arrays. Targets: (a) ≤ 10 s and
≤ 4 GiB, (b) ≤ 5 s. `--quick` runs tenth-size shapes (for a smoke test).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from innovatorium.opinion import analyse  # noqa: E402
from innovatorium.opinion.matrix import build_vote_matrix  # noqa: E402

SHAPES = {
    "a: 100k x 1k, 5%": (100_000, 1_000, 5_000_000, True),
    "b: Pol.is largest": (33_422, 783, 2_000_000, True),
    "a': 100k x 1k, 5%, pure noise": (100_000, 1_000, 5_000_000, False),
}
TARGET_S = {"a: 100k x 1k, 5%": 10.0, "b: Pol.is largest": 5.0, "a': 100k x 1k, 5%, pure noise": 10.0}
CONSTITUENCIES = ["patients & public", "clinicians", "industry", "academia", "commissioners"]


def synthetic_votes(
    n: int, m: int, n_votes: int, structured: bool = True, seed: int = 7
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """Camp-structured (or, unstructured, uniformly random) heavy-tailed, shuffled votes with ~3 % re-votes."""
    rng = np.random.default_rng(seed)
    activity = rng.lognormal(0.0, 1.0, n)
    activity /= activity.sum()
    popularity = rng.lognormal(0.0, 0.5, m)
    popularity /= popularity.sum()
    # Draw more cells than needed, keep distinct ones: an exact count of distinct (participant, statement) cells.
    draws = int(n_votes * 1.25)
    keys = rng.choice(n, size=draws, p=activity).astype(np.int64) * m + rng.choice(m, size=draws, p=popularity)
    keys = np.unique(keys)
    keys = rng.permutation(keys)[:n_votes]
    p = (keys // m).astype(np.int32)
    s = (keys % m).astype(np.int32)
    camp = rng.integers(0, 3, n)
    leaning = rng.normal(0.0, 1.0, (3, m))
    score = leaning[camp[p], s] + rng.normal(0.0, 1.0, p.size)
    v = np.where(score > 0, 1, -1).astype(np.int8)
    v[rng.random(p.size) < 0.15] = 0
    if not structured:  # the worst case for the PCA's stopping rule: no axis stands out
        v = rng.integers(-1, 2, p.size).astype(np.int8)
    revotes = rng.integers(0, p.size, p.size // 30)
    p = np.concatenate([p, p[revotes]])
    s = np.concatenate([s, s[revotes]])
    v = np.concatenate([v, rng.integers(-1, 2, revotes.size).astype(np.int8)])
    labels = [CONSTITUENCIES[c] if c < len(CONSTITUENCIES) else None for c in rng.integers(0, 6, n)]
    return p, s, v, labels


def run_shape(args: tuple[str, int, int, int, bool, int]) -> dict:
    name, n, m, n_votes, structured, repeat = args
    p, s, v, labels = synthetic_votes(n, m, n_votes, structured)
    baseline, total, traced = [], [], []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        build_vote_matrix(p, s, v, n, m)
        baseline.append(time.perf_counter() - t0)
        tracemalloc.start()
        t0 = time.perf_counter()
        result = analyse(p, s, v, n, m, constituencies=labels, seed=0)
        total.append(time.perf_counter() - t0)
        traced.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert result is not None
    t0 = time.perf_counter()
    size = len(result.to_json())
    to_json = time.perf_counter() - t0
    return {
        "name": name,
        "shape": f"{n:,} x {m:,}, {result.n_votes:,} votes (deduplicated)",
        "placed": len(result.participants),
        "k": result.k,
        "silhouettes": [round(x, 3) for x in result.silhouettes],
        "pca_iterations": result.pca_iterations,
        "baseline": baseline,
        "total": total,
        "traced_peak": max(traced),
        "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "json_s": to_json,
        "json_bytes": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per shape (the machine is shared: use ≥ 2)")
    parser.add_argument("--quick", action="store_true", help="tenth-size shapes, for a smoke test")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    ctx = mp.get_context("spawn")
    print(f"opinion analysis bench ({'quick, 1/10 size' if args.quick else 'full size'}, {args.repeat} runs each)")
    for name, (n, m, votes, structured) in SHAPES.items():
        with ctx.Pool(1) as pool:
            r = pool.apply(run_shape, ((name, n // scale, m, votes // scale, structured, args.repeat),))
        med, best = statistics.median(r["total"]), min(r["total"])
        base = statistics.median(r["baseline"])
        target = TARGET_S[name]
        met = "met" if max(r["total"]) <= target else "MISSED"
        verdict = "" if args.quick else f" (target ≤ {target:.0f} s: {met})"
        print(
            f"\n{name}: {r['shape']}; placed {r['placed']:,}; k = {r['k']} (silhouettes {r['silhouettes']}); "
            f"PCA iterations {r['pca_iterations']}"
        )
        print(f"  analyse(): median {med:.2f} s, best {best:.2f} s, runs {[round(t, 2) for t in r['total']]}{verdict}")
        print(f"  baseline (build sparse matrix only): median {base:.2f} s -> analyse/baseline = {med / base:.1f}x")
        print(
            f"  memory: tracemalloc peak in analyse() {r['traced_peak'] / 2**20:.0f} MiB; "
            f"process peak RSS {r['maxrss'] / 2**20:.0f} MiB (incl. generated input; target ≤ 4096 MiB)"
        )
        print(f"  result as JSON: {r['json_bytes'] / 2**20:.1f} MiB in {r['json_s']:.2f} s")


if __name__ == "__main__":
    main()
