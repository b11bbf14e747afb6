"""Framework-free benefit-sharing money and governance algorithms (no Django here).

* ``allocation``: exact ``Decimal`` money, percentage shares summing to 100%, shares from contribution logs,
  reinvestment to a community fund, and largest-remainder rounding to the penny;
* ``postings``: benefit events as balanced double-entry postings, idempotent ids, reversals, balances;
* ``sortition``: stratified panel draws re-runnable from a public seed;
* ``motions``: Loomio-style motion decisions with quorum, threshold, double majority and blocks.
"""

from .allocation import (
    Allocation,
    Contribution,
    distribute,
    from_pence,
    largest_remainder,
    shares_from_contributions,
    to_pence,
    validate_shares,
    with_reinvestment,
)
from .motions import Decision, Rules, Vote, decide
from .postings import (
    KINDS,
    Event,
    Line,
    PostingSet,
    balances,
    party_balances,
    post_event,
    posting_id,
    record,
    reverse,
    statement,
)
from .sortition import Draw, HashStream, candidates_hash, draw, quotas

__all__ = [
    "KINDS",
    "Allocation",
    "Contribution",
    "Decision",
    "Draw",
    "Event",
    "HashStream",
    "Line",
    "PostingSet",
    "Rules",
    "Vote",
    "balances",
    "candidates_hash",
    "decide",
    "distribute",
    "draw",
    "from_pence",
    "largest_remainder",
    "party_balances",
    "post_event",
    "posting_id",
    "quotas",
    "record",
    "reverse",
    "shares_from_contributions",
    "statement",
    "to_pence",
    "validate_shares",
    "with_reinvestment",
]
