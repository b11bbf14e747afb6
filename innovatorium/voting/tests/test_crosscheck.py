"""Our counts against independent implementations on seeded random profiles.

* **pref_voting** (Holliday & Pacuit) for IRV, Borda and approval. The version that resolves beside numpy >= 2.4 is
  0.5.4 (later releases need numba, which caps numpy); it imports numba, nashpy, seaborn and pandas without
  declaring them, and none is used by the four functions called here, so inert stand-ins are put in
  ``sys.modules`` for the import only (numba's ``jit`` becomes the identity: the same code, run uncompiled) and
  removed again straight after.
* **pyrankvote** for STV. Its rules differ from ours in documented ways, so a profile is compared only when the
  difference cannot matter - each condition is checked on *our* recorded count:
  - quota: it elects at >= V / (seats + 1) (fractional), we at the Droop quota floor(V / (seats + 1)) + 1, so no
    unelected option may hold a value between the two;
  - transfers: it gives every ballot in a pile an equal share of the value passed on, we pass each ballot's own
    value on (WIG) - the same when every ballot in the pile has the same value (``values_uniform``) or the whole
    pile goes to one place;
  - it elects everyone over its quota and transfers all their surpluses before looking again, we transfer one
    surplus at a time and elect after each - the same unless an option is elected while another surplus waits;
  - ties: it looks at later preferences then chooses at random, we go backwards then by hash order; and it treats
    values within 0.001 as equal - so no tie break and no near-tie among the lowest options may occur;
  - it may exclude several options at once when together they cannot overtake the next; excluding them one by
    one sends every ballot to the same next continuing option at the same value, so this never matters.
  IRV and Borda are compared on complete rankings (pref_voting's Profile needs linear orders); approval on any.
"""

from __future__ import annotations

import importlib.util
import random
import sys
import types
import warnings
from typing import Any

import pytest

from innovatorium.voting import Ballot, Election, Method, Result, tally


def _import_pref_voting() -> dict[str, Any]:
    stand_ins = [m for m in ("numba", "nashpy", "seaborn", "pandas") if importlib.util.find_spec(m) is None]
    for name in stand_ins:
        module = types.ModuleType(name)
        if name == "numba":

            def jit(*args: Any, **kwargs: Any) -> Any:
                return args[0] if args and callable(args[0]) and not kwargs else (lambda f: f)

            module.jit = jit  # type: ignore[attr-defined]
            module.float32 = float  # type: ignore[attr-defined]
        sys.modules[name] = module
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # its docstrings hold invalid escape sequences
            from pref_voting.grade_methods import approval
            from pref_voting.grade_profiles import GradeProfile
            from pref_voting.iterative_methods import instant_runoff
            from pref_voting.profiles import Profile
            from pref_voting.scoring_methods import borda
    finally:
        for name in stand_ins:
            sys.modules.pop(name, None)
    return {
        "approval": approval,
        "GradeProfile": GradeProfile,
        "irv": instant_runoff,
        "Profile": Profile,
        "borda": borda,
    }


PV = _import_pref_voting()


def _profile(rng: random.Random, k: int, n: int, *, complete: bool) -> list[tuple[int, ...]]:
    """A mildly skewed random profile: option i drawn with weight 1/(i+1) (Plackett-Luce), then truncated."""
    weights = [1 / (i + 1) for i in range(k)]
    out = []
    for _ in range(n):
        left, w, ranking = list(range(k)), list(weights), []
        while left:
            j = rng.choices(range(len(left)), weights=w)[0]
            ranking.append(left.pop(j))
            w.pop(j)
        out.append(tuple(ranking if complete else ranking[: rng.randint(0, k)]))
    return out


def _ours(method: Method, k: int, rankings: list[tuple[int, ...]], seats: int = 1, round_id: str = "x") -> Result:
    options = tuple(f"o{i}" for i in range(k))
    e = Election(round_id, method, options, seats)
    return tally(e, [Ballot(tuple(options[i] for i in r)) for r in rankings])


def _winner_index(result: Result) -> int:
    return int(result.winners[0][1:])


