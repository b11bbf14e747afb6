"""`manage.py import_population FILE`: sites' population served and deprivation decile, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from innovatorium.adoption.importers import import_populations
from innovatorium.adoption.management.commands._common import run
from innovatorium.audit.commands import AuditedCommand


class Command(AuditedCommand, BaseCommand):
    help = (
        "Set sites' population served and IMD decile from a CSV with the columns ods_code, population, imd_decile "
        "(and optionally source). Every problem is listed with its line and column; nothing is imported unless all "
        "of the file is good."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        run(self, file, options, lambda data, bar: import_populations(data, actor=None, progress=bar))
