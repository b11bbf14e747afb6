"""Double-entry postings for benefit events: balanced, idempotent, reversible, never deleted.

Why double entry: every pound that comes in under an innovation (a licence payment, a royalty, a grant, a
cash-releasing saving) must be matched pound for pound by what the parties are owed, so the books can be checked
by adding them up: the lines of every posting sum to zero.

Conventions (what the Django layer stores and publishes):

* a **line** is ``(account, amount)`` with a signed ``Decimal``: positive is a debit, negative a credit;
* an event debits its source account ``"<kind>:<innovation>"`` with the whole amount and credits each party's
  account ``"party:<party id>"`` with its largest-remainder allocation (zero allocations get no line);
* a party's **balance** is what it is owed: minus the sum of its account's lines;
* the **posting id** is derived from the event id alone (sha256), so posting the same event twice yields the same
  id and the second is recognised as a repeat (and refused if its content differs - a conflict, not a repeat);
* a **reversal** is a new posting with every line negated, whose id is derived from the original posting id, so it
  too can be posted only once; reversing a reversal is refused (post a corrected event instead).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .allocation import distribute, from_pence, to_pence

KINDS = ("licence_income", "royalties", "cash_releasing_savings", "grant")
PARTY_PREFIX = "party:"
_DOMAIN = "innovatorium-ledger/v1"


def _digest(*parts: str) -> str:
    """sha256 over the parts joined by the unit separator (a character no id contains), as hex."""
    for part in parts:
        if "\x1f" in part:
            raise ValueError(f"ids must not contain the unit separator: {part!r}")
    return hashlib.sha256("\x1f".join((_DOMAIN, *parts)).encode()).hexdigest()


@dataclass(frozen=True)
class Event:
    """A benefit event: money earned or saved by an innovation, identified by the caller's ``event_id``."""

    event_id: str
    kind: str
    innovation: str
    amount: Decimal


@dataclass(frozen=True)
class Line:
    """One side of a posting: a signed amount (debit > 0, credit < 0) on one account."""

    account: str
    amount: Decimal


@dataclass(frozen=True)
class PostingSet:
    """The balanced lines one event (or one reversal) posts, with the ids that make posting idempotent."""

    posting_id: str
    event_id: str
    lines: tuple[Line, ...]
    reverses: str | None = None

    @property
    def fingerprint(self) -> str:
        """A hash of the whole content, to tell a harmless repeat from a conflicting one with the same id."""
        body = [self.posting_id, self.event_id, self.reverses or ""]
        body += [f"{line.account}={line.amount}" for line in self.lines]
        return _digest("fingerprint", *body)


def posting_id(event_id: str) -> str:
    """The deterministic posting id of an event: the same event id always gives the same posting id."""
    if not event_id:
        raise ValueError("an event needs an id")
    return _digest("posting", event_id)


def reversal_id(original_posting_id: str) -> str:
    """The deterministic id of the reversal of a posting (so a reversal, too, posts at most once)."""
    return _digest("reversal", original_posting_id)


def post_event(event: Event, shares: Mapping[str, object]) -> PostingSet:
    """Turn a benefit event into balanced postings: debit the source, credit each party its allocation.

    ``shares`` are the agreement's percentage shares (including the community fund's, if any; see
    ``allocation.with_reinvestment``). Refuses unknown kinds, amounts that are not whole positive pence, and
    shares that do not sum to 100%.
    """
    if event.kind not in KINDS:
        raise ValueError(f"unknown benefit event kind {event.kind!r}; expected one of {', '.join(KINDS)}")
    if not event.innovation:
        raise ValueError("a benefit event needs an innovation")
    pence = to_pence(event.amount, f"amount of event {event.event_id}")
    if pence == 0:
        raise ValueError(f"event {event.event_id} has a zero amount: there is nothing to post")
    lines = [Line(f"{event.kind}:{event.innovation}", from_pence(pence))]
    for allocation in distribute(event.amount, shares):
        if allocation.amount:
            lines.append(Line(PARTY_PREFIX + allocation.party, -allocation.amount))
    posting = PostingSet(posting_id(event.event_id), event.event_id, tuple(lines))
    check_balanced(posting)
    return posting


def check_balanced(posting: PostingSet) -> None:
    """Refuse a posting whose lines do not sum to exactly zero (the invariant of double entry)."""
    total = sum((line.amount for line in posting.lines), Decimal(0))
    if total != 0:
        raise ValueError(f"posting {posting.posting_id} does not balance: its lines sum to {total}")


def reverse(posting: PostingSet) -> PostingSet:
    """The reversal of a posting: every line negated, so posting both leaves every balance as it was."""
    if posting.reverses is not None:
        raise ValueError("a reversal cannot itself be reversed: post a corrected event instead")
    lines = tuple(Line(line.account, -line.amount) for line in posting.lines)
    return PostingSet(reversal_id(posting.posting_id), posting.event_id, lines, reverses=posting.posting_id)


def record(journal: Sequence[PostingSet], posting: PostingSet) -> tuple[tuple[PostingSet, ...], bool]:
    """Append ``posting`` to ``journal`` unless it is already there; returns the journal and whether it was added.

    A repeat (same id, same content) is a no-op, which is what makes posting idempotent; the same id with
    different content is refused as a conflict (someone re-used an event id for a different event). A reversal
    is refused unless what it reverses is in the journal.
    """
    check_balanced(posting)
    for existing in journal:
        if existing.posting_id == posting.posting_id:
            if existing.fingerprint != posting.fingerprint:
                raise ValueError(
                    f"event {posting.event_id} was already posted with different content (posting "
                    f"{posting.posting_id[:12]}): use a new event id, or reverse the first posting"
                )
            return tuple(journal), False
    if posting.reverses is not None and not any(p.posting_id == posting.reverses for p in journal):
        raise ValueError(f"cannot reverse posting {posting.reverses[:12]}: it is not in the journal")
    return (*journal, posting), True


def balances(journal: Iterable[PostingSet]) -> dict[str, Decimal]:
    """The net balance of every account touched (debits positive); they always sum to zero."""
    out: dict[str, Decimal] = {}
    for posting in journal:
        for line in posting.lines:
            out[line.account] = out.get(line.account, Decimal(0)) + line.amount
    return out


def party_balances(journal: Iterable[PostingSet]) -> dict[str, Decimal]:
    """What each party is owed (credit balances as positive amounts), keyed by party id."""
    return {
        account.removeprefix(PARTY_PREFIX): -amount
        for account, amount in balances(journal).items()
        if account.startswith(PARTY_PREFIX)
    }


@dataclass(frozen=True)
class StatementLine:
    """One entry on a party's statement: which posting, how much, and the running balance after it."""

    posting_id: str
    event_id: str
    amount: Decimal
    balance: Decimal
    reversal: bool


def statement(journal: Iterable[PostingSet], party: str) -> list[StatementLine]:
    """A party's statement in journal order: every posting that credited (or reversed a credit to) it."""
    account = PARTY_PREFIX + party
    running = Decimal("0.00")
    out = []
    for posting in journal:
        mine = [line.amount for line in posting.lines if line.account == account]
        if mine:
            amount = -sum(mine, Decimal(0))
            running += amount
            reversal = posting.reverses is not None
            out.append(StatementLine(posting.posting_id, posting.event_id, amount, running, reversal))
    return out
