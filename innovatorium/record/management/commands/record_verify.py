"""`manage.py record_verify`: re-check every hash in the public record, from the first entry to the last."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from innovatorium.record import selectors


class Command(BaseCommand):
    help = (
        "Recompute the SHA-256 hash of every public-record entry in order and check each links to the one "
        "before. Exits 0 when the record is intact, 1 with the first broken entry otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        total = selectors.record_size()
        # tqdm hides itself when stderr is not a terminal (cron, CI), so logs stay clean.
        show = None if options["verbosity"] > 0 and not options["no_progress"] else True

        def progress(entries: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
            return tqdm(entries, total=total, unit=" entries", desc="Checking", file=sys.stderr, disable=show)

        result = selectors.record_verify(progress=progress)
        noun = "entry" if result.checked == 1 else "entries"
        self.stdout.write(f"Checked {result.checked} {noun}.")
        if result.ok:
            self.stdout.write(self.style.SUCCESS("The public record is intact."))
            return
        # CommandError prints to stderr and exits with its return code when run from the command line.
        raise CommandError(
            f"The public record is broken at entry #{result.first_broken_sequence}: {result.reason}.", returncode=1
        )
