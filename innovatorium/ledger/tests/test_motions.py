"""Motion decisions: worked examples, refusals, and monotonicity."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innovatorium.ledger import Rules, Vote, decide

FAST = settings(max_examples=100, deadline=None)


def votes(spec: str, constituency: str = "", start: int = 0) -> list[Vote]:
    """'aadx' -> agree, agree, disagree, abstain (x) - a compact way to write ballots in a test."""
    option = {"a": "agree", "d": "disagree", "x": "abstain"}
    return [Vote(f"{constituency}{start + i}", option[c], constituency) for i, c in enumerate(spec)]


def test_simple_majority_needs_more_than_half_of_decisive_votes():
    assert decide(votes("aad"), Rules()).passed
    tie = decide(votes("ad"), Rules())
    assert tie.outcome == "failed" and "1/2 (50.0%) does not reach more than 1/2" in tie.explanation[-1]
    # abstentions count to quorum but not to support
    assert decide(votes("axxxx"), Rules(quorum=5)).passed
    assert decide(votes("xxx"), Rules()).outcome == "failed"


def test_two_thirds_inclusive():
    rules = Rules(threshold=Fraction(2, 3), inclusive=True)
    assert decide(votes("aad"), rules).passed
    assert not decide(votes("aadd"), rules).passed


def test_quorum_not_reached_is_inquorate_not_failed():
    result = decide(votes("aaa"), Rules(quorum=4))
    assert result.outcome == "inquorate"
    assert result.explanation == ("Quorum not reached: 3 votes cast, 4 needed. No decision was taken.",)


def test_block_with_reason_fails_and_is_explained():
    ballots = [*votes("aaaa"), Vote("dr-x", "block", reason="Unsafe for children under 5")]
    result = decide(ballots, Rules())
    assert result.outcome == "failed"
    assert "dr-x recorded a block: Unsafe for children under 5" in result.explanation
    # where a body counts blocks only as votes against, four to one passes
    assert decide(ballots, Rules(block_fails=False)).passed


def test_consent_motion_fails_on_one_objection():
    ok = [Vote("a", "consent"), Vote("b", "consent")]
    assert decide(ok, Rules(kind="consent", quorum=2)).passed
    objected = [*ok, Vote("c", "objection", reason="No budget for year two")]
    result = decide(objected, Rules(kind="consent"))
    assert result.outcome == "failed" and "an objection stops it" in result.explanation[-1]


def test_double_majority_needs_every_constituency():
    rules = Rules(double_majority=True, constituencies=("carers", "clinicians", "patients"))
    ballots = votes("aaaaaaa", "patients") + votes("ad", "clinicians") + votes("aad", "carers")
    result = decide(ballots, rules)
    # 10/12 overall, but clinicians 1/2 is not more than half
    assert result.outcome == "failed"
    assert result.by_constituency["clinicians"] == {"agree": 1, "abstain": 0, "disagree": 1, "block": 0}
    assert "not reached in clinicians" in result.explanation[-1]
    passed = decide(ballots + votes("a", "clinicians", start=5), rules)
    assert passed.passed and "reached overall and in every constituency" in passed.explanation[-2]
    # a constituency of the body that did not vote at all gives no majority
    silent = decide(ballots + votes("a", "clinicians", start=5), Rules(double_majority=True, constituencies=("staff",)))
    assert not silent.passed and "not reached in staff" in silent.explanation[-1]


@pytest.mark.parametrize(
    ("ballots", "rules", "recuse", "message"),
    [
        ([Vote("a", "consent")], Rules(), (), "not an option of a proposal"),
        ([Vote("a", "agree"), Vote("a", "disagree")], Rules(), (), "already voted"),
        ([Vote("a", "agree")], Rules(), ("a",), "declared an interest"),
        ([Vote("a", "block", reason="  ")], Rules(), (), "needs a reason"),
        ([Vote("a", "objection")], Rules(kind="consent"), (), "needs a reason"),
        ([Vote("a", "agree")], Rules(double_majority=True), (), "constituency"),
        ([Vote("a", "agree")], Rules(kind="sociocracy"), (), "unknown motion kind"),
        ([Vote("a", "agree")], Rules(threshold=0.5), (), "exact Fraction"),
        ([Vote("a", "agree")], Rules(threshold=Fraction(3, 2)), (), "between 0 and 1"),
        ([Vote("a", "agree")], Rules(quorum=-1), (), "quorum"),
    ],
)
def test_bad_votes_and_rules_are_refused(ballots, rules, recuse, message):
    with pytest.raises(ValueError, match=message):
        decide(ballots, rules, must_recuse=recuse)


counts = st.integers(0, 12)


@FAST
@given(counts, counts, counts, st.integers(1, 5), st.integers(0, 30), st.booleans())
def test_more_agree_votes_never_turn_a_pass_into_a_fail(agree, disagree, abstain, more, quorum, double):
    constituencies = ("x", "y")
    rules = Rules(quorum=quorum, double_majority=double, constituencies=constituencies if double else ())

    option = {"a": "agree", "d": "disagree", "x": "abstain"}
    spec = "a" * agree + "d" * disagree + "x" * abstain
    base = [Vote(str(i), option[c], constituencies[i % 2]) for i, c in enumerate(spec)]
    extra = [Vote(f"extra-{i}", "agree", constituencies[i % 2]) for i in range(more)]

    before = decide(base, rules)
    after = decide(base + extra, rules)
    if before.passed:
        assert after.passed
    assert sum(after.counts.values()) == len(base) + more


@FAST
@given(counts, counts, counts)
def test_simple_majority_matches_the_definition(agree, disagree, abstain):
    ballots = votes("a" * agree + "d" * disagree + "x" * abstain)
    assert decide(ballots, Rules(quorum=0)).passed == (agree > disagree)


options = st.sampled_from(["agree", "disagree", "abstain"])
ballots_in_groups = st.lists(st.tuples(options, st.sampled_from(["x", "y", "z"])), max_size=30)


@FAST
@given(ballots_in_groups, st.integers(0, 20), st.sampled_from([(Fraction(1, 2), False), (Fraction(2, 3), True)]))
def test_a_double_majority_pass_is_also_a_plain_pass_and_inquorate_means_too_few_votes(ballots, quorum, bar):
    threshold, inclusive = bar
    cast = [Vote(str(i), option, group) for i, (option, group) in enumerate(ballots)]
    plain = decide(cast, Rules(quorum=quorum, threshold=threshold, inclusive=inclusive))
    double = decide(cast, Rules(quorum=quorum, threshold=threshold, inclusive=inclusive, double_majority=True,
                                constituencies=("x", "y", "z")))
    if double.passed:
        assert plain.passed
        for group in ("x", "y", "z"):  # every group, even one nobody in it voted for, gave its majority
            c = double.by_constituency[group]
            assert c["agree"] + c["disagree"] > 0
    assert (plain.outcome == "inquorate") == (len(cast) < quorum) == (double.outcome == "inquorate")
    assert sum(double.by_constituency[g][o] for g in ("x", "y", "z") for o in double.counts) == len(cast)
