"""Rate limits on votes and statements, per person and per pseudonymous browser (fixed windows, counted by
core.ratelimit.count).

A fixed window is simple and good enough against a script hammering the vote button: at most `limit` actions in
each window of `seconds`. Limits live in settings-free constants so tests and pages can name them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from innovatorium.core import ratelimit


@dataclass(frozen=True)
class Limit:
    action: str
    limit: int
    seconds: int
    message: str


VOTES = Limit(
    "vote", 120, 60, "You are voting very quickly. Wait a minute, then carry on: your votes so far are saved.",
)
STATEMENTS = Limit(
    "statement", 5, 600,
    "You have added 5 statements in the last 10 minutes. Wait a few minutes before adding another.",
)


class RateLimited(ValidationError):
    """Too many actions in the window; the message says what to do."""


def check(limit: Limit, identity: str) -> None:
    """Count one action for `identity`; raise `RateLimited` once it is over the limit in this window."""
    count = ratelimit.count(f"deliberation:{limit.action}:{identity}", limit.seconds)
    if count > limit.limit:
        raise RateLimited(limit.message, code="rate_limited")
