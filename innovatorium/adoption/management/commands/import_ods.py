"""`manage.py import_ods FILE --layout trusts|gp|icb [--network SLUG]`: sites from an ODS file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innovatorium.adoption.importers import import_ods_sites
from innovatorium.adoption.management.commands._common import run
from innovatorium.audit.commands import AuditedCommand
from innovatorium.networks.models import Network

LAYOUTS = {"trusts": "trusts", "gp": "gp_practices", "icb": "icbs"}


class Command(AuditedCommand, BaseCommand):
    help = (
        "Import or update sites from an NHS ODS CSV file as published (etrust.csv, epraccur.csv or the ICB file: no "
        "header row). The whole file is checked first; every problem is listed with its line and column, and "
        "nothing is imported unless all of it is good."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--layout", required=True, choices=sorted(LAYOUTS),
                            help="trusts (etrust.csv), gp (epraccur.csv) or icb.")
        parser.add_argument("--network", metavar="SLUG",
                            help="Give every site in the file to this network (otherwise each takes its parent's).")

    def handle(self, *args: Any, file: Path, layout: str, network: str | None, **options: Any) -> None:
        chosen = None
        if network:
            chosen = Network.objects.filter(slug=network).first()
            if chosen is None:
                raise CommandError(f"No network has the slug “{network}”.")
        run(self, file, options, lambda data, bar: import_ods_sites(
            data, layout=LAYOUTS[layout], actor=None, network=chosen, progress=bar))
