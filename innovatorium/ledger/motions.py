"""Motion decisions: Loomio-style options, quorum, threshold, double majority and blocks, with the reasons said.

Why a pure function: a decision on the public record must be re-derivable from the votes and the rules alone,
and the explanation published with it must be the one the code actually applied.

Rules, in the order they are applied:

1. **Validation** (refused with ``ValueError``, nothing decided): an option not in the motion's kind, a voter
   voting twice, a voter who must recuse (declared interest), a block or objection without a reason.
2. **Quorum**: at least ``quorum`` votes cast (abstentions count towards quorum). Otherwise the outcome is
   ``"inquorate"`` - no decision, rather than a failure.
3. **Blocks**: under ``kind="consent"`` any objection fails the motion; under ``kind="proposal"`` any block
   fails it when ``block_fails`` (the default). The explanation quotes who blocked and why.
4. **Threshold**: support = agree / (agree + disagree + block); abstentions do not count either way. The motion
   passes if support is *more than* ``threshold`` (``inclusive=False``, a simple majority at 1/2) or *at least*
   ``threshold`` (``inclusive=True``, e.g. two thirds). With no decisive votes there is no support: it fails.
   Consent motions have no threshold: they pass on quorum and no objection.
5. **Double majority** (``proposal`` only, optional): the threshold must also be met within every constituency
   in ``constituencies`` (all of the body's, including any whose members did not vote - a constituency with no
   decisive vote has given no majority).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

AGREE, ABSTAIN, DISAGREE, BLOCK = "agree", "abstain", "disagree", "block"
CONSENT, OBJECTION = "consent", "objection"
OPTIONS = {"proposal": (AGREE, ABSTAIN, DISAGREE, BLOCK), "consent": (CONSENT, OBJECTION)}
PASSED, FAILED, INQUORATE = "passed", "failed", "inquorate"


@dataclass(frozen=True)
class Vote:
    """One member's vote: their option, their constituency (for double majority) and their reason, if any."""

    voter: str
    option: str
    constituency: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Rules:
    """How a motion is decided (see the module docstring for what each rule means)."""

    kind: str = "proposal"
    quorum: int = 1
    threshold: Fraction = Fraction(1, 2)
    inclusive: bool = False
    double_majority: bool = False
    constituencies: tuple[str, ...] = ()
    block_fails: bool = True


@dataclass(frozen=True)
class Decision:
    """The outcome, the counts it rests on, and a plain-English explanation for the public record."""

    outcome: str
    counts: dict[str, int]
    by_constituency: dict[str, dict[str, int]] = field(default_factory=dict)
    explanation: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.outcome == PASSED


def _count(votes: Iterable[Vote], options: tuple[str, ...]) -> dict[str, int]:
    counts = dict.fromkeys(options, 0)
    for v in votes:
        counts[v.option] += 1
    return counts


def _support(counts: dict[str, int]) -> tuple[int, int]:
    """(for, decisive) under a proposal: abstentions are neither; blocks count against."""
    return counts[AGREE], counts[AGREE] + counts[DISAGREE] + counts[BLOCK]


def _meets(yes: int, decisive: int, rules: Rules) -> bool:
    if decisive == 0:
        return False
    share = Fraction(yes, decisive)
    return share >= rules.threshold if rules.inclusive else share > rules.threshold


def _pct(yes: int, decisive: int) -> str:
    return f"{yes}/{decisive}" + (f" ({float(Fraction(100 * yes, decisive)):.1f}%)" if decisive else "")


def validate(votes: Iterable[Vote], rules: Rules, must_recuse: Iterable[str] = ()) -> list[Vote]:
    """Check votes against the motion's rules (step 1); returns them as a list or raises ``ValueError``."""
    if rules.kind not in OPTIONS:
        raise ValueError(f"unknown motion kind {rules.kind!r}; expected 'proposal' or 'consent'")
    if isinstance(rules.quorum, bool) or not isinstance(rules.quorum, int) or rules.quorum < 0:
        raise ValueError(f"quorum must be a whole number of votes >= 0, not {rules.quorum!r}")
    t = rules.threshold
    if isinstance(t, bool) or not isinstance(t, Fraction | int) or not 0 <= t <= 1:
        raise ValueError(f"threshold must be an exact Fraction between 0 and 1, not {t!r}")
    options = OPTIONS[rules.kind]
    recused = set(must_recuse)
    seen: set[str] = set()
    out = []
    for v in votes:
        if v.option not in options:
            raise ValueError(f"{v.option!r} is not an option of a {rules.kind} motion ({', '.join(options)})")
        if v.voter in seen:
            raise ValueError(f"{v.voter} has already voted on this motion")
        if v.voter in recused:
            raise ValueError(f"{v.voter} has declared an interest in this motion and must recuse")
        if v.option in (BLOCK, OBJECTION) and not v.reason.strip():
            raise ValueError(f"a {v.option} needs a reason ({v.voter} gave none)")
        if rules.double_majority and not v.constituency:
            raise ValueError(f"double majority needs every voter's constituency ({v.voter} has none)")
        seen.add(v.voter)
        out.append(v)
    return out


def decide(votes: Iterable[Vote], rules: Rules, must_recuse: Iterable[str] = ()) -> Decision:
    """Decide a motion from its votes under ``rules``; the explanation lists each rule as it was applied."""
    votes = validate(votes, rules, must_recuse)
    options = OPTIONS[rules.kind]
    counts = _count(votes, options)
    groups = sorted({*rules.constituencies, *(v.constituency for v in votes if v.constituency)})
    by_constituency = {c: _count((v for v in votes if v.constituency == c), options) for c in groups}
    why: list[str] = []

    def done(outcome: str) -> Decision:
        return Decision(outcome, counts, by_constituency, tuple(why))

    cast = len(votes)
    if cast < rules.quorum:
        why.append(f"Quorum not reached: {cast} votes cast, {rules.quorum} needed. No decision was taken.")
        return done(INQUORATE)
    why.append(f"Quorum reached: {cast} votes cast, {rules.quorum} needed.")

    vetoes = [v for v in votes if v.option == OBJECTION or (v.option == BLOCK and rules.block_fails)]
    if vetoes:
        for v in sorted(vetoes, key=lambda v: v.voter):
            why.append(f"{v.voter} recorded a {v.option}: {v.reason.strip()}")
        why.append(f"The motion fails: {'an objection' if rules.kind == 'consent' else 'a block'} stops it.")
        return done(FAILED)

    if rules.kind == "consent":
        why.append(f"No objections ({counts[CONSENT]} consent): the motion passes.")
        return done(PASSED)

    op = "at least" if rules.inclusive else "more than"
    bar = f"{op} {rules.threshold} of agree + disagree + block"
    yes, decisive = _support(counts)
    if not _meets(yes, decisive, rules):
        why.append(f"Overall support {_pct(yes, decisive)} does not reach {bar}: the motion fails.")
        return done(FAILED)
    why.append(f"Overall support {_pct(yes, decisive)} reaches {bar}.")

    if rules.double_majority:
        missing = []
        for c in groups:
            y, d = _support(by_constituency[c])
            ok = _meets(y, d, rules)
            why.append(f"Constituency {c}: support {_pct(y, d)} {'reaches' if ok else 'does not reach'} the bar.")
            if not ok:
                missing.append(c)
        if missing:
            why.append(f"No double majority: not reached in {', '.join(missing)}. The motion fails.")
            return done(FAILED)
        why.append("Double majority: reached overall and in every constituency.")
    why.append("The motion passes.")
    return done(PASSED)
