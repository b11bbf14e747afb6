"""The rate limits' counter (core.ratelimit.count): one statement per count, atomic, hashed, self-pruning."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innovatorium.core import ratelimit
from innovatorium.core.models import RateCount


@pytest.mark.django_db
def test_each_count_is_one_statement_and_returns_the_running_count_per_key_and_window():
    with CaptureQueriesContext(connection) as queries:
        counts = [ratelimit.count("vote:ip:192.0.2.7", 60) for _ in range(4)]
    assert counts == [1, 2, 3, 4]
    assert len(queries) == 4  # one INSERT … ON CONFLICT … RETURNING each (no read-then-write, no transaction)
    assert ratelimit.count("vote:ip:192.0.2.8", 60) == 1  # another address counts on its own
    assert ratelimit.count("vote:ip:192.0.2.7", 600) == 1  # so does another window length


@pytest.mark.django_db
def test_a_new_window_starts_again_at_one():
    now = time.time()
    with mock.patch("innovatorium.core.ratelimit.time.time", return_value=now):
        assert [ratelimit.count("statement:id:abc", 60) for _ in range(3)] == [1, 2, 3]
    with mock.patch("innovatorium.core.ratelimit.time.time", return_value=now + 60):
        assert ratelimit.count("statement:id:abc", 60) == 1


@pytest.mark.django_db
def test_no_address_or_person_is_stored_only_a_hash_and_expired_counters_are_deleted(
    django_capture_on_commit_callbacks,
):
    ratelimit.count("vote:ip:203.0.113.99", 60)
    ratelimit.count("vote:person:4242", 60)
    stored = " ".join(f"{row.name} {row.period} {row.n} {row.expires}" for row in RateCount.objects.all())
    assert "203.0.113" not in stored and "4242" not in stored
    assert RateCount.objects.count() == 2

    later = time.time() + 3600  # both windows have passed
    with mock.patch("innovatorium.core.ratelimit.time.time", return_value=later), \
            mock.patch("innovatorium.core.ratelimit.random.randrange", return_value=0), \
            django_capture_on_commit_callbacks() as after_commit:  # this count prunes, once its transaction commits
        assert ratelimit.count("vote:ip:198.51.100.1", 60) == 1
    assert RateCount.objects.count() == 3  # not inside the caller's transaction
    for callback in after_commit:
        callback()
    assert RateCount.objects.count() == 1  # only the counter just made is left


@pytest.mark.django_db
def test_counting_renews_no_cached_page():
    from innovatorium.core import pagecache

    assert pagecache.namespace_of_table(RateCount._meta.db_table) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL")
def test_twenty_processes_counting_at_once_get_twenty_different_counts():
    from tests.test_concurrency import race

    results, errors = race([lambda: ratelimit.count("vote:ip:192.0.2.200", 60)] * 20)
    assert errors == []
    assert sorted(results) == list(range(1, 21))
