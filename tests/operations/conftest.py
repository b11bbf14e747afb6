"""Operations tests: the real site in child processes (gunicorn and the task worker) on a database this test
can read too.

On SQLite the test database lives in memory, so `shared_database` copies it to a file with SQLite's online
backup API for the children, and `shared_database.reload()` copies the file back in for the test to inspect
with the ORM. On PostgreSQL the children connect to the test database itself (the test commits its setup).
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # bench/_server.py starts the site

BENCH_CACHES = {"default": {"BACKEND": "innovatorium.core.dbcache.DatabaseCache", "LOCATION": "innovatorium_cache"}}

@dataclass
class SharedDatabase:
    url: str
    path: Path | None  # the SQLite file the children use; None on PostgreSQL

    def publish(self) -> None:
        """Make what this test has written so far visible to the children (SQLite: copy it to the file)."""
        if self.path is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()

    def reload(self) -> None:
        """Read what the children wrote (SQLite: copy the file back over the test database)."""
        if self.path is not None:
            connection.ensure_connection()
            source = sqlite3.connect(self.path)
            source.backup(connection.connection)
            source.close()


@pytest.fixture
def shared_database(transactional_db, tmp_path: Path) -> Iterator[SharedDatabase]:
    with override_settings(CACHES=BENCH_CACHES):
        call_command("createcachetable", verbosity=0)
    if connection.vendor == "sqlite":
        path = tmp_path / "site.sqlite3"
        shared = SharedDatabase(url=f"sqlite:///{path}", path=path)
    else:
        s = connection.settings_dict
        shared = SharedDatabase(
            url=f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
            path=None,
        )
    yield shared
    connection.close()  # the flush after the test needs no open transaction of ours
