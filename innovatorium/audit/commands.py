"""Staff actions taken on the server: every data-changing `manage.py` command leaves one audit event.

A command opts in with one line, `class Command(AuditedCommand, BaseCommand)`. The event says which command,
the names of the options given (never their values: they can be file names or people's data), the operating-
system user who ran it, how long it took and whether it succeeded, in UTC. A `--network` option (or a
positional `network`) that names a network files the event under that network, so its admins see it too.
"""

from __future__ import annotations

import getpass
import logging
import time
from argparse import Action
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, transaction
from django.utils import timezone

from innovatorium.audit.services import record_command

logger = logging.getLogger(__name__)

# Options every command has; they say nothing about what the command did.
BASE_OPTIONS = frozenset({
    "verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks", "help",
})
NETWORK_OPTIONS = ("network", "network_slug")


def os_user() -> str:
    """Who is running this process, as the operating system knows them."""
    try:
        return getpass.getuser()[:40]
    except (OSError, KeyError, ImportError):  # no login name and no passwd entry (some containers)
        return "unknown"


def _option_label(action: Action) -> str:
    if action.option_strings:
        return max(action.option_strings, key=len)  # "--network", not "-n"
    return f"<{action.dest}>"


def options_given(command: BaseCommand, name: str, options: dict[str, Any]) -> list[str]:
    """The names of the options that differ from their defaults, as typed on the command line."""
    parser = command.create_parser("manage.py", name)
    given = []
    for action in parser._actions:  # noqa: SLF001 - argparse has no public list of its arguments
        if action.dest in BASE_OPTIONS or action.dest not in options:
            continue
        if options[action.dest] != action.default:
            given.append(_option_label(action))
    return given


def _network_slug(options: dict[str, Any]) -> str:
    from innovatorium.networks.models import Network

    for key in NETWORK_OPTIONS:
        value = options.get(key)
        if isinstance(value, str) and value and Network.objects.filter(slug=value).exists():
            return value
    return ""


class AuditedCommand(BaseCommand):
    """Mix in before BaseCommand: `class Command(AuditedCommand, BaseCommand)`."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        started_at, clock = timezone.now(), time.monotonic()
        try:
            result = super().execute(*args, **options)
        except BaseException as exc:  # CommandError, a crash, or Ctrl-C: each is recorded, then raised as it was
            self._audit(options, started_at=started_at, clock=clock, failure=type(exc).__name__)
            raise
        self._audit(options, started_at=started_at, clock=clock, failure="")
        return result

    def _audit(self, options: dict[str, Any], *, started_at: Any, clock: float, failure: str) -> None:
        name = self.__class__.__module__.rsplit(".", 1)[-1]
        try:
            with transaction.atomic():
                record_command(
                    name=name, options=options_given(self, name, options), os_user=os_user(),
                    succeeded=not failure, failure=failure, started_at=started_at,
                    seconds=time.monotonic() - clock, network_slug=_network_slug(options),
                )
        except DatabaseError:
            # A command that failed inside the caller's broken transaction cannot be written down; say so in
            # the server log rather than hide the command's own error behind this one.
            logger.exception("Could not write the audit event for manage.py %s", name)
