"""The national dashboard's figures are cached (dashboard.selectors.dashboard): a saved or deleted row of any
model they are counted from makes them count again at once. Bulk writes (an adoption import, benefit postings,
a figures import) send no signals of their own, but every service that makes one also appends to the public
record, whose entry is saved one by one: that counts too. Anything else shows within
dashboard.selectors.CACHE_SECONDS."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from innovatorium.core import figures

# Apps whose rows the dashboard counts: adoptions and sites, innovations, benefit postings, reported figures,
# events and speakers, networks and constituencies, memberships and people, projects and their teams; and the
# public record, which every service write (bulk ones included) appends to.
COUNTED_APPS = frozenset({"adoption", "atlas", "benefits", "dashboard", "events", "networks", "people", "projects",
                          "record"})


def _changed(sender: Any, **_: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label in COUNTED_APPS:
        from innovatorium.dashboard.selectors import FIGURES_NAMESPACE

        figures.bump(FIGURES_NAMESPACE)


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="dashboard-figures-saved")
    post_delete.connect(_changed, dispatch_uid="dashboard-figures-deleted")
    m2m_changed.connect(_changed, dispatch_uid="dashboard-figures-m2m")
