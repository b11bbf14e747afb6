"""Appending to the public record: chained, in the caller's transaction, and never forked."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from innovatorium.people import services as people_services
from innovatorium.people.models import Membership
from innovatorium.record import chain, selectors
from innovatorium.record.models import RecordEntry, RecordHead
from innovatorium.record.services import SYSTEM_ACTOR, entry_fields, record_append


def _head() -> tuple[int, str]:
    head = RecordHead.objects.get(pk=1)
    return head.last_sequence, head.last_hash


def test_the_first_entry_links_to_the_genesis_hash_and_the_next_links_to_it(network, patient):
    first = record_append(action="test.thing.done", actor=patient, network=network, payload={"n": 1})
    second = record_append(action="test.thing.done", actor=None, payload={"n": 2})

    assert (first.sequence, second.sequence) == (1, 2)
    assert first.prev_hash == chain.GENESIS_HASH
    assert second.prev_hash == first.hash
    assert first.hash == chain.entry_hash(entry_fields(first))
    assert _head() == (2, second.hash)


def test_an_entry_names_its_actor_by_pseudonym_and_its_object_by_label(network, patient):
    membership = patient.memberships.get()
    entry = record_append(action="test.thing.done", actor=patient, network=network, obj=membership)

    assert entry.actor_pseudonym == patient.pseudonym
    assert patient.display_name not in entry.actor_pseudonym
    assert (entry.object_type, entry.object_id) == ("people.membership", str(membership.pk))
    assert entry.network_slug == network.slug
    assert record_append(action="test.other", actor=None).actor_pseudonym == SYSTEM_ACTOR


def test_what_is_stored_is_exactly_what_was_hashed_after_a_reload(network):
    import datetime as dt
    from decimal import Decimal

    entry = record_append(
        action="test.thing.done", actor=None, network=network,
        payload={"when": dt.date(2026, 1, 2), "amount": Decimal("10.50"), "nested": {"b": 1, "a": [1, "x"]}},
    )
    reloaded = RecordEntry.objects.get(pk=entry.pk)

    assert reloaded.payload == {"when": "2026-01-02", "amount": "10.50", "nested": {"a": [1, "x"], "b": 1}}
    assert chain.entry_hash(entry_fields(reloaded)) == reloaded.hash
    assert selectors.record_verify().ok


def test_an_entry_rolls_back_with_the_transaction_that_wrote_it(network):
    record_append(action="test.kept", actor=None, network=network)
    head_before = _head()

    with pytest.raises(RuntimeError), transaction.atomic():
        record_append(action="test.rolled_back", actor=None, network=network)
        raise RuntimeError("the change failed after its entry was written")

    assert list(RecordEntry.objects.values_list("action", flat=True)) == ["test.kept"]
    assert _head() == head_before
    # The chain carries on from the last committed entry, with no gap.
    after = record_append(action="test.next", actor=None, network=network)
    assert after.sequence == 2
    assert selectors.record_verify().ok


def test_a_service_that_fails_after_writing_its_entry_leaves_neither_the_change_nor_the_entry(
    network, monkeypatch
):
    from innovatorium.factories import PersonFactory

    person = PersonFactory()
    constituency = network.constituencies.get(slug="patients-public")
    real_append = people_services.record_append

    def append_then_fail(**kwargs):  # noqa: ANN003, ANN202
        real_append(**kwargs)
        raise RuntimeError("the disk filled up just after the entry was written")

    monkeypatch.setattr(people_services, "record_append", append_then_fail)
    with pytest.raises(RuntimeError):
        people_services.membership_join(person=person, network=network, constituency=constituency)

    assert not Membership.objects.filter(person=person).exists()
    assert not RecordEntry.objects.exists()
    assert not RecordHead.objects.filter(last_sequence__gt=0).exists()


def test_a_service_whose_entry_cannot_be_written_does_not_make_its_change(network, monkeypatch):
    from innovatorium.factories import PersonFactory

    person = PersonFactory()
    constituency = network.constituencies.get(slug="patients-public")

    def refuse(**kwargs):  # noqa: ANN003, ANN202
        raise RuntimeError("the record is unavailable")

    monkeypatch.setattr(people_services, "record_append", refuse)
    with pytest.raises(RuntimeError):
        people_services.membership_join(person=person, network=network, constituency=constituency)

    assert not Membership.objects.filter(person=person).exists()


def test_a_service_writes_its_entry_with_its_change(network):
    from innovatorium.factories import PersonFactory

    person = PersonFactory()
    constituency = network.constituencies.get(slug="nhs")
    membership = people_services.membership_join(person=person, network=network, constituency=constituency)

    entry = RecordEntry.objects.get()
    assert entry.action == "people.membership.joined"
    assert entry.object_id == str(membership.pk)
    assert entry.payload == {"constituency": "nhs", "verification": "pending"}
    assert entry.actor_pseudonym == person.pseudonym


# Skipped at collection, not in the body: a transactional test flushes the database when it ends, even when it
# skips itself, and that would empty the seeded networks for the browser tests that run after it.
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL (DATABASE_URL): SQLite serialises every write transaction anyway.",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appends_on_postgresql_never_fork_the_chain():
    threads_count, per_thread = 4, 15
    # Everyone starts at once, and the head row does not exist yet: the first appends also race to create it.
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(per_thread):
                with transaction.atomic():
                    record_append(action="test.concurrent", actor=None, payload={"thread": n, "i": i})
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    sequences = list(RecordEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, threads_count * per_thread + 1))
    assert RecordEntry.objects.values("prev_hash").distinct().count() == threads_count * per_thread
    result = selectors.record_verify()
    assert result.ok, result.reason
    assert result.checked == threads_count * per_thread
