"""`manage.py demo_data`: load made-up people into the 15 regional networks, once.

`manage.py demo_data --list-logins` prints the documented demo logins and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from innovatorium.demo.constants import DEMO_LOGINS, DEMO_PASSWORD, DEMO_PEOPLE, DEMO_SEED
from innovatorium.demo.scale import SCALES, scale_load
from innovatorium.demo.selectors import demo_data_marker
from innovatorium.demo.services import DemoDataError, demo_content_planned, demo_data_load, demo_people_planned


class Command(BaseCommand):
    help = "Load the demo data (deterministic, idempotent), or list the demo logins with --list-logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list-logins", action="store_true", help="Print the demo logins and stop.")
        parser.add_argument(
            "--people", type=int, default=DEMO_PEOPLE,
            help=f"How many people to make (default {DEMO_PEOPLE}; never fewer than every network's staff).",
        )
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="Seed for the made-up data.")
        parser.add_argument(
            "--no-content", action="store_true",
            help="People, organisations and memberships only: skip other apps' demo content (the Atlas, needs).",
        )
        parser.add_argument(
            "--scale", choices=sorted(SCALES),
            help="Bulk-load data at this size after the demo people (national: 15 networks, ~200,000 members, "
                 "~100,000 innovations, ~1,000,000 adoption records, a 100,000-participant conversation). "
                 "Resumable: a rerun skips finished chunks.",
        )
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Load demo data even with INNOVATORIUM_ENV=production (for a public demo site only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_logins"]:
            self.list_logins()
            return
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "This is a production database: demo data (made-up people with a published password) is not "
                "loaded here. Pass --allow-production only for a public demo site."
            )
        if options["people"] < 0:
            raise CommandError("--people must be zero or more.")
        if options["scale"]:
            self.load_scale(options["scale"], seed=options["seed"], verbosity=options["verbosity"])
            return
        content = not options["no_content"]
        total = demo_people_planned(people=options["people"]) + (len(demo_content_planned()) if content else 0)
        with tqdm(
            total=total, desc="People", unit=" steps", file=self.stderr._out,
            disable=options["verbosity"] < 1 or demo_data_marker() is not None,
        ) as bar:
            try:
                result = demo_data_load(
                    people=options["people"], seed=options["seed"], content=content,
                    progress=bar.update, describe=bar.set_description,
                )
            except DemoDataError as exc:
                raise CommandError(str(exc)) from exc
        if not result.created:
            self.stdout.write(
                f"Demo data is already loaded ({result.people} people, {result.organisations} organisations, "
                f"seed {result.seed}); nothing changed."
            )
            return
        self.stdout.write(self.style.SUCCESS(
            f"Loaded demo data: {result.people} people, {result.organisations} organisations, "
            f"{result.memberships} memberships, {result.record_entries} public-record entries (seed {result.seed})."
        ))
        for made in result.content:
            self.stdout.write(f"  {made}")

    def load_scale(self, scale: str, *, seed: int, verbosity: int) -> None:
        """`--scale`: one progress bar per phase, then rows and seconds per phase."""
        bars: list[tqdm] = []

        def progress(phase: str, total: int) -> Callable[[int], None]:
            for previous in bars:  # one bar at a time: the finished phase's bar stays, closed
                previous.close()
            bar = tqdm(total=total, desc=phase.capitalize(), unit=" chunks", file=self.stderr._out,
                       disable=verbosity < 1)
            bars.append(bar)
            return bar.update

        self.stdout.write(f"Loading demo data at {scale} scale (seed {seed}); a rerun resumes where this stops.")
        try:
            reports = scale_load(scale=scale, seed=seed, progress=progress)
        finally:
            for bar in bars:
                bar.close()
        for report in reports:
            self.stdout.write(f"  {report}")
        self.stdout.write(self.style.SUCCESS(f"Demo data at {scale} scale is loaded."))

    def list_logins(self) -> None:
        width = max(len(email) for email, _, _ in DEMO_LOGINS)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, what in DEMO_LOGINS:
            self.stdout.write(f"  {email.ljust(width)}  {what}")
        if demo_data_marker() is None:
            self.stdout.write("  (not loaded yet: run `manage.py demo_data` first)")
