"""Search speed at scale: `uv run python bench/search_bench.py [--n 100000] [--database sqlite|postgres]`.

Generates N innovations of realistic length (a seeded synthetic generator over a Zipf-distributed vocabulary
with real health words at the top, and some known phrases planted at set rates), bulk-inserts them straight
into the search index tables, then times 20 fixed queries (rare words, very common words, phrases, with and
without facets, type-ahead prefixes). For each it reports p50/p95 of the full `search()` / `suggest()` call
(server-side, in process: hits + total + facet counts + snippets) beside the raw full-text query alone (the
floor: match, rank, first 20 ids), and the ratio of the two.

The bench uses its own database (var/search_bench.sqlite3, or the PostgreSQL database
innovatorium_search_bench), never the development one; generated data is reused when N matches.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://innovatorium:innovatorium@127.0.0.1:5432/innovatorium_search_bench")

COMMON = (
    "patients care health service services nhs support people clinical staff hospital community digital data "
    "treatment time team local primary improve access patient reduce outcomes pathway system hospitals "
    "practice quality programme evidence management model help clinicians home remote monitoring needs "
    "risk cost experience use based across new training tool number results assessment early referral "
    "appointments waiting follow app platform online self information workforce nurses nurse doctors gp "
    "young children older adults carers families mental wellbeing diabetes heart dementia stroke cancer "
    "asthma copd frailty kidney maternity pregnancy pain sleep medicines pharmacy prescribing safety "
    "infection sepsis falls hip knee surgery ward discharge admission emergency urgent ambulance text "
    "message messaging telehealth video virtual wearable sensor device diagnostic test screening detection "
    "atrial fibrillation blood pressure glucose education school record records shared decision"
).split()
PLANTED = [  # (phrase, share of documents)
    ("school nurse text messaging service for young people", 0.002),
    ("carer held record for people with dementia", 0.002),
    ("community atrial fibrillation detection", 0.003),
    ("diabetes self management education", 0.004),
    ("telehealth by text message for long term conditions", 0.003),
]
STAGES = ["idea", "development", "evidence", "pilot", "adoption", "spread", "business-as-usual"]
TYPES = ["digital", "device", "diagnostic", "medicine", "pathway", "workforce", "social"]
SETTINGS = ["primary-care", "community", "acute", "mental-health", "social-care", "care-homes", "home", "pharmacy",
            "ambulance", "schools"]
AREAS = ["cardiovascular", "respiratory", "diabetes", "dementia", "mental-health", "cancer", "maternity", "children",
         "frailty", "stroke", "musculoskeletal", "medicines", "patient-safety", "long-term-conditions", "kidney",
         "sexual-health"]
EVIDENCE = ["rct", "comparative", "observational", "service-evaluation", "health-economic", "patient-experience"]
DEVICES = ["not-a-device", "class-i", "class-iia", "class-iib", "class-iii", "ivd"]
DTAC = ["not-applicable", "in-progress", "passed"]
NETWORKS = 15

# (label, category, kind of call, query, filters)
QUERIES = [
    ("rare word", "selective", "search", "{rare0}", None),
    ("rare word", "selective", "search", "{rare1}", None),
    ("two rare words", "selective", "search", "{rare2} {rare3}", None),
    ("rare word + facet", "selective", "search", "{rare4}", {"care_setting": ["community"]}),
    ("planted phrase", "selective", "search", '"school nurse text messaging"', None),
    ("planted phrase", "selective", "search", '"carer held record"', None),
    ("phrase + facets", "selective", "search", '"atrial fibrillation detection"',
     {"stage": ["pilot", "adoption"], "innovation_type": ["diagnostic", "device"]}),
    ("mid-frequency words", "selective", "search", "dementia carers record", None),
    ("mid word + facets", "selective", "search", "sepsis screening",
     {"care_setting": ["acute"], "evidence_type": ["rct"]}),
    ("words + network", "selective", "search", "diabetes education", {"network": ["network-3"]}),
    ("common word", "common", "search", "patients", None),
    ("common word", "common", "search", "care", None),
    ("common words", "common", "search", "health service", None),
    ("common word + facet", "common", "search", "patients", {"stage": ["pilot"]}),
    ("common word + 2 facets", "common", "search", "care", {"care_setting": ["home"], "clinical_area": ["frailty"]}),
    ("browse + facet", "common", "search", "", {"care_setting": ["home"]}),
    ("type-ahead", "typeahead", "suggest", "dia", None),
    ("type-ahead", "typeahead", "suggest", "pat", None),
    ("type-ahead", "typeahead", "suggest", "sch", None),
    ("type-ahead", "typeahead", "suggest", "carer rec", None),
]
TARGETS_MS = {  # p95 targets at 100k, per database and category
    "sqlite": {"selective": 25, "common": 150, "typeahead": 50},
    "postgres": {"selective": 100, "common": None, "typeahead": 50},
}


def setup_django(database: str) -> None:
    if database == "sqlite":
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'search_bench.sqlite3'}"
    else:
        os.environ["DATABASE_URL"] = PG_URL
        _create_pg_database(PG_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_pg_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def vocabulary(rng: random.Random, size: int = 30000) -> list[str]:
    syllables = ["ka", "lo", "mi", "tre", "van", "dor", "sel", "pha", "rin", "gu", "bex", "tol", "nar", "qui",
                 "zem", "fro", "lat", "ves", "hum", "cor", "dil", "pen", "sar", "tiv", "ox", "ul"]
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def generate(n: int) -> None:
    from django.db import connection, transaction

    from innovatorium.networks.models import Network

    rng = random.Random(20261126)
    words = vocabulary(rng)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(words))]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with transaction.atomic():
        networks = []
        for i in range(NETWORKS):
            network, _ = Network.objects.get_or_create(slug=f"network-{i}", defaults={"name": f"Network {i}"})
            networks.append(network)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_searchfacet")
            cursor.execute("DELETE FROM search_searchdocument")
            if connection.vendor == "postgresql":  # one index-version bump at the end, not one per statement
                for table in ("search_searchdocument", "search_searchfacet"):
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_bump")
        batch_docs: list[tuple] = []
        batch_facets: list[tuple] = []

        def flush() -> None:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO search_searchdocument (id, kind, object_id, network_id, title, body, url,"
                    " published_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", batch_docs)
                cursor.executemany(
                    "INSERT INTO search_searchfacet (document_id, kind, field, value, label)"
                    " VALUES (%s, %s, %s, %s, %s)", batch_facets)
            batch_docs.clear()
            batch_facets.clear()

        for i in range(1, n + 1):
            title_words = rng.choices(words, cum_weights=cumulative, k=rng.randint(3, 8))
            body_words = rng.choices(words, cum_weights=cumulative, k=rng.randint(150, 400))
            for phrase, share in PLANTED:
                if rng.random() < share:
                    body_words[rng.randrange(len(body_words)):0] = phrase.split()
                    if rng.random() < 0.3:
                        title_words = phrase.split()[:5]
            sentences = []
            for j in range(0, len(body_words), 15):
                sentence = " ".join(body_words[j:j + 15])
                sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            title = " ".join(title_words).capitalize()
            network = networks[i % NETWORKS]
            published = start + timedelta(minutes=i * 7)
            batch_docs.append((i, "innovation", i, network.pk, title, " ".join(sentences), f"/x/atlas/{i}/",
                               published, published))
            facets = [("stage", rng.choice(STAGES)), ("innovation_type", rng.choice(TYPES)), ("network", network.slug),
                      ("device_class", rng.choice(DEVICES)), ("dtac_status", rng.choice(DTAC))]
            facets += [("care_setting", v) for v in rng.sample(SETTINGS, rng.randint(1, 3))]
            facets += [("clinical_area", v) for v in rng.sample(AREAS, rng.randint(1, 3))]
            facets += [("evidence_type", v) for v in rng.sample(EVIDENCE, rng.randint(0, 3))]
            batch_facets += [(i, "innovation", field, value, value.replace("-", " ").capitalize())
                             for field, value in facets]
            if len(batch_docs) >= 2000:
                flush()
                print(f"\r  generated {i:,}/{n:,}", end="", file=sys.stderr, flush=True)
        flush()
        print(file=sys.stderr)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # after commit: the deferred foreign-key checks have run
            for table in ("search_searchdocument", "search_searchfacet"):
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_bump")
            cursor.execute("UPDATE search_searchindexversion SET token = token + 1 WHERE id = 1")
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    return None


def rare_words() -> list[str]:
    """Words that occur in a handful of documents, picked deterministically from the vocabulary's tail."""
    rng = random.Random(20261126)
    words = vocabulary(rng)
    return [words[k] for k in (6000, 9000, 12000, 15000, 20000)]


