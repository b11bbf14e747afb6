"""manage.py import_observations NETWORK MEASURE FILE: a CSV file of monthly values, all or nothing.

The file has a header row with ``period`` and ``value`` (``note`` optional). A progress bar shows the check; if
any row has a problem, every problem is listed by line and column, nothing is written and the command exits
non-zero. Written as the system (the public record says so), like the demo loader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from tqdm import tqdm

from innovatorium.audit.commands import AuditedCommand
from innovatorium.impact import selectors, services


class Command(AuditedCommand, BaseCommand):
    help = "Import a CSV file of monthly values (period,value[,note]) into one impact measure, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("network", help="The network's slug, e.g. eastern")
        parser.add_argument("measure", help="The measure's slug, as in its address")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            measure = selectors.measure_get(network_slug=options["network"], measure_slug=options["measure"])
        except Http404:
            raise CommandError(f"No measure {options['measure']!r} in network {options['network']!r}.") from None
        file: Path = options["file"]
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        except UnicodeDecodeError:
            raise CommandError(f"{file.name} is not UTF-8 text.") from None
        quiet = options.get("verbosity", 1) == 0

        def bar(rows: Any) -> Any:
            return tqdm(rows, desc=f"Checking {file.name}", unit=" rows", disable=quiet, file=self.stderr._out,
                        mininterval=0.5)

        try:
            n = services.observations_import(measure=measure, actor=None, text=text, progress=bar)
        except services.ImportRefused as exc:
            for problem in exc.problems[:200]:
                self.stderr.write(str(problem))
            if len(exc.problems) > 200:
                self.stderr.write(f"... and {len(exc.problems) - 200} more.")
            raise CommandError(f"{len(exc.problems)} problem(s) in {file.name}; nothing was imported.") from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {n:,} month(s) into “{measure.name}” from {file.name}."))
