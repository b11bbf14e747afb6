"""The database cache's one-statement `set` keeps Django's meaning: last write wins, expiry, culling."""

from __future__ import annotations

import pytest
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.management import call_command
from django.db import connection

from innovatorium.core import dbcache

TABLE = "test_dbcache_table"


@pytest.fixture
def cache_table(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "db": {"BACKEND": "innovatorium.core.dbcache.DatabaseCache", "LOCATION": TABLE},
    }
    call_command("createcachetable", "--database", "default", verbosity=0)
    yield TABLE


def make(max_entries: int = 300, cull_frequency: int = 3) -> dbcache.DatabaseCache:
    return dbcache.DatabaseCache(TABLE, {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": cull_frequency}})


def rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(TABLE)}")  # noqa: S608 - a constant
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_set_stores_and_overwrites_in_one_statement(cache_table, django_assert_num_queries):
    cache = make()
    cache.set("warm", 0)  # the first set of a connection also counts the table
    with django_assert_num_queries(1):
        cache.set("page", {"html": b"<p>one</p>"}, timeout=60)
    with django_assert_num_queries(1):
        cache.set("page", {"html": b"<p>two</p>"}, timeout=None)
    assert cache.get("page") == {"html": b"<p>two</p>"}
    assert rows() == 2
    # Django's own backend reads what ours wrote, and the other way round
    django_cache = DjangoDatabaseCache(TABLE, {})
    assert django_cache.get("page") == {"html": b"<p>two</p>"}
    django_cache.set("theirs", [1, 2])
    assert cache.get("theirs") == [1, 2]


@pytest.mark.django_db
def test_an_expired_entry_is_not_read_and_a_renewed_one_is(cache_table):
    cache = make()
    cache.set("token", "old", timeout=-10)
    assert cache.get("token") is None
    cache.set("token", "new", timeout=60)
    assert cache.get("token") == "new"
    assert cache.add("token", "other") is False and cache.get("token") == "new"  # add is Django's, unchanged


@pytest.mark.django_db
def test_the_table_is_culled_every_few_sets_so_it_stays_near_its_limit(cache_table, monkeypatch):
    monkeypatch.setattr(dbcache, "CULL_EVERY", 5)
    cache = make(max_entries=10, cull_frequency=2)
    for n in range(200):
        cache.set(f"page-{n}", n)
        assert rows() <= 10 + 5 + 1
    assert cache.get("page-199") == 199  # the newest entry is never the one culled
