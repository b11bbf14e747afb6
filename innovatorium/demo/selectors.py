"""Reads about the demo data."""

from __future__ import annotations

from innovatorium.demo.constants import DEMO_MARKER_ACTION
from innovatorium.record.models import RecordEntry


def demo_data_marker() -> RecordEntry | None:
    """The public-record entry written when the demo data was loaded, or None if it never was."""
    return RecordEntry.objects.filter(action=DEMO_MARKER_ACTION).order_by("sequence").first()