def floor_runner(database: str, call: str, text: str):
    """The raw full-text query alone: match, rank, first 20 ids (no join, facets, count or snippets)."""
    from django.db import connection

    from innovatorium.search import query as q

    parsed = q.parse(text, prefix_last=(call == "suggest"), min_prefix=1)
    if not parsed:
        return None
    if database == "sqlite":
        expression = q.to_fts5(parsed, column="title" if call == "suggest" else None)
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT 20"
        params = [expression]
    elif call == "suggest":  # the trigram-indexed title conditions alone, as suggest() uses them
        words = [word for word in parsed.words if len(word) >= 3]
        if not words:
            return None
        sql = ("SELECT id FROM search_searchdocument WHERE "  # noqa: S608 (placeholders only)
               + " AND ".join(["title ILIKE %s"] * len(words)) + " LIMIT 20")
        params = [f"%{word}%" for word in words]
    else:
        expression = q.to_tsquery(parsed, weights="")
        sql = ("SELECT id FROM search_searchdocument, to_tsquery('english', %s) tsq WHERE search_vector @@ tsq"
               " ORDER BY ts_rank_cd(search_vector, tsq) DESC LIMIT 20")
        params = [expression]

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm up
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    setup_django(args.database)

    from innovatorium.search.models import SearchDocument
    from innovatorium.search.selectors import forget_kept_results, search, suggest

    existing = SearchDocument.objects.filter(kind="innovation").count()
    if args.regenerate or existing != args.n:
        t0 = time.perf_counter()
        print(f"Generating {args.n:,} innovations into the {args.database} bench database…", file=sys.stderr)
        generate(args.n)
        print(f"  done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    rare = rare_words()
    fill = {f"rare{k}": word for k, word in enumerate(rare)}
    rss_before = _rss_mb()
    rebuild = timed(lambda: _rebuild_index(), 3)
    text_rebuild = timed(lambda: _rebuild_text_index(), 3) if args.database == "postgres" else []
    from innovatorium.search import selectors

    text_mb = sum(index.nbytes for index in selectors._TEXT_INDEXES.values()) / 1e6
    selectors._TEXT_INDEXES.clear()  # the searches below hold it, or not, as the site would at this size

    print(f"\nSearch bench: {args.n:,} innovations on {args.database}, {args.repeat} runs per query (ms)\n")
    header = f"{'query':<50} {'hits':>7} {'p50':>7} {'p95':>7} {'floor50':>8} {'floor95':>8} {'ratio95':>8}"
    print(header)
    print("-" * len(header))
    by_category: dict[str, list[float]] = {}
    failures = []
    for label, category, call, template, filters in QUERIES:
        text = template.format(**fill)
        if call == "search":
            def fn(text=text, filters=filters):
                forget_kept_results()  # each run works the search out: a process keeps its recent results
                return search(kind="innovation", query=text, filters=filters)
            total = fn().total
        else:
            def fn(text=text):
                return suggest(kind="innovation", prefix=text)
            total = len(fn())
        samples = timed(fn, args.repeat)
        floor = floor_runner(args.database, call, text)
        floor_samples = timed(floor, args.repeat) if floor else [0.0]
        full95, floor95 = p95(samples), p95(floor_samples)
        by_category.setdefault(category, []).extend(samples)
        shown = f"{label}: {text}" + (f" {filters}" if filters else "")
        ratio = f"{full95 / floor95:.1f}x" if floor95 else "-"
        print(f"{shown[:50]:<50} {total:>7,} {statistics.median(samples):>7.1f} {full95:>7.1f} "
              f"{statistics.median(floor_samples):>8.1f} {floor95:>8.1f} {ratio:>8}")
        target = TARGETS_MS[args.database].get(category)
        if target is not None and args.n >= 100_000 and full95 > target:
            failures.append(f"{label} ({text}): p95 {full95:.1f} ms > {target} ms")
    print()
    for category, samples in by_category.items():
        target = TARGETS_MS[args.database].get(category)
        print(f"{category:<10} p50 {statistics.median(samples):7.1f} ms   p95 {p95(samples):7.1f} ms"
              f"   target p95 {'≤ ' + str(target) + ' ms' if target else '(none)'}")
    index_mb = sum(index.nbytes for index in selectors._INDEXES.values()) / 1e6
    print(f"\nfacet index rebuild (first search after any index write, per process): "
          f"p50 {statistics.median(rebuild):.0f} ms, max {max(rebuild):.0f} ms")
    if text_rebuild:
        held = "held" if _gin_bytes() <= selectors.TEXT_INDEX_MAX_GIN_BYTES else "too big: not held"
        print(f"text index rebuild (PostgreSQL; meanwhile the process's other searches use SQL): "
              f"p50 {statistics.median(text_rebuild):.0f} ms, max {max(text_rebuild):.0f} ms; GIN index "
              f"{_gin_bytes() / 1e6:.0f} MB, limit {selectors.TEXT_INDEX_MAX_GIN_BYTES / 1e6:.0f} MB ({held})")
    print(f"memory: facet index {index_mb:.1f} MB, text index {text_mb:.1f} MB; process max RSS {_rss_mb():.0f} MB "
          f"({rss_before:.0f} MB before the first search)")
    if failures:
        print("\nOver target:\n  " + "\n  ".join(failures))
    return 0


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rebuild_index() -> None:
    """Time the in-memory facet index's rebuild, as after a write to the index."""
    from django.db import connection

    from innovatorium.search import selectors

    selectors._INDEXES[selectors._cache_key("innovation")] = selectors._build_index("innovation", connection.vendor)


def _gin_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('search_doc_vector'::regclass)")
        return int(cursor.fetchone()[0])


def _rebuild_text_index() -> None:
    """Time the in-memory text index's rebuild (PostgreSQL), as after a write to the index."""
    from innovatorium.search import selectors

    limit = selectors.TEXT_INDEX_MAX_GIN_BYTES
    selectors.TEXT_INDEX_MAX_GIN_BYTES = 2**62  # timed even where the site would not hold it, to show why
    try:
        _token, index = selectors._build_text_index("innovation")
    finally:
        selectors.TEXT_INDEX_MAX_GIN_BYTES = limit
    selectors._TEXT_INDEXES[selectors._cache_key("innovation")] = index


if __name__ == "__main__":
    sys.exit(main())
