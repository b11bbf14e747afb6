"""Benefit ledger speed on the database: `uv run python bench/benefits_bench.py [N] [--parties P]`.

Builds a fresh temporary SQLite database (migrated; BENCH_POSTGRES=postgres://user:password@host:5432 uses a fresh
PostgreSQL database instead, made and dropped), one adopted agreement with P parties (default 12) and 10%
reinvestment, then times:

* baseline: the plain ``ledger.post_event`` of the same N events in memory (the arithmetic alone);
* post: N events through ``services.event_record`` (validation, shares, rows, the hash-chained record entry);
* repeat: the same N events again (each recognised as a repeat, nothing written);
* reverse: N/10 reversals;
* statement: the innovation's statement (what its public page and downloads build), and ``benefit_totals``.

Reports each as ms per posting or per call and as a ratio to the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from adoption_bench import setup_django  # noqa: E402 - path above


def timed(fn):  # noqa: ANN001, ANN201
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--parties", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from innovatorium import ledger
        from innovatorium.atlas.models import Innovation
        from innovatorium.benefits import selectors, services
        from innovatorium.benefits.models import Posting
        from innovatorium.networks.models import Network
        from innovatorium.people.models import Person

        rng = random.Random(7)  # noqa: S311 - made-up data
        network = Network.objects.order_by("pk").first()
        innovation = Innovation.objects.create(network=network, slug="bench", name="Bench", summary="S",
                                               innovation_type="digital", status="published")
        people = Person.objects.bulk_create([Person(display_name=f"P{i}") for i in range(args.parties)])
        version = services.version_draft(actor=None, innovation=innovation)
        services.version_set_terms(actor=None, version=version, basis="fixed", reinvestment_percent="10",
                                   public_party_names=True, public_party_amounts=True, public_event_details=True)
        weights = [rng.randint(1, 100) for _ in people]
        units = [w * 1_000_000 // sum(weights) for w in weights]
        units[0] += 1_000_000 - sum(units)
        for person, u in zip(people, units, strict=True):
            services.party_add(actor=None, version=version, kind="organisation", label=f"Org {person.pk}",
                               representative=person, share_percent=Decimal(u) / 10_000)
        services.version_propose(actor=None, version=version)
        for term in version.terms.select_related("party"):
            services.version_accept(actor=term.party.representative, version=version, party=term.party)
        agreement = version.agreement
        amounts = [Decimal(rng.randint(1, 10_000_000)) / 100 for _ in range(args.n)]
        shares = services.all_shares(version)
        day = dt.date(2026, 1, 1)

        _, base = timed(lambda: [ledger.post_event(ledger.Event(f"b{i}", "royalties", "1", a), shares)
                                 for i, a in enumerate(amounts)])

        def post_all() -> None:
            for i, a in enumerate(amounts):
                services.event_record(actor=None, agreement=agreement, kind="royalties", amount=a, occurred_on=day,
                                      idempotency_key=f"E{i}")

        _, post = timed(post_all)
        _, repeat = timed(post_all)
        originals = list(Posting.objects.filter(reverses__isnull=True).order_by("pk")[: max(1, args.n // 10)])
        _, rev = timed(lambda: [services.posting_reverse(actor=None, posting=p, reason="bench") for p in originals])
        statement, st = timed(lambda: selectors.statement(agreement=agreement))
        totals, tt = timed(lambda: selectors.benefit_totals())
        assert totals.shared + totals.reinvested == totals.earned + totals.saved
        n = args.n
        from django.db import connection

        print(f"{n} events, {args.parties} parties + community fund, on {connection.vendor}")
        print(f"  baseline ledger.post_event {base / n * 1e3:7.3f} ms/event")
        print(f"  post (service + record)    {post / n * 1e3:7.3f} ms/event  = {post / base:7.1f} x baseline")
        print(f"  repeat (idempotent)        {repeat / n * 1e3:7.3f} ms/event  = {repeat / base:7.1f} x baseline")
        print(f"  reverse                    {rev / len(originals) * 1e3:7.3f} ms/reversal")
        print(f"  statement ({len(statement.postings)} postings) {st * 1e3:9.1f} ms;  benefit_totals {tt * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