def test_irv_matches_pref_voting() -> None:
    rng = random.Random(1)
    compared = 0
    for trial in range(150):
        k, n = rng.randint(3, 6), rng.randint(5, 60)
        rankings = _profile(rng, k, n, complete=True)
        ours = _ours(Method.IRV, k, rankings, round_id=str(trial))
        theirs = PV["irv"](PV["Profile"]([list(r) for r in rankings]))
        if any(t["kind"] == "exclude" for t in ours.tie_breaks):
            continue  # pref_voting drops every tied-lowest option at once; ours excludes one by the tie rule
        assert [_winner_index(ours)] == list(theirs), (trial, rankings)
        compared += 1
    assert compared >= 100


def test_borda_matches_pref_voting() -> None:
    rng = random.Random(2)
    for trial in range(150):
        k, n = rng.randint(3, 7), rng.randint(1, 60)
        rankings = _profile(rng, k, n, complete=True)
        ours = _ours(Method.BORDA, k, rankings, round_id=str(trial))
        theirs = list(PV["borda"](PV["Profile"]([list(r) for r in rankings])))
        # pref_voting returns every option with the top score; ours breaks the tie by the documented rule
        assert _winner_index(ours) in theirs, (trial, rankings)
        if len(theirs) == 1:
            assert not ours.tie_breaks or not ours.tie_breaks[0]["affects_winners"]


def test_approval_matches_pref_voting() -> None:
    rng = random.Random(3)
    for trial in range(150):
        k, n = rng.randint(2, 7), rng.randint(1, 40)
        approvals = [tuple(sorted(rng.sample(range(k), rng.randint(0, k)))) for _ in range(n)]
        if not any(approvals):
            continue
        ours = _ours(Method.APPROVAL, k, approvals, round_id=str(trial))
        grade_maps = [{c: int(c in a) for c in range(k)} for a in approvals]
        theirs = list(PV["approval"](PV["GradeProfile"](grade_maps, [0, 1])))
        assert _winner_index(ours) in theirs, (trial, approvals)
        assert len(theirs) > 1 or not any(t["affects_winners"] for t in ours.tie_breaks)


def _stv_comparable(result: Result, valid: int, seats: int) -> bool:
    if any(t["kind"] in ("exclude", "surplus") for t in result.tie_breaks):
        return False
    loose_quota = valid / (seats + 1)
    elected: set[str] = set()
    pending: set[str] = set()
    assert result.quota is not None
    for step in result.steps:
        standing = {o: v for o, v in step["tallies"].items() if o not in elected}
        if any(loose_quota - 1e-3 <= v < result.quota + 1e-3 for v in standing.values()):
            return False
        places = len(step.get("transfers", {})) + (step.get("to_exhausted", 0) > 0)
        if not step.get("values_uniform", True) and places > 1:
            return False  # mixed values split several ways: equal shares and own values give different totals
        newly = [o for o in step.get("elected", []) if standing.get(o, 0) >= result.quota]
        if newly and pending:
            return False
        pending |= {o for o in newly if standing[o] > result.quota}
        elected |= set(step.get("elected", []))
        if step.get("action") == "surplus":
            pending.discard(step["option"])
        if step.get("action") == "exclude":
            low = sorted(standing.values())
            if len(low) > 1 and low[1] - low[0] < 0.01:
                return False
    return True


@pytest.mark.parametrize("seats", [1, 2, 3])
def test_stv_matches_pyrankvote_where_the_rules_coincide(seats: int) -> None:
    import pyrankvote
    from pyrankvote.models import Ballot as PBallot
    from pyrankvote.models import Candidate

    rng = random.Random(10 + seats)
    compared = 0
    for trial in range(400):
        k, n = rng.randint(seats + 1, seats + 4), rng.randint(10, 80)
        rankings = _profile(rng, k, n, complete=rng.random() < 0.5)
        ours = _ours(Method.STV, k, rankings, seats, round_id=str(trial))
        valid = sum(1 for r in rankings if r)
        if not valid or not _stv_comparable(ours, valid, seats):
            continue
        candidates = [Candidate(f"o{i}") for i in range(k)]
        ballots = [PBallot(ranked_candidates=[candidates[i] for i in r]) for r in rankings]
        theirs = pyrankvote.single_transferable_vote(candidates, ballots, number_of_seats=seats)
        assert {c.name for c in theirs.get_winners()} == set(ours.winners), (trial, seats, rankings)
        compared += 1
    assert compared >= 15, compared  # about 20-90 of 400 per seat count qualify; none has disagreed
