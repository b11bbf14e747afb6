"""Known counts, validation, tie breaks, constituencies, and properties every count must have."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innovatorium.voting import (
    SCALE,
    Ballot,
    Election,
    Method,
    Suppressed,
    balanced_weights,
    ballot_set_hash,
    count_ranked_array,
    disagreements,
    hash_order,
    report,
    tally,
    tally_balanced,
    tally_by_constituency,
)
from innovatorium.voting.tests.strategies import profiles

FAST = settings(max_examples=60, deadline=None)


def B(*marks: str, c: str = "") -> Ballot:
    return Ballot(marks, c)


# ---- known counts ----------------------------------------------------------------------------------------------


def test_stv_wikipedia_food_election() -> None:
    """The worked example on Wikipedia's STV page: 20 voters, 3 seats, Droop quota 6."""
    e = Election("food", Method.STV, ("Orange", "Pear", "Chocolate", "Strawberry", "Hamburger"), 3)
    ballots = (
        [B("Orange")] * 4
        + [B("Pear", "Orange")] * 2
        + [B("Chocolate", "Strawberry")] * 8
        + [B("Chocolate", "Hamburger")] * 4
        + [B("Strawberry")]
        + [B("Hamburger")]
    )
    r = tally(e, ballots)
    assert r.quota == 6
    assert r.winners == ("Chocolate", "Orange", "Strawberry")
    first = r.steps[0]
    assert first["action"] == "surplus" and first["transfer_value"] == 0.5
    assert first["transfers"] == {"Strawberry": 4.0, "Hamburger": 2.0}
    assert [s.get("option") for s in r.steps[1:3]] == ["Pear", "Hamburger"]


def test_stv_weighted_inclusive_gregory_passes_reduced_values_on() -> None:
    # a's surplus goes to b at 0.5 each; b is then over quota holding ballots of two values, and b's surplus is
    # passed on in proportion to each ballot's value (WIG), not as equal shares per ballot
    e = Election("wig", Method.STV, ("a", "b", "c", "d"), 3)
    ballots = [B("a", "b", "c")] * 12 + [B("b", "d")] * 6 + [B("c")] * 4 + [B("d")] * 3
    r = tally(e, ballots)
    quota = 25 // 4 + 1
    assert r.quota == quota
    a_step = r.steps[0]
    assert a_step["option"] == "a" and a_step["transfer_value"] == pytest.approx((12 - quota) / 12)
    b_step = r.steps[1]
    assert b_step["option"] == "b" and b_step["values_uniform"] is False
    b_held = 6 + (12 - quota)
    tv = (b_held - quota) / b_held
    assert b_step["transfers"]["c"] == pytest.approx((12 - quota) * tv, abs=1e-4)
    assert b_step["transfers"]["d"] == pytest.approx(6 * tv, abs=1e-4)


def test_irv_majority_after_transfers() -> None:
    e = Election("irv", Method.IRV, ("a", "b", "c"))
    ballots = [B("a")] * 4 + [B("b", "c")] * 3 + [B("c", "b")] * 2
    r = tally(e, ballots)
    assert r.winners == ("b",)
    assert [s["action"] for s in r.steps] == ["exclude", "elect"]
    assert r.ranking == ("b", "a", "c")


def test_irv_exhausted_ballots_do_not_count_towards_majority() -> None:
    e = Election("irv", Method.IRV, ("a", "b", "c"))
    r = tally(e, [B("a")] * 4 + [B("b")] * 3 + [B("c")] * 2)
    assert r.winners == ("a",)  # 4 of 7 continuing after c's 2 ballots exhaust
    assert r.steps[1]["exhausted"] == 2.0


def test_modified_borda_with_truncated_ballots() -> None:
    e = Election("b", Method.BORDA, ("a", "b", "c", "d"))
    r = tally(e, [B("a")] * 3 + [B("b", "c", "d", "a")])
    # a bullet vote gives 1 point; a full ranking 4, 3, 2, 1
    assert r.totals == {"a": 3 + 1, "b": 4, "c": 3, "d": 2}


def test_approval_and_score() -> None:
    a = Election("x", Method.APPROVAL, ("a", "b", "c"), 2)
    r = tally(a, [B("a", "b"), B("b"), B("c", "b")])
    assert r.totals == {"a": 1, "b": 3, "c": 1} and r.winners[0] == "b"
    s = Election("x", Method.SCORE, ("a", "b", "c"))
    r = tally(s, [Ballot({"a": 5, "b": 2}), Ballot({"b": 4, "c": 1})])
    assert r.totals == {"a": 5, "b": 6, "c": 1} and r.winners == ("b",)


