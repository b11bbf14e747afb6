"""Faults: processes killed with SIGKILL in the middle of writing leave nothing half-written.

- A large adoption CSV import (`manage.py import_adoptions`, one transaction) is killed at several moments
  while it writes: each time either every row of the file is in the database or none is.
- The web server (gunicorn master and workers, kill -9 on the process group) is killed while 8 browsers cast
  votes: every vote the server acknowledged is stored, nothing is stored twice, and the site takes votes again
  when restarted. The task worker is killed while it recomputes the opinion analysis; a new worker brings the
  analysis up to date.
- After every fault the public record's hash chain verifies.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.db.models import Count

from bench._server import ROOT, running_site, site_env, start_site
from innovatorium.adoption.models import Adoption, AdoptionStatusChange, Site, SiteType
from innovatorium.atlas.models import Innovation, PublicationStatus
from innovatorium.deliberation import services as deliberation
from innovatorium.deliberation.models import AnalysisSnapshot, Conversation, Participant, Statement, Vote
from innovatorium.networks.models import Network
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.timeout(600)]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATEMENTS = [f"Statement number {n} about what the network should do next." for n in range(1, 21)]


def make_register(*, innovations: int, sites: int) -> tuple[Network, list[Innovation], list[Site]]:
    network = Network.objects.get(slug="eastern")
    made = Innovation.objects.bulk_create(
        Innovation(network=network, slug=f"fault-test-{n}", name=f"Fault test innovation {n}", summary="A test.",
                   innovation_type="digital", status=PublicationStatus.PUBLISHED)
        for n in range(innovations)
    )
    places = Site.objects.bulk_create(
        Site(ods_code=f"F{n:05d}", name=f"Practice {n}", type=SiteType.GP_PRACTICE, network=network,
             population=5000)
        for n in range(sites)
    )
    return network, made, places


def adoption_csv(path: Path, innovations: list[Innovation], sites: list[Site]) -> int:
    rows = ["ods_code,innovation,status,date"]
    for innovation in innovations:
        for site in sites:
            rows.append(f"{site.ods_code},eastern/{innovation.slug},adopted,2024-03-01")
    path.write_text("\n".join(rows) + "\n")
    return len(rows) - 1


def test_an_import_killed_while_it_writes_leaves_all_rows_or_none(shared_database, tmp_path):
    _, innovations, sites = make_register(innovations=20, sites=3000)
    csv_file = tmp_path / "adoptions.csv"
    rows = adoption_csv(csv_file, innovations, sites)
    shared_database.publish()
    env = site_env(shared_database.url)
    faults = complete = 0
    for delay in (0.05, 0.5, 1.5):  # seconds after the import has checked the file and begun writing
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "import_adoptions", str(csv_file)], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        seen = b""
        checked = f"{rows} rows".encode()
        while process.poll() is None and checked not in seen:  # tqdm's bar reaches the last row, then it writes
            seen += process.stderr.read1(4096) if process.stderr else b""
        time.sleep(delay)
        if process.poll() is None:
            process.kill()  # SIGKILL: no handler, no rollback in Python, as a crash or an OOM kill
            faults += 1
        process.wait(timeout=60)
        rest = process.stderr.read() if process.stderr else b""
        process.stderr.close()  # type: ignore[union-attr]
        assert process.returncode in (0, -9), (seen + rest).decode(errors="replace")[-2000:]
        shared_database.reload()
        stored = Adoption.objects.count()
        assert stored in (0, rows), f"{stored} of {rows} rows after a kill {delay} s into the import"
        assert AdoptionStatusChange.objects.count() == stored
        assert record_verify().ok
        if stored == rows:  # it finished first: start again from an empty register
            complete += 1
            AdoptionStatusChange.objects.all().delete()
            Adoption.objects.all().delete()
            shared_database.publish()
    assert faults >= 2, "the import finished before it could be killed: make the file bigger"
    # ... and the same import, left alone, takes every row
    subprocess.run([sys.executable, "manage.py", "import_adoptions", str(csv_file)], cwd=ROOT, env=env,  # noqa: S603
                   check=True, capture_output=True)
    shared_database.reload()
    assert Adoption.objects.count() == rows
    assert record_verify().ok
    print(f"import: {faults} kills -9 injected while writing {rows:,} rows ({complete} runs finished first); "
          f"half-written: 0")


class Voters:
    """Browsers casting votes through the real page and endpoint, counting what the server acknowledged."""

    def __init__(self, base: str, path: str, statements: list[int], browsers: int) -> None:
        self.base, self.path, self.statements, self.browsers = base, path, statements, browsers
        self.acknowledged = 0
        self.attempted = 0
        self.failed = 0
        self.server_errors = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.browse, args=(n,)) for n in range(browsers)]

    def browse(self, n: int) -> None:
        session = requests.Session()
        session.headers["X-Forwarded-For"] = f"10.9.{n // 256}.{n % 256}"
        try:
            page = session.get(self.base + self.path, timeout=20)
            token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
            for statement in self.statements:
                if self.stop.is_set():
                    return
                with self.lock:
                    self.attempted += 1
                response = session.post(self.base + self.path + "vote/", timeout=20,
                                        data={"csrfmiddlewaretoken": token, "statement": statement, "vote": "agree"},
                                        headers={"HX-Request": "true"})
                with self.lock:
                    if response.status_code >= 500:
                        self.server_errors += 1
                    elif response.status_code == 200 and "nhsuk-error-message" not in response.text:
                        self.acknowledged += 1
        except (requests.RequestException, AttributeError):
            with self.lock:
                self.failed += 1

    def start(self) -> Voters:
        for thread in self.threads:
            thread.start()
        return self

    def wait_for(self, acknowledged: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.acknowledged < acknowledged and time.monotonic() < deadline:
            time.sleep(0.05)

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def assert_votes_consistent(conversation: Conversation) -> None:
    duplicates = (Vote.objects.values("participant", "statement").annotate(n=Count("id")).filter(n__gt=1))
    assert not duplicates.exists()
    assert not Vote.objects.exclude(participant__conversation=conversation).exists()
    assert not Vote.objects.exclude(statement__conversation=conversation).exists()
    assert record_verify().ok


def test_killing_the_web_server_and_the_worker_mid_vote_loses_no_acknowledged_vote(shared_database):
    network = Network.objects.get(slug="eastern")
    conversation = deliberation.conversation_open(
        network=network, actor=None, question="Fault test: what should we do next?", seed_statements=STATEMENTS,
    )
    statements = list(Statement.objects.filter(conversation=conversation).values_list("pk", flat=True))
    path = conversation.get_absolute_url()
    shared_database.publish()
    entries_before = RecordEntry.objects.count()

    site = start_site(shared_database.url, workers=2, threads=4)
    try:
        voters = Voters(site.url, path, statements, browsers=8).start()
        voters.wait_for(40)
        site.kill_web()  # kill -9 the gunicorn master and its workers, mid-request
        site.kill_worker()
        voters.join()
    finally:
        site.stop()
    shared_database.reload()
    stored = Vote.objects.count()
    assert voters.acknowledged >= 40
    assert voters.acknowledged <= stored <= voters.attempted, (voters.acknowledged, stored, voters.attempted)
    assert voters.server_errors == 0
    assert_votes_consistent(conversation)
    assert RecordEntry.objects.count() == entries_before  # votes are never on the record one by one

    # Restarted, the site takes votes again, and a new worker brings the analysis up to date.
    with running_site(shared_database.url, workers=1, threads=4) as site:
        more = Voters(site.url, path, statements[:5], browsers=4).start()
        for thread in more.threads:
            thread.join(timeout=120)
        assert more.acknowledged == 20 and more.server_errors == 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            shared_database.reload()
            snapshot = AnalysisSnapshot.objects.filter(conversation=conversation).first()
            if snapshot is not None and snapshot.vote_count == Vote.objects.count():
                break
            time.sleep(1)
    shared_database.reload()
    assert Vote.objects.count() == stored + 20
    assert Participant.objects.filter(conversation=conversation).count() >= 4
    snapshot = AnalysisSnapshot.objects.get(conversation=conversation)
    assert snapshot.vote_count == Vote.objects.count()
    assert_votes_consistent(conversation)
    print(f"votes: 2 kills -9 injected (web, worker); {voters.attempted} votes tried, {voters.acknowledged} "
          f"acknowledged, {stored} stored, 0 duplicates, 0 lost; 20 more after restart")
