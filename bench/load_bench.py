"""The site under load at national scale: `uv run python bench/load_bench.py` (run by `make bench`).

1. A database at national scale (15 networks, ~200,000 members, ~100,000 innovations, ~1,000,000 adoption
   records, a conversation with 100,000 participants), made once with `manage.py demo_data --scale national`
   and reused: var/bench_national.sqlite3, or with BENCH_POSTGRES=postgres://user:password@host:5432 the
   PostgreSQL database `innovatorium_bench_national` on that server. The load is resumable, so an interrupted
   first run carries on next time.
2. The real site under gunicorn (config.bench_settings: DEBUG off, the database cache, the django-tasks
   database backend with a worker process) on a loopback port.
3. Load from a second process: `wrk` (Debian's; installed with apt-get if missing) with 50 connections for
   each page in turn, and for `/bench/ceiling/`, a Django view that does nothing (same server, same middleware)
   whose throughput is the ceiling. Figures are reported as requests/s, p95 latency, and throughput as a share
   of the ceiling measured in the same run. Targets: each page >= 25% of the ceiling, p95 <= 200 ms.
4. Votes: a Python client process with 50 threads, each acting as one browser after another (its own address
   through X-Forwarded-For, as a proxy would pass it on; its own session and CSRF token), casting votes on
   the national conversation through the real vote endpoint. Target: >= 50 votes/s sustained; afterwards the
   database must hold exactly one vote per (browser, statement) cast and no duplicates.

Options: --scale small|regional|national (default national, or LOAD_BENCH_SCALE), --duration seconds per page
(default 10), --connections (50), --web-workers (gunicorn processes; default 2 x cores, at most 4),
--votes-duration (20), --votes-only national|demo, --no-load (measure the bench database as it is, even if
its load is unfinished).
Targets missed are listed at the end; LOAD_BENCH_STRICT=1 also makes the exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._server import running_site, site_env  # noqa: E402

PAGE_SHARE_TARGET = 0.25
P95_TARGET_MS = 200.0
VOTES_TARGET = 50.0

WRK_SCRIPT = """
local statuses = {}
response = function(status, headers, body)
  if status >= 500 then statuses[5] = (statuses[5] or 0) + 1
  elseif status >= 400 then statuses[4] = (statuses[4] or 0) + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %f %f %f %f %d %d %d %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, 0, 0))
