"""Tally speed: `uv run python bench/voting_bench.py [--n 1000000] [--options 20] [--seats 5] [--ref-n 100000]`.

The full-size comparison is `--ref-n 1000000` (pyrankvote then takes about a minute in all).

Generates N ranked ballots over K options from a skewed Plackett-Luce model (option i has worth 1/(i+1)^0.9, a
seeded numpy Gumbel-max draw per ballot), in two shapes: **full** rankings and **truncated** ones (each voter ranks
a random top-m, m uniform in 1..K - closer to how people fill in a long ballot). For each it times the tally core
(``count_ranked_array``: IRV, and STV for S seats with every stage and transfer recorded) and reports:

* seconds (best and median of --repeat runs) against the 1 s target;
* the ratio to a baseline run in the same process - one plurality count (``np.bincount`` of first preferences),
  the least any count must do - so figures from a busy shared machine stay comparable;
* the ratio to an independent implementation, pyrankvote (pure Python; IRV and STV) on the largest profile it
  handles in reasonable time (--ref-n ballots, the first of the same profile), with both winner lists; and, on the
  same ballots, our plain-Python path (``tally(..., backend="python")``: validation, grouping and the count - what
  ``tools/recount.py`` runs).

With ``--db`` it also runs the count **end to end from the database**: a temporary SQLite database is migrated,
N ballots of one closed round are bulk-inserted into the priorities app's ballot table (untimed), then timed:
reading the packed one-byte-per-option column with one raw query into the (N, K) array
(``priorities.selectors.ranked_array``), ``count_ranked_array`` and writing the result row - target <= 5 s. The
full close count (raw, constituency-balanced, per constituency and the ballot-set hash over every ballot,
``priorities.services.count_round``) is timed too, for information.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from innovatorium.voting import Ballot, Election, Method, count_ranked_array, tally  # noqa: E402


def generate(n: int, k: int, seed: int, truncated: bool) -> np.ndarray:
    """(n, k) int8 option indices best first, -1 after a truncated ballot's last preference."""
    rng = np.random.default_rng(seed)
    worth = np.log(1.0 / np.arange(1, k + 1) ** 0.9)
    out = np.empty((n, k), dtype=np.int8)
    chunk = 200_000
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        keys = worth + rng.gumbel(size=(stop - start, k))
        out[start:stop] = np.argsort(-keys, axis=1)
    if truncated:
        lengths = rng.integers(1, k + 1, size=n)
        out[np.arange(k)[None, :] >= lengths[:, None]] = -1
    return out


