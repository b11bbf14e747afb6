"""Figures that are costly to count at national scale (members per constituency across 200,000 memberships),
kept in Django's cache and invalidated by a version, never served stale after a change.

    from innovatorium.core import figures

    summaries = figures.cached("memberships", "all", compute_them)   # counts once, then reads the cache
    figures.watch("memberships", ("people_membership", "networks_"))  # (once, in AppConfig.ready) count again
                                                                      # after any write to these tables

Each namespace has a version token in the cache; a cached value is stored with the version it was computed
under and used only while that version is current. A write to a watched table sets a new version when its
transaction commits (core/writes.py sees every INSERT, UPDATE and DELETE, bulk loads and raw SQL included;
before the commit, a reader could count the old rows under the new version). `bump` sets one by hand. A value
also expires after `timeout` seconds, a bound on anything the watch cannot see (a PostgreSQL COPY alone).
In production the cache is the database cache that every web process shares, so one process's bump is seen by
all; one read of the cache (both keys at once) replaces the counting queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache

from innovatorium.core import writes

T = TypeVar("T")

DEFAULT_TIMEOUT = 300  # seconds: the most a change made by a bulk load (no signals) stays unseen


def _version_key(namespace: str) -> str:
    return f"figures:{namespace}:version"


def cached(namespace: str, key: str, compute: Callable[[], T], *, timeout: int = DEFAULT_TIMEOUT) -> T:
    """The value `compute()` returns, from the cache while nothing in `namespace` has changed since."""
    version_key, value_key = _version_key(namespace), f"figures:{namespace}:{key}"
    found = cache.get_many([version_key, value_key])
    version, entry = found.get(version_key), found.get(value_key)
    if version is not None and isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    if version is None:
        version = uuid4().hex
        if not cache.add(version_key, version, timeout=None):  # another process made one just now
            version = cache.get(version_key, version)
    value = compute()
    cache.set(value_key, (version, value), timeout=timeout)
    return value


def bump(namespace: str) -> None:
    """Something in `namespace` changed: figures computed before are not used again."""
    cache.set(_version_key(namespace), uuid4().hex, timeout=None)


def watch(namespace: str, tables: Iterable[str]) -> None:
    """Count `namespace` again after every transaction that writes to one of `tables` (names or prefixes)."""
    writes.watch(tuple(tables), on_commit=partial(bump, namespace))