end
"""


# --- the database ----------------------------------------------------------------------------------------

def database_url(scale: str) -> str:
    server = os.environ.get("BENCH_POSTGRES")
    if server:
        name = f"innovatorium_bench_{scale}"
        import psycopg

        with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return f"{server.rstrip('/')}/{name}"
    (ROOT / "var").mkdir(exist_ok=True)
    return f"sqlite:///{ROOT / 'var' / f'bench_{scale}.sqlite3'}"


def prepare_database(url: str, scale: str, *, load: bool = True) -> None:
    """Migrate, make the cache table, and load (or finish loading) the scale data: seconds when already there."""
    plain = site_env(url, DJANGO_SETTINGS_MODULE="config.settings")
    bench = site_env(url)  # the bench settings use the database cache: its table is made with them
    steps = [(["migrate", "--noinput", "-v0"], plain), (["createcachetable"], bench)]
    if load:
        steps.append((["demo_data", "--scale", scale], plain))
    for args, env in steps:
        started = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603
        if time.perf_counter() - started > 5:
            print(f"  manage.py {' '.join(args)}: {time.perf_counter() - started:.0f} s", flush=True)


def setup_django(url: str) -> None:
    os.environ.update(site_env(url))
    import django

    django.setup()


def targets() -> dict[str, str]:
    """The pages to load, as paths on this database."""
    from django.urls import reverse

    from innovatorium.atlas.models import Innovation, PublicationStatus
    from innovatorium.deliberation.models import Conversation
    from innovatorium.demo.constants import DEMO_NETWORK_SLUG

    innovation = (Innovation.objects.filter(status=PublicationStatus.PUBLISHED, name__contains=" #")
                  .select_related("network").order_by("pk").first()
                  or Innovation.objects.select_related("network").order_by("pk").first())
    pages = {
        "ceiling (minimal Django view)": "/bench/ceiling/",
        "home": "/",
        "network": f"/{DEMO_NETWORK_SLUG}/",
        "Atlas search": "/atlas/?q=diabetes+remote+monitoring",
        "innovation": innovation.get_absolute_url() if innovation else "",
    }
    try:
        pages["national dashboard"] = reverse("dashboard:national")
    except Exception:  # noqa: BLE001 - the dashboard app is optional
        pages["national dashboard"] = ""
    # votes: on the national conversation (100,000 participants) and on the demo one (500), as far as present
    national = Conversation.objects.filter(question__startswith="National conversation").first()
    demo = Conversation.objects.filter(status="open").exclude(pk=getattr(national, "pk", None)).order_by("pk").first()
    pages["conversation (for votes)"] = national.get_absolute_url() if national else ""
    pages["conversation (for votes, demo)"] = demo.get_absolute_url() if demo else ""
    return pages


# --- page load with wrk ----------------------------------------------------------------------------------

def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    print("  installing Debian's wrk (apt-get install wrk)", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False,  # noqa: S607
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("wrk")


def wrk(url: str, *, connections: int, duration: int, script: Path) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script),  # noqa: S607
         "-H", "Accept: text/html", url],
        capture_output=True, text=True, check=True, timeout=duration + 60,
    ).stdout
    line = next((line for line in out.splitlines() if line.startswith("RESULT")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    requests, seconds, p50, p95, p99, socket_errors, bad_status, _, _ = line.split()[1:]
    return {"requests": int(requests), "rps": int(requests) / float(seconds), "p50": float(p50),
            "p95": float(p95), "p99": float(p99), "errors": int(socket_errors), "non_2xx_3xx": int(bad_status)}


def python_load(url: str, *, connections: int, duration: int) -> dict[str, float]:
    """A fallback when wrk cannot be installed: threads with keep-alive connections, in this (second) process."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                ok = False
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                errors[0] += 0 if ok else 1

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0.0

    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": pct(0.5), "p95": pct(0.95),
            "p99": pct(0.99), "errors": 0, "non_2xx_3xx": errors[0]}


# --- votes -----------------------------------------------------------------------------------------------

