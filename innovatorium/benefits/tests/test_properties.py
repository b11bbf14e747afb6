"""Property tests on the stored ledger (hypothesis drives the real services and database).

What they cover: for any amount in whole pence and any fixed shares summing to exactly 100% (with any reinvestment
share), the stored lines of a posting sum to zero, the parts paid out sum to the event amount exactly, no part is
negative, and the stored shares sum to exactly 100%; posting the same event again changes nothing; reversing any
posting puts every balance (each party and the community fund) back exactly where it was.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovatorium.benefits import selectors, services
from innovatorium.benefits.models import AccountKind, Posting, PostingLine, VersionParty

pytestmark = pytest.mark.django_db
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_keys = itertools.count()

pence = st.integers(min_value=1, max_value=10**11)
reinvest = st.decimals(min_value=0, max_value=100, places=4)


@st.composite
def share_splits(draw, parties=3):  # noqa: ANN001, ANN201
    """Three shares in units of 0.0001% that sum to exactly 100%."""
    cuts = sorted(draw(st.lists(st.integers(0, 1_000_000), min_size=parties - 1, max_size=parties - 1)))
    bounds = [0, *cuts, 1_000_000]
    return [Decimal(b - a) / 10_000 for a, b in itertools.pairwise(bounds)]


def _set_shares(version, shares, reinvestment):
    # Hypothesis reuses the fixture's version across examples, so rewrite its terms directly (test-only).
    for term, share in zip(version.terms.order_by("party_id"), shares, strict=True):
        VersionParty.objects.filter(pk=term.pk).update(share_percent=share)
    type(version).objects.filter(pk=version.pk).update(reinvestment_percent=reinvestment)


@PROPERTY
@given(amount=pence, shares=share_splits(), reinvestment=reinvest)
def test_a_distribution_sums_to_the_event_amount_with_no_negative_part(adopted, facilitator, amount, shares,
                                                                        reinvestment):
    _set_shares(adopted, shares, reinvestment)
    value = Decimal(amount) / 100
    event, created = services.event_record(
        actor=facilitator, agreement=adopted.agreement, kind="royalties", amount=f"{value:.2f}",
        occurred_on=dt.date(2026, 1, 1), idempotency_key=f"prop-{next(_keys)}")
    assert created
    posting = event.postings.get()
    lines = list(posting.lines.all())
    assert sum(ln.amount for ln in lines) == 0
    paid = [-ln.amount for ln in lines if ln.account_kind != AccountKind.SOURCE]
    assert all(p > 0 for p in paid)
    assert sum(paid) == event.amount
    assert sum(Fraction(s) for s in posting.shares.values()) == 100
    for ln in lines:
        if ln.account_kind != AccountKind.SOURCE:
            exact = Fraction(event.amount) * Fraction(posting.shares["fund" if ln.party_id is None
                                                                    else f"p{ln.party_id}"]) / 100
            assert abs(Fraction(-ln.amount) - exact) < Fraction(1, 100)


@PROPERTY
@given(amounts=st.lists(pence.filter(lambda p: p < 10**8), min_size=1, max_size=4), data=st.data())
def test_a_reversal_restores_every_balance(adopted, facilitator, amounts, data):
    agreement = adopted.agreement
    events = []
    for amount in amounts:
        event, _ = services.event_record(
            actor=facilitator, agreement=agreement, kind="grant", amount=f"{Decimal(amount) / 100:.2f}",
            occurred_on=dt.date(2026, 1, 1), idempotency_key=f"rev-{next(_keys)}")
        events.append(event)
    target = data.draw(st.sampled_from(events))
    before_parties = selectors.party_balances(agreement=agreement)
    before_fund = selectors.benefit_totals(network=agreement.network)
    posting = target.postings.get(reverses__isnull=True)
    services.posting_reverse(actor=facilitator, posting=posting, reason="property test")
    after_parties = selectors.party_balances(agreement=agreement)
    for party_id, balance in before_parties.items():
        own = -sum(ln.amount for ln in posting.lines.all() if ln.party_id == party_id)
        assert after_parties.get(party_id, Decimal(0)) == balance - own
    total = selectors.benefit_totals(network=agreement.network)
    assert total.earned == before_fund.earned - target.amount
    # reversing what was posted puts every balance back to what it was before that posting
    reposted = PostingLine.objects.filter(posting__in=[posting, posting.reversed_by])
    sums: dict[str, Decimal] = {}
    for ln in reposted:
        sums[ln.account] = sums.get(ln.account, Decimal(0)) + ln.amount
    assert all(v == 0 for v in sums.values())


@PROPERTY
@given(amount=pence, repeats=st.integers(2, 4))
def test_posting_the_same_event_again_posts_once(adopted, facilitator, amount, repeats):
    key = f"idem-{next(_keys)}"
    before = Posting.objects.count()
    results = [
        services.event_record(actor=facilitator, agreement=adopted.agreement, kind="licence_income",
                              amount=f"{Decimal(amount) / 100:.2f}", occurred_on=dt.date(2026, 1, 1),
                              idempotency_key=key)
        for _ in range(repeats)
    ]
    assert [created for _, created in results] == [True] + [False] * (repeats - 1)
    assert len({event.pk for event, _ in results}) == 1
    assert Posting.objects.count() == before + 1


@PROPERTY
@given(shares=st.lists(st.decimals(min_value=0, max_value=100, places=4), min_size=3, max_size=3))
def test_shares_not_summing_to_exactly_100_are_refused(three_way, facilitator, shares):
    from django.core.exceptions import ValidationError

    _set_shares(three_way, shares, Decimal(0))
    three_way.refresh_from_db()
    if sum(shares) == 100:
        assert sum(services.all_shares(three_way).values()) == 100
    else:
        with pytest.raises(ValidationError, match="must add up to exactly 100%"):
            services.all_shares(three_way)
