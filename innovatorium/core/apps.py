from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def create_cache_tables(*, using: str = "default", **_: Any) -> None:
    """Production keeps its cache (sign-in rate limits) in the database; `migrate` must create that table.

    `createcachetable` skips tables that exist and does nothing for non-database caches, so this is safe to
    run after every migration.
    """
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "innovatorium.core"
    verbose_name = "Site-wide pages and helpers"

    def ready(self) -> None:
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="innovatorium.core.create_cache_tables")
        # Every database connection notes its writes (core/writes.py), so cached pages and figures are renewed
        # after any change, however it was made.
        from innovatorium.core import pagecache, writes

        connection_created.connect(writes.install, dispatch_uid="innovatorium.core.writes")
        pagecache.watch_tables()
