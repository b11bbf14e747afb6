"""`manage.py import_adoptions FILE [--network SLUG]`: adoption records from CSV, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innovatorium.adoption.importers import import_adoptions
from innovatorium.adoption.management.commands._common import run
from innovatorium.audit.commands import AuditedCommand
from innovatorium.networks.models import Network


class Command(AuditedCommand, BaseCommand):
    help = (
        "Import adoption records from a CSV with the columns ods_code, innovation, status, date (and optionally "
        "reason, population_covered, patients_reached, source, verified). Every problem is listed with its line and "
        "column; nothing is imported unless all of the file is good. Files holding NHS numbers are refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--network", metavar="SLUG",
                            help="Only accept rows for this network's innovations or sites.")

    def handle(self, *args: Any, file: Path, network: str | None = None, **options: Any) -> None:
        chosen = None
        if network:
            chosen = Network.objects.filter(slug=network).first()
            if chosen is None:
                raise CommandError(f"No network has the slug “{network}”.")
        run(self, file, options, lambda data, bar: import_adoptions(data, actor=None, network=chosen, progress=bar))
