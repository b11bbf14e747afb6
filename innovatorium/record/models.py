"""The public record: an append-only, hash-chained log of every decision and change."""

from __future__ import annotations

from django.db import models


class RecordEntry(models.Model):
    """One entry. Never updated or deleted; the hash chains it to the one before."""

    sequence = models.PositiveBigIntegerField(unique=True)
    recorded_at = models.DateTimeField()
    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, null=True, blank=True, related_name="record_entries"
    )
    network_slug = models.CharField(max_length=60, blank=True)
    # The actor as hashed: a stable pseudonym, never a name, so erasure never breaks the chain.
    actor_pseudonym = models.CharField(max_length=40)
    # Not hashed: lets pages show the consented display name, and becomes NULL on erasure.
    actor = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="record_entries"
    )
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=80, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-sequence"]
        verbose_name_plural = "record entries"
        indexes = [models.Index(fields=["network", "-sequence"]), models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class RecordHead(models.Model):
    """A single row locked while appending, so two writers can never fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head at #{self.last_sequence}"
