"""Two postings of the same event at the same moment, from two database connections: one posting.

Runs on PostgreSQL (where two writers really race); SQLite serialises writers, so it is skipped there.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from innovatorium.benefits import services
from innovatorium.benefits.models import BenefitEvent, Posting
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_the_same_event_posted_twice_at_once_posts_once(adopted, facilitator):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def post() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.event_record(
                actor=facilitator, agreement=adopted.agreement, kind="licence_income", amount="250.00",
                occurred_on=dt.date(2026, 2, 1), idempotency_key="RACE-1"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sorted(created for _, created in results) == [False, True]
    assert len({event.pk for event, _ in results}) == 1
    assert BenefitEvent.objects.count() == 1
    assert Posting.objects.count() == 1
    assert RecordEntry.objects.filter(action="benefits.event.posted").count() == 1
    assert record_verify().ok
