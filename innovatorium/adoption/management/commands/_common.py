"""What the adoption import commands share: reading the file, a progress bar, reporting a refused file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from innovatorium.adoption.importers import ImportRejected, ImportResult, Progress


def read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc


def run(command: BaseCommand, file: Path, options: dict[str, Any],
        importer: Callable[[bytes, Progress], ImportResult]) -> None:
    """Run one importer on the file with a progress bar; list every problem (line and column) if it is refused."""
    data = read(file)
    quiet = options.get("verbosity", 1) == 0

    def bar(rows: Any) -> Any:
        return tqdm(rows, desc=f"Checking {file.name}", unit=" rows", disable=quiet, file=command.stderr._out,
                    mininterval=0.5)

    try:
        result = importer(data, bar)
    except ImportRejected as exc:
        for error in exc.errors:
            command.stderr.write(str(error))
        if exc.total > len(exc.errors):
            command.stderr.write(f"... and {exc.total - len(exc.errors)} more.")
        raise CommandError(f"{exc.total} problem(s) in {file.name}; nothing was imported.") from exc
    command.stdout.write(command.style.SUCCESS(
        f"Imported {result.rows:,} row(s) of {result.kind} from {file.name}: {result.created:,} created, "
        f"{result.updated:,} updated."
    ))
