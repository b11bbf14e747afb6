from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from innovatorium.audit.commands import AuditedCommand
from innovatorium.search.services import reindex_all, reindex_total


class Command(AuditedCommand, BaseCommand):
    help = "Rebuild the search index from the published innovations, case studies and challenges."

    def handle(self, *args: Any, **options: Any) -> None:
        total = reindex_total()
        with tqdm(total=total, unit="doc", disable=options["verbosity"] < 1, file=self.stderr._out) as bar:
            count = reindex_all(progress=bar.update)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Indexed {count} documents."))
