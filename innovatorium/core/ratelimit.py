"""Rate limits for voting and posting: per person and per client address, counted in Django's cache.

Each limit is a fixed window: at most `per_person` actions by one person (or pseudonymous browser) and
`per_address` actions from one client address in each window of `seconds`. The per-address limit is higher,
because a hospital or a library puts many people behind one address; it stops a script that makes new
anonymous identities, not a busy ward.

Use it in a view or API endpoint before the service call:

    from innovatorium.core import ratelimit

    try:
        ratelimit.check(request, ratelimit.BALLOTS, person=person)
        services.ballot_cast(...)
    except ratelimit.RateLimited as exc:   # a ValidationError: exc.messages says what to do
        ...                                # show it (a page) or raise HttpError(429, ...) (the API)

`identity` replaces `person` for someone not signed in (for example a deliberation browser token's hash).
The counters live in the database (core_ratecount, keyed by a hash), which every web process shares.
Client addresses are read the way allauth reads them (TRUSTED_PROXY_COUNT), so limits behind a proxy count
each real client.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest


@dataclass(frozen=True)
class Rate:
    action: str
    per_person: int
    per_address: int
    seconds: int
    message: str


# Governance ballots and motions (innovatorium/governance) and priority ballots: a ballot is cast once per
# round, so a handful of tries covers corrections; a script trying again and again is stopped.
BALLOTS = Rate("ballot", 10, 200, 600,
               "You have sent your ballot many times in the last 10 minutes. Wait a few minutes, then try again.")
MOTIONS = Rate("motion", 10, 100, 3600,
               "You have proposed many motions in the last hour. Wait a while before proposing another.")
# Deliberation: votes on statements come quickly when people are engaged; statements are moderated.
VOTES = Rate("vote", 120, 1200, 60,
             "You are voting very quickly. Wait a minute, then carry on: your votes so far are saved.")
STATEMENTS = Rate("statement", 5, 60, 600,
                  "Too many statements have been added in the last 10 minutes. Wait a few minutes before adding "
                  "another.")
# Surveys, comments and other short public posts (impact, benefits, governance comments).
POSTS = Rate("post", 20, 200, 600,
             "You have sent a lot in the last 10 minutes. Wait a few minutes, then try again.")


class RateLimited(ValidationError):
    """Over a limit in this window; `messages` says what to do. Answer 429 in an API."""


def client_address(request: HttpRequest) -> str:
    """The client's address, honouring ALLAUTH_TRUSTED_PROXY_COUNT like the sign-in limits do."""
    from innovatorium.audit.services import client_ip

    return client_ip(request) or "unknown"


# One statement counts an action and reads the new count (SQLite 3.35+ and PostgreSQL both take it): the cache's
# add-then-incr took ten queries in four transactions, and it was a third of a vote's queries. A window that has
# passed starts again at one.
_COUNT_SQL = (
    "INSERT INTO core_ratecount (name, period, n, expires) VALUES (%s, %s, 1, %s)"
    " ON CONFLICT (name) DO UPDATE SET"
    " n = CASE WHEN core_ratecount.period = excluded.period THEN core_ratecount.n + 1 ELSE 1 END,"
    " period = excluded.period, expires = excluded.expires"
    " RETURNING n"
)
PRUNE_EVERY = 1000  # about one count in this many also deletes the counters of windows that have passed


def count(key: str, seconds: int) -> int:
    """Count one action under `key` in the current fixed window of `seconds`; return the count so far.

    Atomic: two processes counting at once get different numbers. The key is stored only as a hash.
    """
    now = time.time()
    period = int(now) // seconds
    name = hashlib.sha256(f"{seconds}:{key}".encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, [name, period, (period + 1) * seconds])
        counted = int(cursor.fetchone()[0])
    if random.randrange(PRUNE_EVERY) == 0:  # noqa: S311 - spreading housekeeping, not security
        # After the caller's transaction (a vote's), in a statement of its own: rows it locks never hold up,
        # or deadlock with, the caller's writes.
        transaction.on_commit(lambda: _prune(int(now)))
    return counted


def _prune(now: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_ratecount WHERE expires < %s", [now])


def check(request: HttpRequest | None, rate: Rate, *, person: Any = None, identity: str = "") -> None:
    """Count one action; raise `RateLimited` if the person (or identity) or the address is over the limit.

    Both counters are counted before deciding, so someone over the limit keeps being counted (no refill by
    hammering).
    """
    over = False
    who = f"person:{person.pk}" if person is not None else (f"id:{identity}" if identity else "")
    if who and count(f"{rate.action}:{who}", rate.seconds) > rate.per_person:
        over = True
    if request is not None and count(f"{rate.action}:ip:{client_address(request)}", rate.seconds) > rate.per_address:
        over = True
    if over:
        raise RateLimited(rate.message, code="rate_limited")
