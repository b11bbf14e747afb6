"""Someone changes the database behind the application's back: every way of checking the record says where."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection

from innovatorium.record import selectors
from innovatorium.record.services import record_append


@pytest.fixture
def five_entries(network, patient):
    return [
        record_append(action="test.thing.done", actor=patient, network=network, payload={"n": n}) for n in range(1, 6)
    ]


def _sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


def _command() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("record_verify", "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_untouched_record_is_reported_intact_everywhere(client, five_entries):
    out, _ = _command()
    assert "Checked 5 entries." in out
    assert "The public record is intact" in out
    assert client.get("/api/record/verify").json() == {
        "ok": True, "checked": 5, "first_broken_sequence": None, "reason": None,
    }
    page = client.get("/record/verify/")
    assert "The record is intact" in page.content.decode()
    assert "All 5 entries were checked" in page.content.decode()


def test_an_empty_record_is_intact(client, db):
    out, _ = _command()
    assert "Checked 0 entries." in out
    assert "intact" in out
    assert client.get("/api/record/verify").json()["ok"] is True


def test_a_payload_edited_with_raw_sql_is_caught_at_that_entry_by_every_check(client, five_entries):
    _sql("""UPDATE record_recordentry SET payload = '{"n": 200}' WHERE sequence = 2""")

    result = selectors.record_verify()
    assert (result.ok, result.first_broken_sequence, result.checked) == (False, 2, 2)
    assert "changed" in result.reason

    with pytest.raises(CommandError, match=r"broken at entry #2: its content does not match its hash") as caught:
        _command()
    assert caught.value.returncode == 1

    api = client.get("/api/record/verify").json()
    assert api["ok"] is False
    assert api["first_broken_sequence"] == 2
    assert "changed" in api["reason"]

    page = client.get("/record/verify/").content.decode()
    assert "The record has been altered" in page
    assert "Entry #2 does not hold" in page


def test_an_edited_action_with_a_recomputed_hash_is_caught_at_the_next_entry(five_entries):
    # A careful forger also rewrites entry 3's hash; entry 4 still points at the old one.
    from innovatorium.record import chain
    from innovatorium.record.models import RecordEntry
    from innovatorium.record.services import entry_fields_unhashed

    entry = RecordEntry.objects.get(sequence=3)
    entry.action = "test.thing.forged"
    new_hash = chain.entry_hash(entry_fields_unhashed(entry))
    _sql(f"UPDATE record_recordentry SET action = 'test.thing.forged', hash = '{new_hash}' WHERE sequence = 3")  # noqa: S608 - our own constant

    result = selectors.record_verify()
    assert result.first_broken_sequence == 4
    assert "previous-hash" in result.reason


@pytest.mark.parametrize("sequence", [1, 3])
def test_a_row_deleted_from_the_middle_is_reported_missing(client, five_entries, sequence):
    _sql(f"DELETE FROM record_recordentry WHERE sequence = {sequence}")  # noqa: S608 - a test constant

    api = client.get("/api/record/verify").json()
    assert api["ok"] is False
    assert api["first_broken_sequence"] == sequence
    assert "missing" in api["reason"]
    with pytest.raises(CommandError, match=rf"broken at entry #{sequence}: it is missing"):
        _command()


def test_the_last_row_deleted_is_caught_by_the_head(client, five_entries):
    # The chain alone looks whole when its end is cut off; the head remembers entry 5.
    _sql("DELETE FROM record_recordentry WHERE sequence = 5")

    result = selectors.record_verify()
    assert (result.ok, result.first_broken_sequence) == (False, 5)
    assert "missing" in result.reason
    assert client.get("/api/record/verify").json()["first_broken_sequence"] == 5


def test_a_row_added_behind_the_applications_back_is_caught(five_entries):
    from innovatorium.record import chain
    from innovatorium.record.models import RecordEntry
    from innovatorium.record.services import entry_fields_unhashed

    last = five_entries[-1]
    forged = RecordEntry(
        sequence=6, recorded_at=last.recorded_at, network=last.network, network_slug=last.network_slug,
        actor_pseudonym=last.actor_pseudonym, action="test.thing.forged", payload={}, prev_hash=last.hash,
    )
    forged.hash = chain.entry_hash(entry_fields_unhashed(forged))
    forged.save()  # bypasses record_append, so the head still ends at 5

    result = selectors.record_verify()
    assert (result.ok, result.first_broken_sequence) == (False, 6)
    assert "outside the application" in result.reason


def test_the_command_exits_with_status_1_from_the_command_line(five_entries, capsys):
    _sql("""UPDATE record_recordentry SET payload = '{"n": 200}' WHERE sequence = 2""")

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "record_verify", "--no-progress"]).execute()

    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "Checked 2 entries." in captured.out
    assert "broken at entry #2" in captured.err


def test_the_command_exits_with_status_0_when_intact(five_entries, capsys):
    ManagementUtility(["manage.py", "record_verify", "--no-progress"]).execute()  # no SystemExit: status 0
    assert "The public record is intact." in capsys.readouterr().out


def test_the_command_shows_a_progress_bar_sized_to_the_record_unless_told_not_to(five_entries, monkeypatch):
    from innovatorium.record.management.commands import record_verify as command_module

    bars: list[dict] = []
    real_tqdm = command_module.tqdm

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        bars.append(kwargs)
        return real_tqdm(*args, **{**kwargs, "file": io.StringIO()})

    monkeypatch.setattr(command_module, "tqdm", spy)
    call_command("record_verify", stdout=io.StringIO())
    call_command("record_verify", "--no-progress", stdout=io.StringIO())

    # disable=None lets tqdm draw on a terminal and stay quiet in logs; --no-progress turns it off.
    assert (bars[0]["total"], bars[0]["disable"]) == (5, None)
    assert bars[1]["disable"] is True
