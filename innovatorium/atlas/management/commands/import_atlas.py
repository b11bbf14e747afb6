"""`manage.py import_atlas FILE`: import innovations or case studies from CSV, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from innovatorium.atlas import importer
from innovatorium.audit.commands import AuditedCommand


class Command(AuditedCommand, BaseCommand):
    help = (
        "Import innovations or case studies from a UTF-8 CSV file. The whole file is checked first; every bad row "
        "is reported with its line number, column and reason, and nothing is imported unless all of it is good."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=["innovations", "case_studies"],
                            help="What the file holds (found from its headings when not given).")
        parser.add_argument("--draft", action="store_true", help="Import as drafts instead of publishing.")
        parser.add_argument("--check", action="store_true", help="Only check the file; import nothing.")

    def handle(self, *args: Any, file: Path, kind: str | None, draft: bool, check: bool, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        quiet = options["verbosity"] == 0

        def bar(description: str) -> importer.Progress:
            return lambda rows: tqdm(rows, desc=description, unit=" rows", disable=quiet, file=self.stderr._out)

        plan = importer.validate(data, kind=kind, progress=bar("Checking"))
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(plan.errors)} problem(s) in {file.name}; nothing was imported.")
        if check:
            self.stdout.write(f"{file.name} is good: {len(plan.rows)} {plan.kind.replace('_', ' ')} ready to import.")
            return
        try:
            result = importer.import_file(data, actor=None, publish=not draft, kind=plan.kind,
                                          progress=bar("Importing"))
        except importer.ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Imported {result.created} {result.kind.replace('_', ' ')} ({result.published} published)."
        ))