# ---- validation ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "ballot", "message"),
    [
        (Method.IRV, B("a", "zz"), "ballot 1: unknown option 'zz'"),
        (Method.STV, B("a", "b", "a"), "ballot 1: option 'a' ranked twice"),
        (Method.BORDA, B("a", "b", "c", "a"), "ballot 1: marks 4 options but the round has only 3"),
        (Method.APPROVAL, B("b", "b"), "ballot 1: option 'b' approved twice"),
        (Method.SCORE, Ballot({"a": 6}), "ballot 1: score 6 for 'a' is outside 0-5"),
        (Method.SCORE, Ballot({"a": -1}), "ballot 1: score -1 for 'a' is outside 0-5"),
        (Method.SCORE, Ballot({"q": 1}), "ballot 1: unknown option 'q'"),
        (Method.SCORE, Ballot((("a", 1), ("a", 2))), "ballot 1: option 'a' scored twice"),
    ],
)
def test_bad_ballots_are_refused_with_their_index(method: Method, ballot: Ballot, message: str) -> None:
    e = Election("v", method, ("a", "b", "c"), 1)
    good = Ballot({"a": 1}) if method is Method.SCORE else B("a")
    with pytest.raises(ValueError, match=message):
        tally(e, [good, ballot])


def test_bad_elections_are_refused() -> None:
    with pytest.raises(ValueError, match="IRV fills exactly one seat"):
        Election("r", Method.IRV, ("a", "b"), 2)
    with pytest.raises(ValueError, match="unique"):
        Election("r", Method.STV, ("a", "a"), 1)
    with pytest.raises(ValueError, match="seats must be between"):
        Election("r", Method.STV, ("a", "b"), 3)


# ---- ties ------------------------------------------------------------------------------------------------------


def test_hash_order_breaks_a_first_stage_tie_and_is_recorded() -> None:
    e = Election("round-7", Method.APPROVAL, ("a", "b", "c"))
    r = tally(e, [B("a"), B("b")])
    first = hash_order("round-7", ["a", "b"])[0]
    assert r.winners == (first,)
    assert r.tie_breaks[0]["rule"] == "hash order" and r.tie_breaks[0]["affects_winners"] is True
    # another round id may order them the other way; the rule is the same
    other = next(rid for rid in map(str, range(100)) if hash_order(rid, ["a", "b"])[0] != first)
    assert tally(Election(other, Method.APPROVAL, ("a", "b", "c")), [B("a"), B("b")]).winners == (
        hash_order(other, ["a", "b"])[0],
    )


def test_backwards_tie_break_uses_earlier_stage() -> None:
    # stage 1: a 5, b 3, c 2, d 1. d is excluded and its ballot goes to c, so b and c tie at 3 in stage 2
    e = Election("t", Method.IRV, ("a", "b", "c", "d"))
    ballots = [B("a")] * 5 + [B("b")] * 3 + [B("c")] * 2 + [B("d", "c")]
    r = tally(e, ballots)
    # after d's ballot passes to c, b and c both hold 3; at stage 1 c had 2 < b's 3, so c is excluded
    exclusions = [s["option"] for s in r.steps if s["action"] == "exclude"]
    assert exclusions[:2] == ["d", "c"]
    assert r.tie_breaks[0]["rule"] == "stage 1 totals" and r.tie_breaks[0]["chosen"] == "c"


# ---- constituencies -------------------------------------------------------------------------------------------


def test_small_constituencies_are_suppressed() -> None:
    e = Election("s", Method.APPROVAL, ("a", "b"))
    ballots = [B("a", c="patients")] * 5 + [B("b", c="industry")] * 4
    by = tally_by_constituency(e, ballots)
    assert by["patients"].winners == ("a",)  # type: ignore[union-attr]
    assert isinstance(by["industry"], Suppressed) and by["industry"].ballots == 4
    assert "fewer than 5" in by["industry"].reason


def test_balanced_gives_each_constituency_equal_weight_and_disagreement_is_reported() -> None:
    e = Election("bal", Method.APPROVAL, ("a", "b"))
    # two unanimous constituencies of different sizes carry exactly the same weight once balanced
    lopsided = [B("a", c="industry")] * 30 + [B("b", c="patients")] * 11
    balanced = tally_balanced(e, lopsided)
    assert balanced.totals["a"] == balanced.totals["b"] == pytest.approx(20.5, abs=1e-3)
    # raw: a 22 v b 18; balanced: industry's 20.5 votes split 22:8, patients' 20.5 all to b -> b wins
    ballots = [B("a", c="industry")] * 22 + [B("b", c="industry")] * 8 + [B("b", c="patients")] * 10
    raw, balanced = tally(e, ballots), tally_balanced(e, ballots)
    assert raw.winners == ("a",) and balanced.winners == ("b",)
    notes = disagreements(raw, balanced)
    assert notes[0] == "different winners: raw only ['a'], balanced only ['b']"
    assert report(e, ballots).disagreements == notes
    assert disagreements(raw, raw) == []


