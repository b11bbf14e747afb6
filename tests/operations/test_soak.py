"""A short soak: the real site under gunicorn on loopback, mixed pages and votes from several clients for a
bounded time, and not one 5xx. (`make bench` runs the long version at national scale: bench/load_bench.py.)"""

from __future__ import annotations

import os
import threading
import time

import pytest
import requests

from bench._server import running_site
from innovatorium.deliberation import services as deliberation
from innovatorium.deliberation.models import Statement
from innovatorium.networks.models import Network
from tests.operations.test_faults import STATEMENTS, TOKEN, make_register

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.timeout(300)]

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "12"))
PAGES = ["/", "/eastern/", "/atlas/", "/atlas/?q=fault", "/search/?q=test", "/record/", "/healthz", "/readyz",
         "/eastern/atlas/", "/api/docs", "/dashboard/", "/no-such-page/"]


def test_a_bounded_soak_of_mixed_pages_and_votes_answers_without_a_server_error(shared_database):
    network = Network.objects.get(slug="eastern")
    make_register(innovations=30, sites=50)
    conversation = deliberation.conversation_open(network=network, actor=None, question="Soak: what next?",
                                                  seed_statements=STATEMENTS)
    statements = list(Statement.objects.filter(conversation=conversation).values_list("pk", flat=True))
    pages = [*PAGES, conversation.get_absolute_url()]
    shared_database.publish()
    statuses: dict[int, int] = {}
    failures: list[str] = []
    lock = threading.Lock()

    with running_site(shared_database.url, workers=2, threads=4) as site:
        stop = time.monotonic() + SOAK_SECONDS

        def reader(n: int) -> None:
            session = requests.Session()
            i = n
            while time.monotonic() < stop:
                path = pages[i % len(pages)]
                i += 1
                try:
                    status = session.get(site.url + path, timeout=30).status_code
                except requests.RequestException as exc:
                    with lock:
                        failures.append(f"{path}: {exc}")
                    continue
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status >= 500:
                        failures.append(f"{path}: {status}")

        def voter(n: int) -> None:
            while time.monotonic() < stop:
                session = requests.Session()
                session.headers["X-Forwarded-For"] = f"10.8.{n}.{int(time.monotonic() * 1000) % 250}"
                try:
                    page = session.get(site.url + conversation.get_absolute_url(), timeout=30)
                    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
                    for statement in statements[:5]:
                        response = session.post(site.url + conversation.get_absolute_url() + "vote/", timeout=30,
                                                data={"csrfmiddlewaretoken": token, "statement": statement,
                                                      "vote": "disagree"}, headers={"HX-Request": "true"})
                        with lock:
                            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                            if response.status_code >= 500:
                                failures.append(f"vote: {response.status_code}")
                except (requests.RequestException, AttributeError) as exc:
                    with lock:
                        failures.append(f"voter: {exc}")

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
        threads += [threading.Thread(target=voter, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SOAK_SECONDS + 120)

    total = sum(statuses.values())
    print(f"soak: {total} requests in {SOAK_SECONDS:.0f} s, statuses {dict(sorted(statuses.items()))}, "
          f"5xx: {sum(n for s, n in statuses.items() if s >= 500)}")
    assert total > 20
    assert not failures, failures[:10]
    assert statuses.get(404, 0) > 0  # the missing page answered 404, not 500
