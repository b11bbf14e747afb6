"""Figures that are costly to count at national scale (members per constituency across 200,000 memberships),
kept in Django's cache and invalidated by a version, never served stale after a change.

    from innovatorium.core import figures

    summaries = figures.cached("memberships", "all", compute_them)   # counts once, then reads the cache
    figures.bump("memberships")                                      # a membership changed: count again

Each namespace has a version token in the cache; a cached value is stored with the version it was computed
under and used only while that version is current. `bump` sets a new version at once (so the writing request
itself reads fresh figures) and again when the transaction commits (so a reader that counted between the two,
before the commit was visible, cannot leave its older figures in place). A value also expires after `timeout`
seconds, which bounds how long a change made without the model's signals (a bulk load) can go unseen.
In production the cache is the database cache that every web process shares, so one process's bump is seen by
all; one read of the cache (both keys at once) replaces the counting queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

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
    version_key = _version_key(namespace)
    cache.set(version_key, uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(version_key, uuid4().hex, timeout=None))
