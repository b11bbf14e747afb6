"""Re-run a published draw by lot from its stored candidate list and public seed, and say whether it matches.

    manage.py rerun_sortition 12             # draw number 12 in this database
    manage.py rerun_sortition --file draw.json   # the JSON from a draw's page (candidates.json), anywhere

Exits 0 when the re-run gives the same panel, 1 when it does not.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from innovatorium.audit.commands import AuditedCommand
from innovatorium.ledger import sortition


class Command(AuditedCommand, BaseCommand):
    help = "Re-run a draw by lot from its public seed and candidate list, and check it gives the same panel."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("draw", nargs="?", type=int, help="The draw's number (from its page's address).")
        parser.add_argument("--file", help="A draw's candidates.json instead of a draw in this database.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"]:
            try:
                with open(options["file"], encoding="utf-8") as fh:
                    data = json.load(fh)
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read {options['file']}: {exc}") from None
        elif options["draw"] is not None:
            from innovatorium.governance.models import Draw

            draw = Draw.objects.filter(pk=options["draw"]).first()
            if draw is None:
                raise CommandError(f"There is no draw number {options['draw']}.")
            data = {"seed": draw.seed, "quotas": draw.quotas, "candidates": draw.candidates,
                    "candidates_hash": draw.candidates_hash, "selected": draw.selected}
        else:
            raise CommandError("Give a draw number, or --file with a draw's candidates.json.")
        try:
            again = sortition.draw([tuple(c) for c in data["candidates"]], sum(data["quotas"].values()),
                                   data["seed"], data["quotas"])
        except (KeyError, TypeError, ValueError) as exc:
            raise CommandError(f"The draw cannot be re-run: {exc}") from None
        self.stdout.write(f"Seed: {data['seed']}")
        self.stdout.write(f"Candidates: {len(data['candidates'])}, hash {again.candidates_hash}")
        for stratum, chosen in sorted(again.selected.items()):
            self.stdout.write(f"  {stratum}: {', '.join(chosen)}")
        same = again.candidates_hash == data.get("candidates_hash") and {
            k: list(v) for k, v in again.selected.items()
        } == {k: list(v) for k, v in data.get("selected", {}).items()}
        if same:
            self.stdout.write(self.style.SUCCESS("The re-run gives the same panel as published."))
        else:
            self.stdout.write(self.style.ERROR("The re-run does NOT give the published panel."))
            raise SystemExit(1)
