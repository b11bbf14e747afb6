"""Erasure across apps: each app that holds personal data about a person exposes `erase_person(*, person)`
in `<app>/privacy.py`; `people.services.person_erase` calls every one, in the same transaction.

An app's `erase_person` clears or deletes what is personal (free text the person wrote about themselves,
private answers) and may unlink authorship of public content, but must keep every tally (votes, counts,
ledger entries, the public record) unchanged. tests/privacy checks this with sentinel values in every
personal field of every app.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule

MODULE = "privacy"


def erasers() -> list[tuple[str, Callable[..., None]]]:
    """(app label, erase_person) for every installed app of ours that has one, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("innovatorium.") or not module_has_submodule(config.module, MODULE):
            continue
        module = import_module(f"{config.name}.{MODULE}")
        erase = getattr(module, "erase_person", None)
        if callable(erase):
            found.append((config.label, erase))
    return found


def erase_everywhere(*, person: Any) -> list[str]:
    """Call every app's `erase_person`; returns the labels of the apps that erased something."""
    done = []
    for label, erase in erasers():
        erase(person=person)
        done.append(label)
    return done
