"""Staff actions taken on the server: each data-changing `manage.py` command leaves one "Server command" event
with the command, the option names given (never their values), the OS user and the outcome, in UTC."""

from __future__ import annotations

import getpass
import io
from datetime import timedelta

import pytest
from django.core.management import base as management_base
from django.core.management import call_command, load_command_class
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from innovatorium.adoption.tests.conftest import ICBS
from innovatorium.audit.commands import AuditedCommand, options_given
from innovatorium.audit.models import AuditEvent, EventKind
from innovatorium.audit.services import record_command
from innovatorium.audit.tests.rows import all_audit_text
from innovatorium.factories import member
from innovatorium.people.models import Role

SENTINEL_FILE = "Sentinel-Jane-Doe-NHS-9434765919.csv"
SENTINEL_ROW = "Sentinel-Row-Content-QQ71"

AUDITED = {
    "adoption": ["import_adoptions", "import_ods", "import_population"],
    "atlas": ["import_atlas"],
    "impact": ["import_observations"],
    "governance": ["rerun_sortition"],
    "projects": ["send_digests"],
    "events": ["send_event_reminders"],
    "audit": ["prune_audit_log"],
    "search": ["search_reindex"],
}
NOT_AUDITED = {"demo": ["demo_data"], "record": ["record_verify"]}  # test data, and a read-only check


def _quietly(name: str, *args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def _commands() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=EventKind.COMMAND).order_by("id"))


@pytest.mark.parametrize(("app", "name"), [(app, name) for app, names in AUDITED.items() for name in names])
def test_every_data_changing_command_is_audited(app, name):
    assert isinstance(load_command_class(f"innovatorium.{app}", name), AuditedCommand)


@pytest.mark.parametrize(("app", "name"), [(app, name) for app, names in NOT_AUDITED.items() for name in names])
def test_demo_data_and_the_read_only_record_check_are_not(app, name):
    assert not isinstance(load_command_class(f"innovatorium.{app}", name), AuditedCommand)


def test_a_command_that_succeeds_is_one_event_with_who_ran_it_and_when_in_utc(db):
    before = timezone.now()

    _quietly("send_event_reminders")

    [event] = _commands()
    assert event.view_name == "send_event_reminders"
    assert event.path == "manage.py send_event_reminders"
    assert event.status_code == 0
    assert event.os_user == getpass.getuser()
    assert event.detail.startswith(f"OS user {getpass.getuser()}; took ")
    assert event.person is None and event.ip_address is None
    assert event.occurred_at.utcoffset() == timedelta(0)
    assert before <= event.occurred_at <= timezone.now()


def test_an_import_records_the_option_names_and_its_network_but_not_the_file(tmp_path, network):
    path = tmp_path / SENTINEL_FILE
    path.write_text(ICBS)

    _quietly("import_ods", str(path), "--layout", "icb", "--network", network.slug)

    [event] = _commands()
    assert event.path == "manage.py import_ods <file> --layout --network"
    assert event.network_slug == network.slug, "the network's admins see imports into their network"
    assert event.status_code == 0
    text = all_audit_text()
    assert "Sentinel-Jane" not in text and "9434765919" not in text
    assert " icb " not in f" {text} ", "option values are never stored"


def test_a_refused_import_is_recorded_as_failed_without_its_message(tmp_path, db):
    path = tmp_path / SENTINEL_FILE
    path.write_text(f"ods_code,population,imd_decile\n{SENTINEL_ROW},1,1\n")

    with pytest.raises(CommandError, match="nothing was imported"):
        _quietly("import_ods", str(path), "--layout", "gp")

    [event] = _commands()
    assert event.status_code == 1
    assert event.detail.endswith("; stopped by CommandError")
    assert event.command_notes.startswith("took ")
    assert event.network_slug == ""
    text = all_audit_text()
    assert SENTINEL_ROW not in text and "Sentinel-Jane" not in text


def test_an_unknown_network_is_not_filed_under_any_network(tmp_path, db):
    path = tmp_path / "icb.csv"
    path.write_text(ICBS)

    with pytest.raises(CommandError):
        _quietly("import_ods", str(path), "--layout", "icb", "--network", "nowhere-x")

    [event] = _commands()
    assert event.network_slug == "" and "nowhere-x" not in all_audit_text()


