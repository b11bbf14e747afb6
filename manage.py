#!/usr/bin/env python
"""Django's command-line utility for Innovatorium."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A misconfiguration (e.g. production without a secret key) ends the process with a plain message.
        sys.stderr.write(f"Innovatorium cannot start: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
