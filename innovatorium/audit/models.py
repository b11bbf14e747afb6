"""The audit log: who signed in, who failed to, who was refused, and what staff did. Append-only.

Rows are written once and never changed or deleted by the application (`save` refuses updates, `delete`
refuses). On PostgreSQL a trigger also refuses UPDATE and DELETE from any client, except DELETE of rows past
the retention period (see docs/security.md and `manage.py prune_audit_log`).

Never holds secrets: no passwords, tokens, session keys or form bodies. Paths are stored with secret URL
arguments (password-reset keys) blanked out, and never with their query string.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

# How long rows are kept. Older rows may be deleted by `prune_audit_log`; the PostgreSQL trigger allows
# nothing younger to be deleted. Keep in step with the trigger in migrations/0002.
RETENTION = timedelta(days=400)


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class EventKind(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    PERMISSION_DENIED = "permission_denied", "Permission refused"
    STAFF_ACTION = "staff_action", "Staff action"
    # A data-changing `manage.py` command run on the server (innovatorium.audit.commands.AuditedCommand).
    COMMAND = "command", "Server command"


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted (past the retention period: prune_audit_log).")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="Stored in UTC.")
    kind = models.CharField(max_length=20, choices=EventKind.choices, db_index=True)
    # The person concerned, when known. No database constraint: the row must outlive anything that happens to
    # the person (erasure keeps the Person row, anonymised, so the pseudonym still identifies nobody).
    person = models.ForeignKey(
        "people.Person", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="audit_events",
    )
    network_slug = models.SlugField(max_length=60, blank=True, db_index=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=300, blank=True, help_text="Without query string; secret arguments blanked.")
    view_name = models.CharField(max_length=120, blank=True)
    # The HTTP status; for a server command, its exit status (0 succeeded, 1 failed).
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True, help_text="The permission refused, or what failed.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S}Z {self.kind} {self.path}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted (past the retention period: prune_audit_log).")

    @property
    def os_user(self) -> str:
        """For a server command: who ran it, as the operating system knows them (from `detail`)."""
        head = self.detail.split(";", 1)[0]
        return head.removeprefix("OS user ") if self.kind == EventKind.COMMAND and head.startswith("OS user ") else ""

    @property
    def command_notes(self) -> str:
        """For a server command: how long it took and, if it failed, what stopped it (from `detail`)."""
        return self.detail.split(";", 1)[1].strip() if ";" in self.detail else ""
