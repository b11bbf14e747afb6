from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from innovatorium.record import chain


def _entries(payloads: list[dict]) -> list[dict]:
    entries, prev = [], chain.GENESIS_HASH
    for i, payload in enumerate(payloads, start=1):
        entry = {
            "sequence": i, "recorded_at": f"2026-01-01T00:00:{i % 60:02d}.000000+00:00", "network": "eastern",
            "actor": "Member ABCDEFGH", "action": "test.thing.done", "object_type": "", "object_id": "",
            "payload": payload, "prev_hash": prev,
        }
        entry["hash"] = chain.entry_hash(entry)
        prev = entry["hash"]
        entries.append(entry)
    return entries


payload_strategy = st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=10)), max_size=3)


@given(st.lists(payload_strategy, min_size=1, max_size=20))
def test_an_untouched_chain_verifies(payloads):
    checked, broken = chain.verify(_entries(payloads))
    assert checked == len(payloads)
    assert broken is None


@given(st.lists(payload_strategy, min_size=2, max_size=20), st.data())
def test_changing_any_entry_is_caught_at_that_entry(payloads, data):
    entries = _entries(payloads)
    index = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    entries[index]["action"] = "test.thing.forged"
    checked, broken = chain.verify(entries)
    assert broken is not None
    assert broken.sequence == index + 1


def test_removing_an_entry_is_caught():
    entries = _entries([{"n": 1}, {"n": 2}, {"n": 3}])
    del entries[1]
    _, broken = chain.verify(entries)
    assert broken is not None
    assert broken.sequence == 2
    assert "missing" in broken.reason
