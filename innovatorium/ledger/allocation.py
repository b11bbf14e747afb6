"""Exact money and shares: validated amounts, percentage shares, and largest-remainder rounding to the penny.

Why this module exists: a benefit event of £100.00 shared three ways must pay out exactly £100.00, not £99.99 or
£100.01, and everyone must be able to check who got the odd penny and why. So:

* money is ``Decimal`` pounds that must be a whole number of pence (never ``float``: 0.1 + 0.2 is not 0.3);
  internally it is an ``int`` of pence, so sums are exact;
* shares are exact percentages (``Decimal``, ``Fraction`` or ``int``) that must add up to exactly 100 - a third
  is ``Fraction(100, 3)``, never ``Decimal("33.33")`` (which would leave 0.01% unallocated and is refused);
* amounts are allocated by the **largest-remainder (Hamilton) method**: every party first gets the floor of its
  exact entitlement in pence, then the pennies left over (fewer than the number of parties) go one each to the
  parties with the largest remainders. Ties are broken deterministically: **larger remainder, then larger share,
  then party id in ascending code-point order**. So £100.00 split 1/3 each among ``a``, ``b``, ``c`` pays
  ``a`` £33.34 and ``b``, ``c`` £33.33. Every party's amount differs from its exact entitlement by less than a
  penny, and the total is always exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

PENNY = Decimal("0.01")
HUNDRED = Fraction(100)

Number = Decimal | Fraction | int


def _exact(value: object, what: str) -> Fraction:
    """``value`` as an exact Fraction; floats, bools, NaN and infinities are refused because they are not exact."""
    if isinstance(value, bool) or not isinstance(value, Decimal | Fraction | int):
        raise ValueError(
            f"{what} must be a Decimal, Fraction or int, not {type(value).__name__} {value!r} "
            "(floats are not exact: use Decimal('0.1'), not 0.1)"
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value}")
    return Fraction(value)


def to_pence(amount: object, what: str = "amount") -> int:
    """A money amount in pounds (``Decimal`` or ``int``) as whole pence; refuses floats, negatives, sub-penny parts.

    ``Decimal("1.50")`` and ``Decimal("1.5000")`` are both 150p; ``Decimal("1.005")`` is refused, because a
    ledger that silently rounded an incoming amount would no longer add up to what was received.
    """
    if isinstance(amount, Fraction):
        raise ValueError(f"{what} must be a Decimal amount in pounds, not a Fraction ({amount})")
    pounds = _exact(amount, what)
    if pounds < 0:
        raise ValueError(f"{what} must not be negative: {amount}")
    pence = pounds * 100
    if pence.denominator != 1:
        raise ValueError(f"{what} has a fraction of a penny: {amount} (money is recorded to the penny)")
    return int(pence)


def from_pence(pence: int) -> Decimal:
    """Whole pence as a ``Decimal`` of pounds with exactly two places (``150`` -> ``Decimal("1.50")``)."""
    return (Decimal(pence) / 100).quantize(PENNY)


def validate_shares(shares: Mapping[str, object]) -> dict[str, Fraction]:
    """Percentage shares as exact Fractions, refused unless each is >= 0 and together they are exactly 100.

    Why exactly: a share set summing to 99.99% leaves money nobody is owed; one summing to 100.01% promises money
    that is not there. The error names the sum so the agreement's author can see how far off it is.
    """
    if not shares:
        raise ValueError("shares: at least one party is needed")
    exact: dict[str, Fraction] = {}
    for party, share in shares.items():
        if not isinstance(party, str) or not party:
            raise ValueError(f"party ids must be non-empty strings, not {party!r}")
        value = _exact(share, f"share of {party}")
        if value < 0:
            raise ValueError(f"share of {party} must not be negative: {share}")
        exact[party] = value
    total = sum(exact.values(), Fraction(0))
    if total != HUNDRED:
        raise ValueError(f"shares must sum to exactly 100%, but they sum to {_show(total)}%")
    return exact


def _show(value: Fraction) -> str:
    """A Fraction as a short exact decimal when it has one, else as ``p/q`` (so error messages never round)."""
    if value.denominator == 1:
        return str(value.numerator)
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        return str(Decimal(value.numerator) / Decimal(value.denominator))
    return f"{value.numerator}/{value.denominator}"


def tie_order(party: str, remainder: Fraction, weight: Fraction) -> tuple[Fraction, Fraction, str]:
    """Sort key of the documented tie-break: larger remainder, then larger weight, then smaller party id."""
    return (-remainder, -weight, party)


def largest_remainder(total: int, weights: Mapping[str, Fraction | int]) -> dict[str, int]:
    """Split the whole number ``total`` in proportion to ``weights`` (Hamilton), exactly and deterministically.

    Used for pennies among parties and for panel seats among constituencies. Every result is the floor or the
    ceiling of the exact quota ``total * weight / sum(weights)``, and the results sum to ``total``.
    """
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise ValueError(f"total must be a whole number >= 0, not {total!r}")
    exact = {party: Fraction(w) for party, w in weights.items()}
    if any(w < 0 for w in exact.values()):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact.values(), Fraction(0))
    if weight_sum == 0:
        if total == 0:
            return dict.fromkeys(exact, 0)
        raise ValueError("cannot share a non-zero total when every weight is zero")
    result: dict[str, int] = {}
    remainders: dict[str, Fraction] = {}
    for party, w in exact.items():
        quota = total * w / weight_sum
        floor = quota.numerator // quota.denominator
        result[party] = floor
        remainders[party] = quota - floor
    leftover = total - sum(result.values())
    order = sorted(exact, key=lambda p: tie_order(p, remainders[p], exact[p]))
    for party in order[:leftover]:
        result[party] += 1
    return result


@dataclass(frozen=True)
class Allocation:
    """One party's part of a distribution: its exact share (%), exact entitlement and rounded amount (pounds)."""

    party: str
    share: Fraction
    exact: Fraction
    amount: Decimal

    @property
    def got_extra_penny(self) -> bool:
        """True when rounding gave this party the penny above its floor (for the published explanation)."""
        return Fraction(self.amount) > self.exact


