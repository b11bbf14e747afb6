"""Backup → restore round trip: after restoring, every table holds what it held and the public record verifies.

SQLite: the online backup API (safe while the site writes) into a file, the database emptied, then restored
from the file. PostgreSQL: `pg_dump --format=custom` and `pg_restore` into a new database (skipped when the
client tools are missing), checked there with `manage.py record_verify` and row counts.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from bench._server import ROOT, site_env
from innovatorium.adoption.importers import import_adoptions
from innovatorium.deliberation import services as deliberation
from innovatorium.networks.models import Network
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify
from tests.operations.test_faults import STATEMENTS, adoption_csv, make_register

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.timeout(300)]

TABLES = ["record_recordentry", "networks_network", "atlas_innovation", "adoption_site", "adoption_adoption",
          "adoption_adoptionstatuschange", "deliberation_conversation", "deliberation_statement"]


def counts(cursor) -> dict[str, int]:
    out = {}
    for table in TABLES:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed table names
        out[table] = cursor.fetchone()[0]
    return out


def some_of_everything(tmp_path) -> None:
    network = Network.objects.get(slug="eastern")
    _, innovations, sites = make_register(innovations=5, sites=200)
    csv_file = tmp_path / "adoptions.csv"
    adoption_csv(csv_file, innovations, sites)
    import_adoptions(csv_file.read_bytes(), actor=None)
    deliberation.conversation_open(network=network, actor=None, question="Backup test: what next?",
                                   seed_statements=STATEMENTS)


def test_a_sqlite_backup_restores_every_row_and_a_verifying_record(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup API round trip (PostgreSQL has its own test)")
    some_of_everything(tmp_path)
    with connection.cursor() as cursor:
        before = counts(cursor)
    assert before["adoption_adoption"] == 1000 and before["record_recordentry"] > 20
    backup = tmp_path / "backup.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(backup)
    connection.connection.backup(target)  # the online backup API: a consistent copy even mid-write
    target.close()

    call_command("flush", interactive=False, verbosity=0)  # the disaster
    assert not RecordEntry.objects.exists()
    source = sqlite3.connect(backup)
    source.backup(connection.connection)  # the restore
    source.close()

    with connection.cursor() as cursor:
        assert counts(cursor) == before
    verification = record_verify()
    assert verification.ok and verification.checked == before["record_recordentry"]


def test_a_postgresql_dump_restores_every_row_and_a_verifying_record(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore round trip runs on PostgreSQL")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    import psycopg

    some_of_everything(tmp_path)
    with connection.cursor() as cursor:
        before = counts(cursor)
    s = connection.settings_dict
    server = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    dump = tmp_path / "backup.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"{server}/{s['NAME']}"],  # noqa: S603, S607
                   check=True, capture_output=True)
    restored = f"{s['NAME']}_restored"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={server}/{restored}", str(dump)],  # noqa: S603, S607
                       check=True, capture_output=True)
        with psycopg.connect(f"{server}/{restored}") as copy, copy.cursor() as cursor:
            assert counts(cursor) == before
        verified = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "record_verify"], cwd=ROOT, capture_output=True, text=True,
            env=site_env(f"{server}/{restored}", DJANGO_SETTINGS_MODULE="config.settings"),
        )
        assert verified.returncode == 0, verified.stderr
        assert "intact" in verified.stdout
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
