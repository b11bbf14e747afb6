"""Adoption register speed: import N adoption rows from CSV, then every national headline figure and the equity table.

Builds a fresh temporary SQLite database (migrated), 10,000 sites (ICB → practices, with populations and deciles)
and 1,000 innovations, writes a CSV of N rows (default 1,000,000), and times:

* baseline: parsing the CSV with csv.reader alone (the floor for any importer);
* import: ``import_adoptions`` (validation, NHS-number check, ladder check, all-or-nothing write, record entry);
* national: site arrays + adopting rows + headline figures + equity table (what /spread/ computes);
* flows: co-diffusion flows between networks and time to each next network (the rest of /spread/).

Reports seconds, rows/s, peak memory (process RSS so far, with the RSS peak before the import for comparison;
TRACE=1: tracemalloc's peak of the import's own Python allocations) and each time as a ratio to the baseline (best
of three runs).
BENCH_POSTGRES=postgres://user:password@host:5432 runs it on a fresh PostgreSQL database instead (made and dropped).
Targets (issue 6): import >= 50,000 rows/s; national figures <= 2 s.  Usage: uv run python bench/adoption_bench.py [N]
"""

from __future__ import annotations

import atexit
import csv
import gc
import io
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str) -> None:
    os.environ["INNOVATORIUM_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # the temporary SQLite database, never a real one ...
    server = os.environ.get("BENCH_POSTGRES")  # ... or a fresh database made (and dropped) on this server
    if server:
        import psycopg

        name = f"adoption_bench_{os.getpid()}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"{server}/{name}"
        atexit.register(_drop, server, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _drop(server: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")


def measure(fn, trace: bool = os.environ.get("TRACE", "0") == "1"):
    """Seconds and peak memory: by default the process's peak RSS after the step (no overhead; it never goes down,
    so it is the peak so far); TRACE=1 gives tracemalloc's peak of Python allocations, at 3-5x the time."""
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - t0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return out, elapsed, peak


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from innovatorium.adoption import selectors
        from innovatorium.adoption.importers import import_adoptions
        from innovatorium.adoption.models import Site
        from innovatorium.atlas.models import Innovation
        from innovatorium.networks.models import Network

        rng = random.Random(6)  # noqa: S311 - made-up data
        networks = list(Network.objects.all()[:15])
        icbs = Site.objects.bulk_create([Site(ods_code=f"Q{i:02d}", name=f"ICB {i}", type="icb",
                                              network=networks[i % len(networks)]) for i in range(42)])
        practices = Site.objects.bulk_create([
            Site(ods_code=f"P{i:05d}", name=f"Practice {i}", type="gp_practice", parent=icbs[i % 42],
                 network=icbs[i % 42].network, population=rng.randint(2000, 30000), imd_decile=rng.randint(1, 10))
            for i in range(10_000 - 42)])
        innovations = Innovation.objects.bulk_create([
            Innovation(network=networks[i % len(networks)], slug=f"inn-{i}", name=f"Innovation {i}", summary="x",
                       innovation_type="digital", status="published") for i in range(1000)])
        codes = [s.ods_code for s in practices] + [s.ods_code for s in icbs]
        slugs = [f"{i.network.slug}/{i.slug}" for i in innovations]
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["ods_code", "innovation", "status", "date", "reason", "population_covered", "patients_reached",
                    "source"])
        pairs = set()
        while len(pairs) < n:
            pairs.add((rng.randrange(len(codes)), rng.randrange(len(slugs))))
        statuses = ["exploring", "piloting", "adopted", "embedded"]
        for site, inn in pairs:
            w.writerow([codes[site], slugs[inn], statuses[rng.randrange(4)],
                        f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "", "",
                        rng.randint(0, 500), "annual report"])
        data = buf.getvalue().encode()  # an upload arrives as bytes
        del buf, pairs
        gc.collect()
        print(f"{n:,} rows, {len(data) / 1e6:.0f} MB CSV, {len(codes):,} sites, {len(slugs):,} innovations")

        from django.db import connection as db

        if db.vendor == "sqlite" and os.environ.get("PRAGMAS", "1") == "1":
            # bench only, not production: a bigger page cache for the index B-trees of a bulk load
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size=-262144")
                cursor.execute("PRAGMA temp_store=MEMORY")
                if os.environ.get("NO_FK_CHECKS"):  # diagnosis only: what SQLite's per-row foreign key checks cost
                    cursor.execute("PRAGMA foreign_keys=OFF")
        # the floor: csv.reader over the decoded file, best of three (on a shared machine the ratio is what counts)
        runs = [measure(lambda: sum(1 for _ in csv.reader(io.StringIO(data.decode())))) for _ in range(3)]
        _, base, base_mem = min(runs, key=lambda r: r[1])
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if os.environ.get("PROFILE"):
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.runcall(import_adoptions, data, actor=None)
            pstats.Stats(prof).sort_stats("cumtime").print_stats(25)
            return
        _, imp, imp_mem = measure(lambda: import_adoptions(data, actor=None))

        def national():
            sites = selectors.site_arrays()
            rows = selectors.adopting_rows()
            return selectors.headline(rows, sites), selectors.equity_table(rows, sites)

        (figures, equity), nat, nat_mem = measure(national)
        # the rest of the national page's analytics: co-diffusion flows and time to each next network
        all_networks = list(Network.objects.order_by("name"))
        flows, flo, _ = measure(lambda: selectors.flows(selectors.network_firsts(), all_networks))
        print(f"baseline csv.reader: {base:.2f} s ({n / base:,.0f} rows/s), peak {base_mem / 1e6:.0f} MB")
        grew = "" if os.environ.get("TRACE") == "1" else f" (peak RSS before the import {rss_before / 1e6:.0f} MB)"
        print(f"import:   {imp:.2f} s = {n / imp:,.0f} rows/s (target >= 50,000), x{imp / base:.1f} baseline, "
              f"peak {imp_mem / 1e6:.0f} MB{grew}")
        print(f"national: {nat:.2f} s (target <= 2 s), x{nat / base:.2f} baseline, peak {nat_mem / 1e6:.0f} MB; "
              f"{figures}; concentration index {equity.concentration_index:+.3f}")
        print(f"flows:    {flo:.2f} s (co-diffusion, arrival steps: the rest of /spread/), x{flo / base:.2f} baseline; "
              f"{len(flows.rows)} flows between networks")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