def vote_client(spec: dict) -> dict:
    """Run in a separate process: `threads` browsers at a time cast votes until `duration` or `max_votes`."""
    import random

    import requests

    base, path, statements = spec["base"], spec["path"], spec["statements"]
    stop = time.monotonic() + spec["duration"]
    results = {"cast": 0, "refused": 0, "errors": 0, "browsers": 0, "latencies": [], "pairs": []}
    lock = threading.Lock()
    counter = [0]
    token_re = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def browser() -> None:
        rng = random.Random(threading.get_ident())  # noqa: S311 - load shapes only
        while time.monotonic() < stop and results["cast"] < spec["max_votes"]:
            with lock:
                counter[0] += 1
                n = counter[0]
            address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
            session = requests.Session()
            session.headers["X-Forwarded-For"] = address
            try:
                page = session.get(base + path, timeout=60)
                token = token_re.search(page.text)
                if page.status_code != 200 or token is None:
                    with lock:
                        results["errors"] += 1
                    continue
                with lock:
                    results["browsers"] += 1
                mine = rng.sample(statements, min(len(statements), spec["per_browser"]))
                for statement in mine:
                    if time.monotonic() >= stop:
                        break
                    started = time.perf_counter()
                    response = session.post(
                        base + path + "vote/", timeout=30,
                        data={"csrfmiddlewaretoken": token.group(1), "statement": statement,
                              "vote": rng.choice(["agree", "disagree", "pass"])},
                        headers={"HX-Request": "true", "Referer": base + path},
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                    with lock:
                        results["latencies"].append(elapsed)
                        if response.status_code >= 500:
                            results["errors"] += 1
                        elif response.status_code != 200 or "nhsuk-error-message" in response.text:
                            results["refused"] += 1
                        else:
                            results["cast"] += 1
                            results["pairs"].append([address, statement])
            except requests.RequestException:
                with lock:
                    results["errors"] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=browser) for _ in range(spec["threads"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results["seconds"] = time.monotonic() - started
    return results


def run_votes(site_url: str, conversation_path: str, *, threads: int, duration: int) -> dict:
    from django.utils import timezone

    from innovatorium.deliberation.models import Conversation, Participant, Statement, Vote

    network_slug, slug = conversation_path.strip("/").split("/")[0], conversation_path.strip("/").split("/")[-1]
    conversation = Conversation.objects.get(network__slug=network_slug, slug=slug)
    statements = list(Statement.objects.filter(conversation=conversation, status="accepted")
                      .values_list("pk", flat=True))
    since = timezone.now()
    votes_before = Vote.objects.filter(conversation=conversation).count()
    participants_before = Participant.objects.filter(conversation=conversation).count()
    spec = {"base": site_url, "path": conversation_path, "statements": statements, "threads": threads,
            "duration": duration, "max_votes": 200_000, "per_browser": 10}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    done = subprocess.run(  # noqa: S603 - the load comes from a second process
        [sys.executable, __file__, "--vote-client", handle.name], capture_output=True, text=True, check=True,
        cwd=ROOT, timeout=duration + 240,
    )
    os.unlink(handle.name)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    new_participants = Participant.objects.filter(conversation=conversation, created_at__gte=since)
    stored = Vote.objects.filter(participant__in=new_participants).count()
    from django.db.models import Count

    duplicates = (Vote.objects.filter(conversation=conversation).values("participant", "statement")
                  .annotate(n=Count("id")).filter(n__gt=1).count())
    latencies = sorted(result["latencies"])
    distinct_pairs = len({tuple(pair) for pair in result["pairs"]})
    return {
        "cast": result["cast"], "refused": result["refused"], "errors": result["errors"],
        "browsers": result["browsers"], "seconds": result["seconds"],
        "votes_per_s": result["cast"] / result["seconds"],
        "p95": latencies[int(len(latencies) * 0.95)] if latencies else 0.0,
        "stored": stored, "distinct_cast": distinct_pairs, "duplicates": duplicates,
        "participants": new_participants.count(), "participants_before": participants_before,
        "total_after": Vote.objects.filter(conversation=conversation).count(), "total_before": votes_before,
    }


# --- the run ---------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default=os.environ.get("LOAD_BENCH_SCALE", "national"))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("LOAD_BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--web-workers", type=int, default=min(4, 2 * (os.cpu_count() or 1)))
    parser.add_argument("--votes-duration", type=int, default=20)
    parser.add_argument("--no-load", action="store_true",
                        help="Use the bench database as it is (even if its scale load is unfinished).")
    parser.add_argument("--votes-only", choices=["national", "demo"],
                        help="Skip the pages; cast votes on this conversation only.")
    parser.add_argument("--vote-client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.vote_client:
        print(json.dumps(vote_client(json.loads(Path(args.vote_client).read_text()))))
        return 0

    url = database_url(args.scale)
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"Load bench: {args.scale} scale on {vendor}, {args.connections} concurrent clients, "
          f"{args.duration} s per page, gunicorn with {args.web_workers} processes x 4 threads on "
          f"{os.cpu_count()} cores (the load generator shares them)", flush=True)
    prepare_database(url, args.scale, load=not args.no_load)
    setup_django(url)
    pages = targets()
    from innovatorium.adoption.models import Adoption
    from innovatorium.atlas.models import Innovation
    from innovatorium.people.models import Person

    print(f"  data: {Person.objects.count():,} people, {Innovation.objects.count():,} innovations, "
          f"{Adoption.objects.count():,} adoption records", flush=True)
    use_wrk = ensure_wrk() is not None
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT)
    log = ROOT / "var" / "load_bench_server.log"
    failures: list[str] = []
    results: dict[str, dict[str, float]] = {}
    with running_site(url, workers=args.web_workers, threads=4, log=log) as site:
        for name, path in pages.items():
            if name.startswith("conversation") or args.votes_only:
                continue
            if not path:
                print(f"  {name}: skipped (not on this site)")
                continue
            for _ in range(3):  # warm: caches, connections, the facet index
                subprocess.run(  # noqa: S603
                    ["curl", "-s", "-o", "/dev/null", "-m", "60", site.url + path], check=False,  # noqa: S607
                )
            if use_wrk:
                results[name] = wrk(site.url + path, connections=args.connections, duration=args.duration,
                                    script=script)
            else:
                results[name] = python_load(site.url + path, connections=args.connections, duration=args.duration)
        ballots = []
        for key in ("conversation (for votes)", "conversation (for votes, demo)"):
            if args.votes_only and key.endswith("demo)") != (args.votes_only == "demo"):
                continue
            if pages[key]:
                ballots.append((pages[key], run_votes(site.url, pages[key], threads=args.connections,
                                                      duration=args.votes_duration)))
    script.unlink()

    ceiling = results.get("ceiling (minimal Django view)", {}).get("rps", 0.0) or 1.0
    print(f"\n  {'page':<32}{'req/s':>9}{'share':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, r in results.items():
        share = r["rps"] / ceiling
        flags = []
        if not name.startswith("ceiling"):
            if share < PAGE_SHARE_TARGET:
                flags.append(f"below {PAGE_SHARE_TARGET:.0%} of ceiling")
            if r["p95"] > P95_TARGET_MS:
                flags.append(f"p95 over {P95_TARGET_MS:.0f} ms")
        if r["errors"] or r["non_2xx_3xx"]:
            flags.append("errors")
        print(f"  {name:<32}{r['rps']:>9.1f}{share:>9.1%}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
              f"{r['errors'] + r['non_2xx_3xx']:>8}  {'; '.join(flags) or 'ok'}")
        failures += [f"{name}: {flag}" for flag in flags]
    for path, votes in ballots:
        print(f"\n  votes on {path} ({votes['participants_before']:,} participants before):")
        print(f"  {votes['cast']:,} cast by {votes['browsers']:,} browsers in {votes['seconds']:.1f} s = "
              f"{votes['votes_per_s']:.1f} votes/s (target >= {VOTES_TARGET:.0f}), p95 {votes['p95']:.0f} ms, "
              f"{votes['refused']} refused, {votes['errors']} errors")
        print(f"  votes stored by the new participants: {votes['stored']:,} (distinct cast: "
              f"{votes['distinct_cast']:,}); duplicate (participant, statement) rows: {votes['duplicates']}; "
              f"conversation votes {votes['total_before']:,} -> {votes['total_after']:,}")
        if votes["votes_per_s"] < VOTES_TARGET:
            failures.append(f"votes on {path}: {votes['votes_per_s']:.1f}/s")
        if votes["duplicates"] or votes["stored"] < votes["distinct_cast"]:
            failures.append(f"votes on {path}: duplicates or lost votes")
        if votes["errors"]:
            failures.append(f"votes on {path}: {votes['errors']} errors (timeouts or 5xx)")
    if not ballots:
        print("\n  votes: skipped (no open conversation in this database)")
    if failures:
        print("\n  missed: " + "; ".join(failures))
        return 1 if os.environ.get("LOAD_BENCH_STRICT", "0") == "1" else 0
    print("\n  every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