def test_balanced_weights_sum_to_the_ballot_count() -> None:
    names = ["x"] * 7 + ["y"] * 3 + ["z"]
    w = balanced_weights(names)
    per = {n: sum(v for m, v in zip(names, w, strict=True) if m == n) for n in set(names)}
    assert len(set(per.values())) == 1  # exactly equal: lcm(7, 3, 1) is small
    assert abs(sum(w) - SCALE * 11) <= 21
    big = ["x"] * 1009 + ["y"] * 1013 + ["z"] * 1019  # lcm too large: floor, off by at most n_c units
    wb = balanced_weights(big)
    totals = {n: sum(v for m, v in zip(big, wb, strict=True) if m == n) for n in set(big)}
    assert max(totals.values()) - min(totals.values()) <= 1019


# ---- properties ------------------------------------------------------------------------------------------------


@FAST
@given(profiles())
def test_counting_is_anonymous(profile: tuple[Election, list[Ballot]]) -> None:
    """Shuffling the ballots never changes anything: no ballot's position matters."""
    e, ballots = profile
    shuffled = list(ballots)
    random.Random(len(ballots)).shuffle(shuffled)
    assert tally(e, ballots).to_json() == tally(e, shuffled).to_json()


@FAST
@given(profiles(methods=(Method.IRV, Method.STV)), st.booleans())
def test_numpy_and_python_engines_agree_to_the_unit(profile: tuple[Election, list[Ballot]], balanced: bool) -> None:
    e, ballots = profile
    count = tally_balanced if balanced else tally
    assert count(e, ballots, backend="numpy").to_json() == count(e, ballots, backend="python").to_json()


@FAST
@given(profiles(methods=(Method.STV,)))
def test_stv_conserves_value_and_fills_seats(profile: tuple[Election, list[Ballot]]) -> None:
    e, ballots = profile
    r = tally_balanced(e, ballots)
    valid = sum(1 for b in ballots if b.marks)
    if not valid:
        assert r.winners == ()
        return
    assert len(r.winners) == e.seats and len(set(r.winners)) == e.seats
    assert sorted(r.ranking) == sorted(e.options)
    total = sum(r.steps[0]["tallies"].values())
    lost = 0.0
    for step in r.steps:
        # everything is somewhere: with an option, exhausted, or lost to truncation of transfer values
        assert sum(step["tallies"].values()) + step["exhausted"] + lost == pytest.approx(total, abs=1e-4)
        lost += step.get("lost_to_rounding", 0.0)


@FAST
@given(profiles(methods=(Method.IRV,), complete=True))
def test_stv_for_one_seat_is_irv_on_complete_rankings(profile: tuple[Election, list[Ballot]]) -> None:
    e, ballots = profile
    stv = Election(e.round_id, Method.STV, e.options, 1)
    assert tally(stv, ballots).winners == tally(e, ballots).winners


@FAST
@given(profiles(methods=(Method.IRV,)))
def test_a_majority_first_choice_wins_irv(profile: tuple[Election, list[Ballot]]) -> None:
    e, ballots = profile
    firsts = [b.marks[0] for b in ballots if b.marks]
    for option in e.options:
        if 2 * firsts.count(option) > len(firsts):
            assert tally(e, ballots).winners == (option,)


@FAST
@given(profiles(methods=(Method.APPROVAL, Method.SCORE, Method.BORDA)))
def test_scoring_winners_are_the_top_totals(profile: tuple[Election, list[Ballot]]) -> None:
    e, ballots = profile
    r = tally(e, ballots)
    assert all(r.totals[a] >= r.totals[b] for a, b in zip(r.ranking, r.ranking[1:], strict=False))
    assert r.winners == r.ranking[: e.seats]


def test_array_core_matches_object_path() -> None:
    rng = np.random.default_rng(3)
    k = 6
    options = tuple(f"o{i}" for i in range(k))
    rows = np.argsort(-(np.log(1 / np.arange(1, k + 1)) + rng.gumbel(size=(400, k))), axis=1).astype(np.int8)
    lengths = rng.integers(0, k + 1, size=400)
    rows[np.arange(k)[None, :] >= lengths[:, None]] = -1
    ballots = [Ballot(tuple(options[i] for i in row if i >= 0)) for row in rows]
    for method, seats in ((Method.IRV, 1), (Method.STV, 3)):
        e = Election("arr", method, options, seats)
        assert count_ranked_array(e, rows).to_json() == tally(e, ballots, backend="python").to_json()


def test_ballot_set_hash_ignores_order_but_not_content() -> None:
    e = Election("h", Method.IRV, ("a", "b"))
    ballots = [Ballot(("a",), "p", "r1"), Ballot(("b", "a"), "q", "r2")]
    assert ballot_set_hash(e, ballots) == ballot_set_hash(e, ballots[::-1])
    assert ballot_set_hash(e, ballots) != ballot_set_hash(e, [ballots[0], Ballot(("a", "b"), "q", "r2")])