def test_run_from_the_command_line_a_failure_is_recorded_before_the_exit(tmp_path, db, capsys, monkeypatch):
    command = load_command_class("innovatorium.adoption", "import_ods")
    # run_from_argv closes every connection when it ends, which would close the test's transaction too.
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_:
        command.run_from_argv(["manage.py", "import_ods", str(tmp_path / SENTINEL_FILE), "--layout", "icb",
                               "--skip-checks", "--verbosity", "0"])

    assert exit_.value.code == 1
    [event] = _commands()
    assert event.path == "manage.py import_ods <file> --layout"
    assert event.status_code == 1 and "CommandError" in event.detail
    assert "Sentinel-Jane" not in all_audit_text()


def test_pruning_the_log_leaves_a_trace_of_itself(db):
    _quietly("prune_audit_log")

    [event] = _commands()
    assert event.view_name == "prune_audit_log" and event.status_code == 0


class Interrupted(AuditedCommand, BaseCommand):
    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--person-email")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        raise KeyboardInterrupt


def test_a_command_stopped_with_ctrl_c_is_recorded_as_failed(db):
    with pytest.raises(KeyboardInterrupt):
        call_command(Interrupted(), person_email="someone-z81@example.org", dry_run=True)

    [event] = _commands()
    assert event.status_code == 1 and event.detail.endswith("stopped by KeyboardInterrupt")
    assert "--person-email" in event.path and "--dry-run" in event.path
    assert "someone-z81" not in all_audit_text()


def test_only_options_given_are_named(db):
    command = Interrupted()
    parser = command.create_parser("manage.py", "x")
    defaults = vars(parser.parse_args([]))

    assert options_given(command, "x", defaults) == []
    assert options_given(command, "x", {**defaults, "dry_run": True, "verbosity": 3}) == ["--dry-run"]


# --- The audit page shows them sensibly ------------------------------------------------------------------


def _page(client, person, **query: str) -> str:  # noqa: ANN001
    client.force_login(person.user)
    return client.get("/facilitate/audit/", query).content.decode().replace("<wbr>", "")


def test_the_audit_page_shows_a_command_with_its_os_user_and_outcome(client, site_admin, network):
    record_command(name="import_ods", options=["<file>", "--layout"], os_user="deploy", succeeded=True,
                   started_at=timezone.now(), seconds=2.04)
    record_command(name="send_digests", options=["--month"], os_user="cron", succeeded=False,
                   failure="CommandError", started_at=timezone.now(), seconds=0.3)

    body = _page(client, site_admin, kind="command")

    assert "Server command" in body
    assert "manage.py import_ods &lt;file&gt; --layout" in body
    assert "OS user deploy" in body and "OS user cron" in body
    assert "took 2.0 s" in body
    assert "took 0.3 s; stopped by CommandError" in body
    assert "Succeeded" in body and "Failed" in body
    assert "Not signed in or unknown" not in body
    assert "2 entries matching the filters" in body


def test_a_network_admin_sees_commands_run_for_their_network_only(client, network, other_network):
    admin = member(network, "nhs", role=Role.ADMIN).person
    record_command(name="import_ods", options=["--network"], os_user="deploy", succeeded=True,
                   started_at=timezone.now(), seconds=1, network_slug=network.slug)
    record_command(name="import_adoptions", options=["--network"], os_user="deploy", succeeded=True,
                   started_at=timezone.now(), seconds=1, network_slug=other_network.slug)
    record_command(name="search_reindex", options=[], os_user="deploy", succeeded=True,
                   started_at=timezone.now(), seconds=1)

    body = _page(client, admin)

    assert "manage.py import_ods" in body
    assert "import_adoptions" not in body and "search_reindex" not in body


class BrokenQuery(AuditedCommand, BaseCommand):
    def handle(self, *args: object, **options: object) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table_x")


def test_a_command_that_breaks_its_callers_transaction_raises_its_own_error_not_the_audits(db, caplog):
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        call_command(BrokenQuery())

    assert "no_such_table_x" in str(raised.value), "the command's own error, not the audit's"
    if connection.vendor == "postgresql":  # SQLite's transaction survives a failed statement; PostgreSQL's does not
        assert "Could not write the audit event for manage.py test_commands" in caplog.text
