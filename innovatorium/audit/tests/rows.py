"""Audit rows read back for the sentinel checks."""

from __future__ import annotations

from django.db import connection


def all_audit_text() -> str:
    """Every column of every audit row, as text, read with raw SQL (nothing the model might hide)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        return "\n".join(" ".join(str(v) for v in row) for row in cursor.fetchall())