def timed(fn, repeat: int) -> tuple[float, float, object]:  # noqa: ANN001
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def reference(rankings: np.ndarray, k: int, seats: int, method: Method) -> tuple[float, list[str]]:
    import pyrankvote
    from pyrankvote.models import Ballot, Candidate

    candidates = [Candidate(f"o{i}") for i in range(k)]
    ballots = [Ballot(ranked_candidates=[candidates[i] for i in row if i >= 0]) for row in rankings]
    start = time.perf_counter()
    if method is Method.IRV:
        result = pyrankvote.instant_runoff_voting(candidates, ballots)
    else:
        result = pyrankvote.single_transferable_vote(candidates, ballots, number_of_seats=seats)
    return time.perf_counter() - start, [c.name for c in result.get_winners()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--options", type=int, default=20)
    parser.add_argument("--seats", type=int, default=5)
    parser.add_argument("--ref-n", type=int, default=100_000, help="ballots for the pyrankvote comparison (0: skip)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", action="store_true", help="also count end to end from a temporary SQLite database")
    parser.add_argument("--db-only", action="store_true", help="only the database scenario")
    args = parser.parse_args()
    if args.db or args.db_only:
        database_scenario(args)
    if args.db_only:
        return
    k = args.options
    options = tuple(f"o{i}" for i in range(k))
    print(f"voting bench: {args.n:,} ballots, {k} options, STV {args.seats} seats, best/median of {args.repeat}")
    for shape in ("full", "truncated"):
        start = time.perf_counter()
        rankings = generate(args.n, k, args.seed, truncated=shape == "truncated")
        print(f"\n[{shape} rankings] generated in {time.perf_counter() - start:.1f} s")
        first = rankings[:, 0]
        base, _, _ = timed(lambda first=first: np.bincount(first[first >= 0], minlength=k), args.repeat)
        print(f"  baseline (one plurality count, np.bincount): {base * 1000:.1f} ms")
        for method, seats in ((Method.IRV, 1), (Method.STV, args.seats)):
            election = Election(f"bench-{shape}", method, options, seats)
            best, median, result = timed(lambda e=election, r=rankings: count_ranked_array(e, r), args.repeat)
            verdict = "within" if best <= 1.0 else "OVER"
            print(
                f"  {method.upper():3} core: best {best:.3f} s, median {median:.3f} s ({verdict} the 1 s target), "
                f"{best / base:.0f}x baseline, {len(result.steps)} stages, winners {list(result.winners)}"
            )
            if args.ref_n:
                sample = rankings[: args.ref_n]
                ours, _, small = timed(lambda e=election, s=sample: count_ranked_array(e, s), args.repeat)
                theirs, their_winners = reference(sample, k, seats, method)
                objects = [Ballot(tuple(options[i] for i in row if i >= 0)) for row in sample]
                plain, _, _ = timed(lambda e=election, b=objects: tally(e, b, backend="python"), 1)
                same = "same winners" if set(their_winners) == set(small.winners) else "winners differ (rules differ)"
                print(
                    f"      vs pyrankvote on {args.ref_n:,} ballots: ours {ours * 1000:.1f} ms, pyrankvote "
                    f"{theirs:.2f} s -> {theirs / ours:.0f}x faster; {same}: ours {list(small.winners)}, "
                    f"pyrankvote {their_winners}; our plain-Python path {plain:.2f} s"
                )


KINDS = ("patients_public", "nhs", "social_care", "academia", "industry", "vcse")


def database_scenario(args: argparse.Namespace) -> None:  # noqa: PLR0915 - one scenario, told in order
    """1M ballots bulk-inserted into a temporary SQLite database, then counted end to end from the table."""
    import os
    import tempfile
    import uuid

    tmp = tempfile.mkdtemp(prefix="voting-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from innovatorium.networks.models import Network
    from innovatorium.priorities import selectors, services
    from innovatorium.priorities.models import Result, Round, RoundOption, RoundStatus

    k = args.options
    print(f"\n[database end to end] temporary SQLite database in {tmp}")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - start:.1f} s")
    network = Network.objects.order_by("pk").first()
    rankings = generate(args.n, k, args.seed, truncated=True)
    rng = np.random.default_rng(args.seed + 1)
    kinds = rng.choice(len(KINDS), size=args.n, p=[0.4, 0.25, 0.1, 0.08, 0.1, 0.07])
    first_round = None
    for method, seats in ((Method.IRV, 1), (Method.STV, args.seats)):
        round_ = Round.objects.create(
            network=network, slug=f"bench-{method}", title=f"Bench {method}", method=str(method), seats=seats,
            status=RoundStatus.CLOSED, election_id=f"bench/{method}",
        )
        RoundOption.objects.bulk_create(
            RoundOption(round=round_, position=i, text=f"Option {i}") for i in range(1, k + 1)
        )
        options = [f"option-{i}" for i in range(1, k + 1)]
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if first_round is None:
                packed = rankings.view(np.uint8)
                rows = (
                    (uuid.uuid4().hex, round_.pk, None, f"{i:064x}", KINDS[kinds[i]],
                     ">".join(options[j] for j in rankings[i] if j >= 0), packed[i].tobytes())
                    for i in range(args.n)
                )
                cursor.executemany(
                    "INSERT INTO priorities_ballot (id, round_id, key, receipt, constituency_kind, marks, packed) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)", rows,
                )
                first_round = round_
            else:  # the same ballots for the next method, copied inside the database
                cursor.execute(
                    "INSERT INTO priorities_ballot (id, round_id, key, receipt, constituency_kind, marks, packed) "
                    "SELECT lower(hex(randomblob(16))), %s, NULL, receipt, constituency_kind, marks, packed "
                    "FROM priorities_ballot WHERE round_id = %s", [round_.pk, first_round.pk],
                )
        print(f"  {method.upper()}: bulk-inserted {args.n:,} ballots in {time.perf_counter() - start:.1f} s "
              "(untimed setup)")
        election = services.election_for(round_)

        def end_to_end(round_=round_, election=election):  # noqa: ANN202
            array, _kinds = selectors.ranked_array(round_, k, with_kinds=False)
            result = count_ranked_array(election, array)
            Result.objects.filter(round=round_).delete()
            Result.objects.create(round=round_, data={"raw": result.to_dict()}, ballots=result.ballots,
                                  ballot_set_hash="")
            return result

        best, median, result = timed(end_to_end, args.repeat)
        load, _, _ = timed(lambda round_=round_: selectors.ranked_array(round_, k, with_kinds=False), args.repeat)
        verdict = "within" if best <= 5.0 else "OVER"
        print(
            f"    end to end (read + count + write result): best {best:.2f} s, median {median:.2f} s "
            f"({verdict} the 5 s target); of which reading the table {load:.2f} s; winners {list(result.winners)}"
        )
        same = count_ranked_array(election, rankings).to_dict() == result.to_dict()
        print(f"    same result as counting the generated array directly: {same}")
        start = time.perf_counter()
        full = services.count_round(round_)
        print(
            f"    full close count (raw + balanced + {len(full['by_constituency'])} constituencies + ballot-set hash): "
            f"{time.perf_counter() - start:.1f} s (for information)"
        )


if __name__ == "__main__":
    main()
