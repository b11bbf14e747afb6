"""Double-entry postings: balance, idempotency, conflicts, reversals and statements."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innovatorium.ledger import (
    Event,
    balances,
    from_pence,
    party_balances,
    post_event,
    posting_id,
    record,
    reverse,
    statement,
    with_reinvestment,
)
from innovatorium.ledger.postings import KINDS

FAST = settings(max_examples=60, deadline=None)
SHARES = with_reinvestment({"trust": 60, "patients": 40}, 10, "fund")


def test_licence_payment_posts_balanced_lines():
    event = Event("ev-1", "licence_income", "wound-app", Decimal("1000.00"))
    posting = post_event(event, SHARES)
    assert posting.posting_id == posting_id("ev-1")
    assert [(line.account, line.amount) for line in posting.lines] == [
        ("licence_income:wound-app", Decimal("1000.00")),
        ("party:fund", Decimal("-100.00")),
        ("party:patients", Decimal("-360.00")),
        ("party:trust", Decimal("-540.00")),
    ]
    assert sum(line.amount for line in posting.lines) == 0


def test_same_event_twice_posts_once_and_a_conflict_is_refused():
    event = Event("ev-1", "royalties", "wound-app", Decimal("10.00"))
    journal, added = record((), post_event(event, SHARES))
    assert added
    journal2, added = record(journal, post_event(event, SHARES))
    assert not added and journal2 == journal
    changed = Event("ev-1", "royalties", "wound-app", Decimal("10.01"))
    with pytest.raises(ValueError, match="already posted with different content"):
        record(journal, post_event(changed, SHARES))


def test_reversal_restores_balances_is_idempotent_and_cannot_be_reversed():
    first = post_event(Event("ev-1", "grant", "x", Decimal("0.10")), {"a": Fraction(100, 3), "b": Fraction(200, 3)})
    second = post_event(Event("ev-2", "grant", "x", Decimal("5.00")), {"a": 50, "b": 50})
    journal, _ = record((), first)
    journal, _ = record(journal, second)
    undo = reverse(first)
    journal, added = record(journal, undo)
    assert added
    assert record(journal, reverse(first)) == (journal, False)
    assert party_balances(journal) == {"a": Decimal("2.50"), "b": Decimal("2.50")}
    with pytest.raises(ValueError, match="cannot itself be reversed"):
        reverse(undo)
    with pytest.raises(ValueError, match="not in the journal"):
        record((), undo)
    lines = statement(journal, "a")
    assert [(s.amount, s.balance, s.reversal) for s in lines] == [
        (Decimal("0.03"), Decimal("0.03"), False),
        (Decimal("2.50"), Decimal("2.53"), False),
        (Decimal("-0.03"), Decimal("2.50"), True),
    ]


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (Event("e", "gift", "x", Decimal("1.00")), "unknown benefit event kind"),
        (Event("e", "grant", "x", Decimal("1.001")), "fraction of a penny"),
        (Event("e", "grant", "x", Decimal("-1.00")), "negative"),
        (Event("e", "grant", "x", Decimal("0.00")), "zero amount"),
        (Event("e", "grant", "", Decimal("1.00")), "needs an innovation"),
        (Event("", "grant", "x", Decimal("1.00")), "needs an id"),
    ],
)
def test_bad_events_are_refused(event, message):
    with pytest.raises(ValueError, match=message):
        post_event(event, {"a": 100})


def test_shares_not_summing_to_100_are_refused_before_anything_is_posted():
    with pytest.raises(ValueError, match=r"sum to 99\.99%"):
        post_event(Event("e", "grant", "x", Decimal("1.00")), {"a": Decimal("50"), "b": Decimal("49.99")})


@st.composite
def journals(draw):
    """A journal of random events (some repeated) under random shares, plus some reversals."""
    parties = ["a", "b", "c", "d"]
    journal = ()
    for i in range(draw(st.integers(1, 8))):
        weights = draw(st.lists(st.integers(0, 9), min_size=4, max_size=4).filter(any))
        shares = {p: Fraction(100 * w, sum(weights)) for p, w in zip(parties, weights, strict=True)}
        amount = from_pence(draw(st.integers(1, 10**9)))
        event = Event(f"ev-{i}", draw(st.sampled_from(KINDS)), "inn", amount)
        posting = post_event(event, shares)
        journal, _ = record(journal, posting)
        if draw(st.booleans()):
            journal, added = record(journal, posting)
            assert not added
    return journal


@FAST
@given(journals(), st.data())
def test_every_posting_balances_and_a_reversal_restores_every_balance(journal, data):
    totals = balances(journal)
    assert sum(totals.values()) == 0
    assert all(v >= 0 for v in party_balances(journal).values())
    target = data.draw(st.sampled_from(journal))
    before = balances(journal)
    after, added = record(journal, reverse(target))
    assert added
    without = balances([p for p in journal if p is not target])
    restored = balances(after)
    for account in set(before) | set(restored):
        assert restored.get(account, 0) == without.get(account, 0)
