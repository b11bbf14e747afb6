"""Member counts are cached (networks.selectors): any saved or deleted membership, constituency or network
makes them count again. Signals catch every path that saves one model at a time: the people services (join,
verify, change role, leave, erase), the admin and the factories. Bulk loads (QuerySet.update, bulk_create) send
no signals; the cached figures expire within minutes after one (core.figures.DEFAULT_TIMEOUT)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from innovatorium.core import figures


def _changed(**_: Any) -> None:
    from innovatorium.networks.selectors import FIGURES

    figures.bump(FIGURES)


def connect() -> None:
    from innovatorium.networks.models import Constituency, Network
    from innovatorium.people.models import Membership

    for model in (Membership, Constituency, Network):
        post_save.connect(_changed, sender=model, dispatch_uid=f"figures-{model._meta.label}-saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"figures-{model._meta.label}-deleted")
