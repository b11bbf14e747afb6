"""Core's one table: the rate limits' counters (innovatorium/core/ratelimit.py)."""

from __future__ import annotations

from django.db import models


class RateCount(models.Model):
    """How many times one action was counted for one identity or address in the current window.

    `name` is a hash of the action, the identity or address and the window length, so no address or person
    is stored here; a row whose window has passed starts again at one and is deleted once expired.
    """

    name = models.CharField(max_length=64, primary_key=True)
    period = models.BigIntegerField(help_text="The window's number: seconds since the epoch // its length.")
    n = models.PositiveIntegerField()
    expires = models.BigIntegerField(db_index=True, help_text="Seconds since the epoch when the window ends.")

    def __str__(self) -> str:
        return f"{self.name[:8]}…: {self.n} in window {self.period}"