def distribute(amount: object, shares: Mapping[str, object]) -> list[Allocation]:
    """Share ``amount`` (Decimal pounds) by percentage ``shares`` to the penny; amounts always sum to ``amount``.

    Returns one Allocation per party, in ascending party order (a stable order for statements and postings).
    """
    pence = to_pence(amount)
    exact_shares = validate_shares(shares)
    pennies = largest_remainder(pence, exact_shares)
    out = []
    for party in sorted(exact_shares):
        share = exact_shares[party]
        out.append(
            Allocation(
                party=party,
                share=share,
                exact=Fraction(pence) * share / HUNDRED / 100,
                amount=from_pence(pennies[party]),
            )
        )
    return out


def with_reinvestment(party_shares: Mapping[str, object], reinvestment: object, fund: str) -> dict[str, Fraction]:
    """Combine parties' shares of what is left after reinvestment with the community fund's share of the whole.

    ``party_shares`` sum to 100 (of the part that goes to the parties); ``reinvestment`` is the percentage of
    every event that goes to the network's community fund first. The result sums to 100 and is allocated in one
    largest-remainder pass, so nothing is rounded twice.
    """
    r = _exact(reinvestment, "reinvestment share")
    if not 0 <= r <= HUNDRED:
        raise ValueError(f"reinvestment share must be between 0 and 100%, not {_show(r)}%")
    exact = validate_shares(party_shares)
    if fund in exact:
        raise ValueError(f"the community fund {fund!r} cannot also be one of the parties")
    combined = {party: share * (HUNDRED - r) / HUNDRED for party, share in exact.items()}
    combined[fund] = r
    return combined


@dataclass(frozen=True)
class Contribution:
    """One line of a project's contributions log: ``quantity`` units of ``kind`` (hours, lived-experience units,
    pounds...) by ``party``."""

    party: str
    kind: str
    quantity: Decimal | Fraction | int


MONEY = "money"


def shares_from_contributions(
    contributions: Iterable[Contribution], rates: Mapping[str, object]
) -> dict[str, Fraction]:
    """Percentage shares in proportion to the value of each party's contributions at the agreed rates.

    Value is ``quantity * rates[kind]`` (e.g. hours x £/hour, lived-experience units x £/unit); the kind
    ``"money"`` counts at face value unless the agreement sets a rate for it. Why rates: an agreement must be
    able to say that an hour of lived experience is worth as much as an hour of clinical time, and anyone must
    be able to recompute the shares from the public log. Unknown kinds, negative quantities or rates, floats and
    a log worth nothing in total are refused. Parties whose contributions are worth zero get a 0% share.
    """
    exact_rates = {}
    for kind, rate in rates.items():
        value = _exact(rate, f"rate for {kind}")
        if value < 0:
            raise ValueError(f"rate for {kind} must not be negative: {rate}")
        exact_rates[kind] = value
    exact_rates.setdefault(MONEY, Fraction(1))
    values: dict[str, Fraction] = {}
    for c in contributions:
        if c.kind not in exact_rates:
            raise ValueError(f"no agreed rate for contributions of kind {c.kind!r} (by {c.party})")
        q = _exact(c.quantity, f"quantity of {c.kind} by {c.party}")
        if q < 0:
            raise ValueError(f"quantity of {c.kind} by {c.party} must not be negative: {c.quantity}")
        values[c.party] = values.get(c.party, Fraction(0)) + q * exact_rates[c.kind]
    total = sum(values.values(), Fraction(0))
    if total == 0:
        raise ValueError("the contributions log is worth nothing at the agreed rates, so it gives no shares")
    return {party: value * HUNDRED / total for party, value in values.items()}
