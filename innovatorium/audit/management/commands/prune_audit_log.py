"""Delete audit events older than the retention period (400 days). Nothing younger can be deleted."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from innovatorium.audit.commands import AuditedCommand
from innovatorium.audit.models import RETENTION, AuditEvent


class Command(AuditedCommand, BaseCommand):
    help = "Delete audit-log entries older than the retention period (400 days)."

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - RETENTION
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            # The model refuses deletes; this is the one sanctioned path, and the PostgreSQL trigger checks the age.
            cursor.execute(f"DELETE FROM {table} WHERE occurred_at < %s", [cutoff])  # noqa: S608 - our own table
            deleted = cursor.rowcount
        self.stdout.write(f"Deleted {deleted} audit-log entr{'y' if deleted == 1 else 'ies'} older than "
                          f"{RETENTION.days} days.")
