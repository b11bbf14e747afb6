"""Money validation, shares, contribution-based shares, reinvestment and largest-remainder rounding."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innovatorium.ledger import (
    Contribution,
    distribute,
    from_pence,
    largest_remainder,
    shares_from_contributions,
    to_pence,
    validate_shares,
    with_reinvestment,
)

FAST = settings(max_examples=80, deadline=None)
THIRD = Fraction(100, 3)

party_ids = st.text(alphabet="abcdefghij", min_size=1, max_size=3)
pence = st.integers(min_value=0, max_value=10**11)


@st.composite
def share_sets(draw, min_parties: int = 1) -> dict[str, Fraction]:
    """Random exact shares summing to 100: integer weights normalised (so thirds, sevenths... all occur)."""
    parties = draw(st.lists(party_ids, min_size=min_parties, max_size=8, unique=True))
    weights = draw(st.lists(st.integers(0, 1000), min_size=len(parties), max_size=len(parties)))
    if sum(weights) == 0:
        weights[0] = 1
    total = sum(weights)
    return {p: Fraction(100 * w, total) for p, w in zip(parties, weights, strict=True)}


# --- worked examples ---------------------------------------------------------------------------------------------


def test_hundred_pounds_three_ways_gives_the_odd_penny_to_the_smallest_id():
    out = distribute(Decimal("100.00"), {"c": THIRD, "b": THIRD, "a": THIRD})
    assert [(a.party, a.amount) for a in out] == [
        ("a", Decimal("33.34")),
        ("b", Decimal("33.33")),
        ("c", Decimal("33.33")),
    ]
    assert [a.got_extra_penny for a in out] == [True, False, False]


def test_tie_break_is_larger_remainder_then_larger_share_then_id():
    # 0.10 at 45 / 45 / 10 %: exact 4.5p, 4.5p, 1p -> floors 4, 4, 1 = 9, one penny left; a and b tie on remainder
    # and share, so it goes to "a".
    out = {a.party: a.amount for a in distribute(Decimal("0.10"), {"b": 45, "a": 45, "z": 10})}
    assert out == {"a": Decimal("0.05"), "b": Decimal("0.04"), "z": Decimal("0.01")}
    # 1p at 50 / 50: remainders tie, shares tie -> smaller id.
    assert largest_remainder(1, {"y": 1, "x": 1}) == {"x": 1, "y": 0}
    # Remainders tie (0.5 each) but shares differ: 3p at 50% / 16.67% / 33.33% -> 1.5, 0.5, 1 -> larger share wins.
    assert largest_remainder(3, {"big": 3, "small": 1, "mid": 2}) == {"big": 2, "small": 0, "mid": 1}


def test_larger_remainder_beats_larger_share():
    # 10p at 56 / 44: 5.6p and 4.4p -> the 0.6 remainder wins, 6p and 4p.
    assert largest_remainder(10, {"a": 56, "b": 44}) == {"a": 6, "b": 4}
    # 3p at 20 / 80: 0.6p and 2.4p -> the spare penny goes to the smaller share, whose remainder is larger.
    assert largest_remainder(3, {"a": 20, "b": 80}) == {"a": 1, "b": 2}
    # 2p at 10 / 20 / 70: 0.2, 0.4, 1.4 -> b and c tie on remainder 0.4, so the larger share, c, gets it.
    assert largest_remainder(2, {"a": 10, "b": 20, "c": 70}) == {"a": 0, "b": 0, "c": 2}


def test_decimal_shares_and_mixed_types():
    out = distribute(Decimal("1234.56"), {"trust": Decimal("62.5"), "patients": 25, "fund": Fraction(25, 2)})
    assert {a.party: a.amount for a in out} == {
        "trust": Decimal("771.60"),
        "patients": Decimal("308.64"),
        "fund": Decimal("154.32"),
    }


def test_reinvestment_comes_off_the_top_and_is_rounded_once():
    shares = with_reinvestment({"a": 50, "b": 50}, Decimal("10"), "fund")
    assert shares == {"a": 45, "b": 45, "fund": 10}
    out = {a.party: a.amount for a in distribute(Decimal("0.05"), shares)}
    # exact 2.25p, 2.25p, 0.5p: floors 2, 2, 0 -> one penny to the largest remainder, the fund (0.5).
    assert out == {"a": Decimal("0.02"), "b": Decimal("0.02"), "fund": Decimal("0.01")}


def test_shares_from_contributions_log():
    log = [
        Contribution("nurse", "hours", 10),
        Contribution("patient-group", "lived_experience", 4),
        Contribution("trust", "money", Decimal("500.00")),
        Contribution("nurse", "hours", Decimal("2.5")),
    ]
    rates = {"hours": Decimal("40"), "lived_experience": 50}
    shares = shares_from_contributions(log, rates)
    # values: nurse 12.5 x 40 = 500, patient group 4 x 50 = 200, trust 500 at face value: 1200 in all.
    assert shares == {"nurse": Fraction(125, 3), "patient-group": Fraction(50, 3), "trust": Fraction(125, 3)}
    out = {a.party: a.amount for a in distribute(Decimal("90.00"), shares)}
    assert out == {"nurse": Decimal("37.50"), "patient-group": Decimal("15.00"), "trust": Decimal("37.50")}


# --- refusals ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("1.005"), "fraction of a penny"),
        (Decimal("-1.00"), "negative"),
        (1.5, "float"),
        (Decimal("NaN"), "finite"),
        (Decimal("Infinity"), "finite"),
        ("1.00", "Decimal"),
        (True, "Decimal"),
        (Fraction(1, 2), "Fraction"),
    ],
)
def test_bad_amounts_are_refused(amount, message):
    with pytest.raises(ValueError, match=message):
        to_pence(amount)


def test_good_amounts():
    assert to_pence(Decimal("1.5000")) == 150
    assert to_pence(7) == 700
    assert to_pence(Decimal("0")) == 0
    assert from_pence(150) == Decimal("1.50")
    assert str(from_pence(5)) == "0.05"


def test_shares_not_summing_to_100_name_the_sum():
    with pytest.raises(ValueError, match=r"sum to 99\.99%"):
        validate_shares({"a": Decimal("33.33"), "b": Decimal("33.33"), "c": Decimal("33.33")})
    with pytest.raises(ValueError, match=r"sum to 301/3%"):
        validate_shares({"a": THIRD, "b": THIRD, "c": Fraction(101, 3)})
    with pytest.raises(ValueError, match="negative"):
        validate_shares({"a": 110, "b": -10})
    with pytest.raises(ValueError, match="float"):
        validate_shares({"a": 50.0, "b": 50})
    with pytest.raises(ValueError, match="at least one"):
        validate_shares({})


def test_bad_contributions_and_reinvestment_are_refused():
    with pytest.raises(ValueError, match="no agreed rate"):
        shares_from_contributions([Contribution("a", "hours", 1)], {})
    with pytest.raises(ValueError, match="negative"):
        shares_from_contributions([Contribution("a", "hours", -1)], {"hours": 1})
    with pytest.raises(ValueError, match="worth nothing"):
        shares_from_contributions([Contribution("a", "hours", 0)], {"hours": 1})
    with pytest.raises(ValueError, match="float"):
        shares_from_contributions([Contribution("a", "hours", 1)], {"hours": 12.5})
    with pytest.raises(ValueError, match="between 0 and 100"):
        with_reinvestment({"a": 100}, 101, "fund")
    with pytest.raises(ValueError, match="cannot also be one of the parties"):
        with_reinvestment({"fund": 100}, 5, "fund")


# --- properties --------------------------------------------------------------------------------------------------


@FAST
@given(pence, share_sets())
def test_distribution_sums_exactly_and_is_within_a_penny(total_pence, shares):
    amount = from_pence(total_pence)
    out = distribute(amount, shares)
    assert sum(a.amount for a in out) == amount
    assert sum(a.share for a in out) == 100
    for a in out:
        assert a.amount >= 0
        assert a.amount == a.amount.quantize(Decimal("0.01"))
        assert abs(Fraction(a.amount) - a.exact) < Fraction(1, 100)


@FAST
@given(st.integers(0, 10**6), st.dictionaries(party_ids, st.integers(0, 50), min_size=1, max_size=8))
def test_largest_remainder_is_floor_or_ceiling_and_order_independent(total, weights):
    if sum(weights.values()) == 0:
        weights[next(iter(weights))] = 1
    result = largest_remainder(total, weights)
    assert sum(result.values()) == total
    w = sum(weights.values())
    for p, seats in result.items():
        quota = Fraction(total * weights[p], w)
        assert quota - 1 < seats < quota + 1
    assert largest_remainder(total, dict(reversed(list(weights.items())))) == result


@FAST
@given(share_sets(), st.integers(0, 100), pence)
def test_reinvested_shares_sum_to_100_and_distribute_exactly(shares, reinvest, total_pence):
    combined = with_reinvestment(shares, reinvest, "community-fund")
    assert sum(combined.values()) == 100
    out = distribute(from_pence(total_pence), combined)
    assert sum(a.amount for a in out) == from_pence(total_pence)


@FAST
@given(
    st.lists(
        st.tuples(party_ids, st.sampled_from(["hours", "lived_experience", "money"]), st.integers(0, 10**4)),
        min_size=1,
        max_size=20,
    )
)
def test_contribution_shares_sum_to_100_and_follow_value(entries):
    rates = {"hours": Decimal("35.50"), "lived_experience": Decimal("42")}
    log = [Contribution(p, k, Decimal(q) / 100) for p, k, q in entries]
    value = {}
    for c in log:
        value[c.party] = value.get(c.party, Fraction(0)) + Fraction(c.quantity) * Fraction(rates.get(c.kind, 1))
    if sum(value.values()) == 0:
        with pytest.raises(ValueError):
            shares_from_contributions(log, rates)
        return
    shares = shares_from_contributions(log, rates)
    assert sum(shares.values()) == 100
    assert all(s >= 0 for s in shares.values())
    for a in shares:
        for b in shares:
            assert (shares[a] > shares[b]) == (value[a] > value[b])
