"""Ledger algorithm speed: `uv run python bench/ledger_bench.py [--parties 1000] [--candidates 10000] [--repeat 5]`.

Times, on seeded random inputs, and reports each as a ratio to a baseline measured in the same process (so figures
from a busy shared machine stay comparable):

* ``distribute`` of one event among P parties with exact Fraction shares (validation, largest remainder, Decimal
  output) against the baseline of summing the P shares as Fractions (the least an exact check must do);
* ``post_event`` + ``record`` of the same event twice (the second a no-op) against the same baseline;
* a stratified sortition of a 1% panel from C candidates in 8 strata against the baseline of one sha256 per
  candidate (the draw needs about one per seat, plus sorting and hashing the candidate list).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from innovatorium.ledger import Event, distribute, draw, post_event, record  # noqa: E402


def best(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)

    weights = [rng.randint(1, 1000) for _ in range(args.parties)]
    total = sum(weights)
    shares = {f"party-{i:05d}": Fraction(100 * w, total) for i, w in enumerate(weights)}
    amount = Decimal("123456.78")
    base, _ = best(lambda: sum(shares.values(), Fraction(0)), args.repeat)
    dist, dist_med = best(lambda: distribute(amount, shares), args.repeat)
    event = Event("bench-1", "licence_income", "bench", amount)

    def post_twice() -> None:
        journal, _ = record((), post_event(event, shares))
        record(journal, post_event(event, shares))

    post, post_med = best(post_twice, args.repeat)
    print(f"{args.parties} parties: baseline (sum of shares) {base * 1e3:.2f} ms")
    print(f"  distribute          {dist * 1e3:8.2f} ms (median {dist_med * 1e3:.2f})  = {dist / base:6.1f} x baseline")
    print(f"  post + repeat       {post * 1e3:8.2f} ms (median {post_med * 1e3:.2f})  = {post / base:6.1f} x baseline")

    strata = [f"stratum-{k}" for k in range(8)]
    candidates = [(f"cand-{i:06d}", rng.choice(strata)) for i in range(args.candidates)]
    size = max(1, args.candidates // 100)
    hbase, _ = best(lambda: [hashlib.sha256(c.encode()).digest() for c, _ in candidates], args.repeat)
    sort, sort_med = best(lambda: draw(candidates, size, "bench seed"), args.repeat)
    print(f"{args.candidates} candidates, panel {size}: baseline (one sha256 each) {hbase * 1e3:.2f} ms")
    print(f"  draw                {sort * 1e3:8.2f} ms (median {sort_med * 1e3:.2f})  = {sort / hbase:6.1f} x baseline")


if __name__ == "__main__":
    main()
