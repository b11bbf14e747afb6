"""Email a reminder to everyone with a confirmed place at an event in the next 24 hours (once each)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from innovatorium.audit.commands import AuditedCommand
from innovatorium.events.services import send_reminders


class Command(AuditedCommand, BaseCommand):
    help = "Send reminders for events starting in the next 24 hours. Safe to run as often as you like."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
