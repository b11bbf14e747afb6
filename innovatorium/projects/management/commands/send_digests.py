"""Email each network's monthly digest to members who agreed to be contacted (once per network and month)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innovatorium.audit.commands import AuditedCommand
from innovatorium.projects.digest import previous_month, send_digests


class Command(AuditedCommand, BaseCommand):
    help = "Send last month's digest of what each network did. Safe to run as often as you like."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="The month to describe, as YYYY-MM (default: last month).")

    def handle(self, *args: Any, **options: Any) -> None:
        month = previous_month()
        if options["month"]:
            try:
                year, number = (int(part) for part in options["month"].split("-"))
                month = dt.date(year, number, 1)
            except ValueError:
                raise CommandError(f"--month must look like 2026-05, not “{options['month']}”.") from None
        sent = send_digests(month=month)
        if not sent:
            self.stdout.write(f"No digests to send for {month:%B %Y}: already sent, or nothing happened.")
            return
        for slug, recipients in sent.items():
            self.stdout.write(f"{slug}: sent to {recipients} member{'s' if recipients != 1 else ''}.")
        self.stdout.write(f"Sent {len(sent)} digest{'s' if len(sent) != 1 else ''} for {month:%B %Y}.")
