"""Counting the votes of a priority-setting round: approval, score (0-5), Borda, IRV and STV.

Why this module looks the way it does
-------------------------------------
* **Standard library only** (numpy is used if present, for speed, never for meaning). The published re-count script
  (``tools/recount.py``) loads this one file by path, so anyone can reproduce an official result with a bare Python.
* **Integer arithmetic.** A vote is worth ``SCALE`` (10**6) units and every value is an integer number of units, so
  sums are exact and do not depend on the order they are added in. That is what lets the fast numpy path, the plain
  Python path and a re-count on another machine agree to the last unit, not merely "to within rounding".
* **Every counting step is recorded** (stage tallies, who was elected or excluded, where their ballots went, the
  transfer value) so the round's page can show the count, and a re-count can be compared step by step.

The rules, written down
-----------------------
Ballot shapes: ranked methods (Borda, IRV, STV) take an ordered tuple of option ids, most preferred first; a ballot
may be truncated (rank only some options). Approval takes the approved option ids (order ignored). Score takes
``(option, score)`` pairs or a mapping, 0 <= score <= 5; options a ballot does not score count 0. An empty ballot
is a valid blank: it is counted as cast but carries no preference.

* **Approval**: an option's total is the (weighted) number of ballots approving it.
* **Score**: an option's total is the (weighted) sum of its scores.
* **Borda** (the *modified* Borda count, because ballots may be truncated): a ballot that ranks m options gives
  m points to its first choice, m-1 to its second, ..., 1 to its m-th and 0 to every option it leaves out. With
  complete rankings this is the classic Borda count plus a constant, so it picks the same winners; with truncated
  ballots it means ranking only your favourite gives it 1 point, not n-1, so "bullet voting" does not pay.
* **IRV** (one seat): count each ballot for its highest-ranked continuing option; if one option holds more than half
  of the continuing (non-exhausted) value it wins, otherwise the option with the least value is excluded and its
  ballots pass, at their current value, to their next continuing preference. A ballot with no continuing preference
  left is exhausted.
* **STV** (Droop quota, Weighted Inclusive Gregory surplus transfer, one exclusion at a time):
  quota = floor(V / (seats + 1)) + 1 votes, V the total value of non-blank ballots. After every transfer any
  continuing option with at least a quota is elected (several at once in order of value). While an elected option
  has an untransferred surplus, the largest surplus is transferred first: *all* the ballots it holds pass to their
  next continuing preference with their value multiplied by the transfer value ``surplus / value held``
  (Weighted Inclusive Gregory, as in Scottish local-government STV), so a ballot that arrived at a reduced value
  passes on proportionally less, and what exhausted ballots would have carried is lost. Only when no surplus is
  pending is the option with the least value excluded and its ballots transferred at their current value. When
  the continuing options are no more than the seats left they are all elected; when the seats are filled the rest
  are not. Truncation: the transfer value is kept to 9 decimal places (``TV_SCALE``) and each ballot's new value is
  rounded down to a whole unit (10**-6 vote) - the shortfall is lost, like exhausted value, and is shown.
* **Ties** are broken by one deterministic rule. First *backwards*: compare the tied options' totals at the previous
  stage of the count, then the one before, back to the first stage; the first stage at which they differ decides
  (higher is preferred to keep / elect first, lower is excluded). Approval, score and Borda have a single stage, so
  this step decides nothing there. Then the **hash order**: options are ordered by
  ``sha256(round_id + "\\x1f" + option_id)`` in hex; the option earliest in that order is preferred, the latest is
  excluded. The round id is fixed before voting opens, so the order is reproducible by anyone and nobody can pick
  an option id to win ties in advance of knowing it. Every tie break is recorded in ``Result.tie_breaks``.

Constituencies
--------------
* **raw**: every ballot is worth one vote.
* **per constituency**: each constituency's ballots counted on their own; a constituency with fewer than
  ``MIN_BREAKDOWN`` (5) ballots is suppressed (``Suppressed`` with the reason) so a small group's choices cannot be
  read off.
* **constituency-balanced**: every ballot in constituency c is worth T / n_c (N ballots, C constituencies with
  ballots, n_c ballots in c, T about N / C votes; see ``balanced_weights`` for the exact integer rule), so each
  constituency carries the same total however many of its members voted. For approval, score and Borda that is
  each constituency's tally normalised to its size; for IRV and STV the same weights are the ballots' starting
  values and transfers work on them as usual. Ballots with no declared constituency form their own constituency
  ``"undeclared"``.
* ``disagreements(raw, balanced)`` lists where two results differ (different winners, different order).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

SCALE = 1_000_000
"""Units per vote. Values are integers in these units; display divides by SCALE."""
TV_SCALE = 1_000_000_000
"""Resolution of an STV transfer value (9 decimal places)."""
SCORE_MAX = 5
MIN_BREAKDOWN = 5
UNDECLARED = "undeclared"
NUMPY_THRESHOLD = 20_000
"""Above this many distinct ballots the numpy engine is used for IRV/STV when numpy is installed (same results)."""


class Method(StrEnum):
    APPROVAL = "approval"
    SCORE = "score"
    BORDA = "borda"
    IRV = "irv"
    STV = "stv"


RANKED_METHODS = frozenset({Method.BORDA, Method.IRV, Method.STV})


@dataclass(frozen=True)
class Election:
    """What is being counted: the round id (seeds the tie-break order), the method, options and seats.

    ``seats`` is the number of winners: the top ``seats`` of the ranking for approval, score and Borda (e.g. a James
    Lind Alliance top 10), the seats filled for STV; IRV always fills one.
    """

    round_id: str
    method: Method
    options: tuple[str, ...]
    seats: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", Method(self.method))
        object.__setattr__(self, "options", tuple(self.options))
        if not self.options:
            raise ValueError("an election needs at least one option")
        if len(set(self.options)) != len(self.options):
            raise ValueError("option ids must be unique")
        if any(not isinstance(o, str) or not o for o in self.options):
            raise ValueError("option ids must be non-empty strings")
        if not 1 <= self.seats <= len(self.options):
            raise ValueError(f"seats must be between 1 and {len(self.options)}, not {self.seats}")
        if self.method is Method.IRV and self.seats != 1:
            raise ValueError("IRV fills exactly one seat; use STV for more")


@dataclass(frozen=True)
class Ballot:
    """One ballot. ``marks``: ranked - option ids best first; approval - approved ids; score - (id, score) pairs.

    ``receipt`` is the voter's receipt hash as published in the anonymised ballot list; it plays no part in counting.
    """

    marks: tuple[Any, ...] = ()
    constituency: str = ""
    receipt: str = ""

    def __post_init__(self) -> None:
        marks = self.marks
        if isinstance(marks, Mapping):
            marks = tuple(sorted(marks.items()))
        elif isinstance(marks, (set, frozenset)):
            marks = tuple(sorted(marks))
        object.__setattr__(self, "marks", tuple(marks))


@dataclass(frozen=True)
class Suppressed:
    """A per-constituency result withheld because too few ballots were cast in that constituency."""

    ballots: int
    reason: str


@dataclass
class Result:
    """The full outcome of one count, serialisable with ``to_dict()`` for the public record."""

    round_id: str
    method: str
    seats: int
    options: tuple[str, ...]
    ballots: int
    blank: int
    winners: tuple[str, ...]
    ranking: tuple[str, ...]
    totals: dict[str, float]
    quota: float | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)
    tie_breaks: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["options"] = list(self.options)
        data["winners"] = list(self.winners)
        data["ranking"] = list(self.ranking)
        return data

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no spaces): what gets hashed and compared by the re-count."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))


@dataclass
class Report:
    """A result raw, constituency-balanced and per constituency, and where raw and balanced disagree."""

    raw: Result
    balanced: Result
    by_constituency: dict[str, Result | Suppressed]
    disagreements: list[str]


# --------------------------------------------------------------------------------------------------------------
# Validation: turn ballots into option indices, or say exactly which ballot is wrong and why.


def _normalise(election: Election, ballots: Sequence[Ballot]) -> list[tuple[int, ...]]:
    """Ranked/approval ballots become tuples of option indices; score ballots a tuple of k scores."""
    index = {o: i for i, o in enumerate(election.options)}
    k = len(election.options)
    method = election.method
    out: list[tuple[int, ...]] = []
    for n, ballot in enumerate(ballots):
        marks = ballot.marks
        if method is Method.SCORE:
            scores = [0] * k
            seen: set[str] = set()
            for item in marks:
                if not (isinstance(item, tuple) and len(item) == 2):
                    raise ValueError(f"ballot {n}: score marks must be (option, score) pairs, got {item!r}")
                option, score = item
                if option not in index:
                    raise ValueError(f"ballot {n}: unknown option {option!r}")
                if option in seen:
                    raise ValueError(f"ballot {n}: option {option!r} scored twice")
                seen.add(option)
                if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= SCORE_MAX:
                    raise ValueError(f"ballot {n}: score {score!r} for {option!r} is outside 0-{SCORE_MAX}")
                scores[index[option]] = score
            out.append(tuple(scores))
            continue
        if len(marks) > k:
            raise ValueError(f"ballot {n}: marks {len(marks)} options but the round has only {k}")
        picked: list[int] = []
        taken: set[int] = set()
        for option in marks:
            if not isinstance(option, str) or option not in index:
                raise ValueError(f"ballot {n}: unknown option {option!r}")
            i = index[option]
            if i in taken:
                verb = "ranked" if method in RANKED_METHODS else "approved"
                raise ValueError(f"ballot {n}: option {option!r} {verb} twice")
            taken.add(i)
            picked.append(i)
        out.append(tuple(picked) if method in RANKED_METHODS else tuple(sorted(picked)))
    return out


def validate(election: Election, ballots: Sequence[Ballot]) -> None:
    """Raise ValueError naming the first bad ballot (by index) and what is wrong with it."""
    _normalise(election, ballots)


# --------------------------------------------------------------------------------------------------------------
# Tie breaking.


def hash_order(round_id: str, options: Sequence[str]) -> list[str]:
    """The last-resort tie-break order for a round: earliest is preferred, latest is excluded first."""
    return sorted(options, key=lambda o: hashlib.sha256(f"{round_id}\x1f{o}".encode()).hexdigest())


class _TieBreaker:
    def __init__(self, election: Election) -> None:
        order = hash_order(election.round_id, election.options)
        position = {o: i for i, o in enumerate(order)}
        self.rank = [position[o] for o in election.options]
        self.options = election.options
        self.log: list[dict[str, Any]] = []

    def pick(self, tied: list[int], history: list[list[int]], *, highest: bool, stage: int, kind: str) -> int:
        """Choose one of ``tied`` (equal now): backwards through earlier stages, then the hash order."""
        if len(tied) == 1:
            return tied[0]
        group = sorted(tied)
        rule = "hash order"
        for back in range(len(history) - 2, -1, -1):
            values = history[back]
            best = max(values[c] for c in group) if highest else min(values[c] for c in group)
            narrowed = [c for c in group if values[c] == best]
            if len(narrowed) < len(group):
                group = narrowed
                if len(group) == 1:
                    rule = f"stage {back + 1} totals"
                    break
        if len(group) > 1:
            group.sort(key=lambda c: self.rank[c])
            chosen = group[0] if highest else group[-1]
        else:
            chosen = group[0]
        self.log.append(
            {
                "stage": stage,
                "kind": kind,
                "tied": [self.options[c] for c in sorted(tied)],
                "chosen": self.options[chosen],
                "rule": rule,
            }
        )
        return chosen

    def order(
        self, candidates: list[int], values: list[int], history: list[list[int]], *, stage: int, kind: str
    ) -> list[int]:
        """Sort by value, highest first, resolving each tie with ``pick`` (recorded)."""
        remaining = list(candidates)
        out: list[int] = []
        while remaining:
            top = max(values[c] for c in remaining)
            tied = [c for c in remaining if values[c] == top]
            chosen = self.pick(tied, history, highest=True, stage=stage, kind=kind) if len(tied) > 1 else tied[0]
            out.append(chosen)
            remaining.remove(chosen)
        return out


def _mark_affecting(log: list[dict[str, Any]], winners: set[str]) -> None:
    """A tie break decides who wins only when the tied options straddle the seats boundary."""
    for entry in log:
        inside = sum(1 for o in entry["tied"] if o in winners)
        entry["affects_winners"] = 0 < inside < len(entry["tied"])


def _votes(units: int) -> float:
    return units / SCALE


# --------------------------------------------------------------------------------------------------------------
# Transfer engines: where each ballot currently sits. Two engines with identical integer semantics.


class _PyEngine:
    """Plain Python: ballot groups (identical ranking and per-ballot value) kept in one pile per option."""

    def __init__(self, rankings: list[tuple[int, ...]], weights: list[int], counts: list[int], k: int) -> None:
        self.r = rankings
        self.w = list(weights)
        self.m = counts
        self.pos = [0] * len(rankings)
        self.piles: list[list[int]] = [[] for _ in range(k)]
        self.value = [0] * k
        self.continuing = [True] * k
        for g, ranking in enumerate(rankings):
            first = ranking[0]
            self.piles[first].append(g)
            self.value[first] += counts[g] * self.w[g]

    def totals(self) -> list[int]:
        return list(self.value)

    def remove(self, c: int) -> None:
        self.continuing[c] = False

    def move(self, c: int, tv: int | None) -> tuple[dict[int, int], int, bool]:
        """Pass every ballot held by ``c`` on; with ``tv`` re-value each first (floor(w * tv / TV_SCALE))."""
        pile, self.piles[c], self.value[c] = self.piles[c], [], 0
        uniform = len({self.w[g] for g in pile}) <= 1
        moved: dict[int, int] = {}
        exhausted = 0
        cont, r, w, m, pos, piles, value = self.continuing, self.r, self.w, self.m, self.pos, self.piles, self.value
        for g in pile:
            if tv is not None:
                w[g] = w[g] * tv // TV_SCALE
            ranking = r[g]
            p = pos[g] + 1
            n = len(ranking)
            while p < n and not cont[ranking[p]]:
                p += 1
            pos[g] = p
            val = m[g] * w[g]
            if p < n:
                d = ranking[p]
                piles[d].append(g)
                if val:
                    value[d] += val
                    moved[d] = moved.get(d, 0) + val
            else:
                exhausted += val
        return moved, exhausted, uniform


class _NpEngine:
    """numpy: one row per ballot (or group), a pointer to its current preference, vectorised transfers.

    The rankings array is used as given when it already ends in a -1 column (else copied once with one): -1 marks
    "no further preference", and the continuing mask has one extra slot at the end so that ``cont[-1]`` - the
    sentinel - reads as a stop.
    """

    def __init__(self, rankings: Any, weights: Any, counts: Any | None, k: int) -> None:
        import numpy as np

        self.np = np
        if rankings.shape[1] == 0 or (rankings[:, -1] >= 0).any():
            # one extra column of -1 so that stepping past the last preference always reads the sentinel
            padded = np.full((rankings.shape[0], rankings.shape[1] + 1), -1, dtype=rankings.dtype)
            padded[:, :-1] = rankings
            rankings = padded
        self.width = rankings.shape[1]
        self.flat = np.ascontiguousarray(rankings).reshape(-1)
        self.k = k
        self.w = np.asarray(weights, dtype=np.int64).copy()
        self.m = None if counts is None else np.asarray(counts, dtype=np.int64)
        self.pos = np.zeros(rankings.shape[0], dtype=np.intp)
        self.cur = rankings[:, 0].astype(np.intp)
        self.cont = np.ones(k + 1, dtype=bool)
        values = self.w if self.m is None else self.w * self.m
        if int(values.sum()) >= 2**53:
            raise ValueError("total vote value too large for exact float accumulation")
        self.value = self._bincount(self.cur, values)

    def _bincount(self, where: Any, values: Any) -> Any:
        np = self.np
        # -1 (exhausted) lands in slot k; values are integers and every partial sum stays below 2**53, so the
        # float accumulation in bincount is exact
        return np.rint(np.bincount(where % (self.k + 1), weights=values, minlength=self.k + 1)).astype(np.int64)

    def totals(self) -> list[int]:
        return [int(v) for v in self.value[: self.k]]

    def remove(self, c: int) -> None:
        self.cont[c] = False

    def move(self, c: int, tv: int | None) -> tuple[dict[int, int], int, bool]:
        np = self.np
        idx = np.flatnonzero(self.cur == c)
        ws = self.w[idx]
        uniform = bool(ws.size == 0 or ws.min() == ws.max())
        if tv is not None:
            # floor(w * tv / TV_SCALE) without overflowing int64: split w into high and low parts
            ws = (ws // TV_SCALE) * tv + ((ws % TV_SCALE) * tv) // TV_SCALE
            self.w[idx] = ws
        # advance each ballot to its next continuing preference, compacting the still-moving set each step
        ids, p = idx, self.pos[idx]
        base = ids * self.width
        while ids.size:
            p = p + 1
            c_now = self.flat.take(base + p)
            stop = self.cont.take(c_now)
            done = ids[stop]
            self.pos[done] = p[stop]
            self.cur[done] = c_now[stop]
            keep = ~stop
            ids, p, base = ids[keep], p[keep], base[keep]
        cur = self.cur[idx]
        moved_all = self._bincount(cur, ws if self.m is None else ws * self.m[idx])
        self.value[c] = 0
        self.value += moved_all
        self.value[self.k] = 0
        moved = {int(d): int(v) for d, v in enumerate(moved_all[: self.k]) if v}
        return moved, int(moved_all[self.k]), uniform


# --------------------------------------------------------------------------------------------------------------
# The counts.


def _named(
    election: Election, values: Mapping[int, int] | Sequence[int], among: Iterable[int] | None = None
) -> dict[str, float]:
    if isinstance(values, Mapping):
        return {election.options[c]: _votes(v) for c, v in sorted(values.items())}
    chosen = range(len(values)) if among is None else sorted(among)
    return {election.options[c]: _votes(values[c]) for c in chosen}


def _irv(
    election: Election, engine: Any, tb: _TieBreaker
) -> tuple[tuple[int, ...], list[int], list[dict[str, Any]], dict[int, int], None]:
    k = len(election.options)
    continuing = list(range(k))
    excluded: list[int] = []
    history: list[list[int]] = []
    steps: list[dict[str, Any]] = []
    exhausted = 0
    winner: int | None = None
    while True:
        totals = engine.totals()
        history.append(totals)
        stage = len(history)
        active = sum(totals[c] for c in continuing)
        step: dict[str, Any] = {
            "stage": stage,
            "tallies": _named(election, totals, continuing),
            "exhausted": _votes(exhausted),
        }
        steps.append(step)
        if active == 0:
            step["action"] = "no votes"
            break
        top = max(totals[c] for c in continuing)
        if len(continuing) == 1 or 2 * top > active:
            leaders = [c for c in continuing if totals[c] == top]
            winner = tb.pick(leaders, history, highest=True, stage=stage, kind="elect")
            step.update(action="elect", option=election.options[winner])
            break
        low = min(totals[c] for c in continuing)
        lowest = [c for c in continuing if totals[c] == low]
        out = tb.pick(lowest, history, highest=False, stage=stage, kind="exclude")
        continuing.remove(out)
        excluded.append(out)
        engine.remove(out)
        moved, lost, _uniform = engine.move(out, None)
        exhausted += lost
        step.update(
            action="exclude", option=election.options[out], transfers=_named(election, moved), to_exhausted=_votes(lost)
        )
    final = history[-1]
    rest = [c for c in continuing if c != winner]
    order = tb.order(rest, final, history, stage=len(history), kind="order")
    ranking = ([winner] if winner is not None else []) + order + excluded[::-1]
    winners = (winner,) if winner is not None else ()
    return winners, ranking, steps, dict(enumerate(final)), None


def _stv(
    election: Election, engine: Any, tb: _TieBreaker, total_value: int
) -> tuple[tuple[int, ...], list[int], list[dict[str, Any]], dict[int, int], int]:
    k = len(election.options)
    seats = election.seats
    quota = (total_value // (SCALE * (seats + 1)) + 1) * SCALE
    continuing = list(range(k))
    elected: list[int] = []
    excluded: list[int] = []
    pending: list[int] = []
    settled: dict[int, int] = {}  # value shown for an elected option once its surplus has gone
    history: list[list[int]] = []
    steps: list[dict[str, Any]] = []
    exhausted = 0
    lost_to_rounding = 0
    if total_value == 0:
        steps.append({"stage": 1, "tallies": _named(election, [0] * k), "exhausted": 0.0, "action": "no votes"})
        return (), list(range(k)), steps, dict.fromkeys(range(k), 0), quota
    while True:
        totals = engine.totals()
        for c, v in settled.items():
            totals[c] = v
        history.append(totals)
        stage = len(history)
        step: dict[str, Any] = {
            "stage": stage,
            "tallies": _named(election, totals, continuing + elected),
            "exhausted": _votes(exhausted),
        }
        steps.append(step)
        reached = [c for c in continuing if totals[c] >= quota]
        newly = tb.order(reached, totals, history, stage=stage, kind="elect order") if len(reached) > 1 else reached
        for c in newly:
            continuing.remove(c)
            engine.remove(c)
            elected.append(c)
            pending.append(c)
        if newly:
            step["elected"] = [election.options[c] for c in newly]
        if len(elected) >= seats:
            step["action"] = "seats filled"
            break
        if len(continuing) <= seats - len(elected):
            rest = tb.order(continuing, totals, history, stage=stage, kind="elect order")
            elected.extend(rest)
            continuing = []
            step.update(action="elect remaining", elected=step.get("elected", []) + [election.options[c] for c in rest])
            break
        for c in [c for c in pending if totals[c] == quota]:
            pending.remove(c)  # exactly a quota: nothing to transfer, and no stage of its own
            settled[c] = quota
        if pending:
            biggest = max(totals[c] - quota for c in pending)
            candidates = [c for c in pending if totals[c] - quota == biggest]
            c = (
                tb.pick(candidates, history, highest=True, stage=stage, kind="surplus")
                if len(candidates) > 1
                else candidates[0]
            )
            pending.remove(c)
            held = totals[c]
            surplus = held - quota
            tv = surplus * TV_SCALE // held if held else 0
            moved, lost, uniform = engine.move(c, tv)
            shortfall = surplus - sum(moved.values()) - lost
            exhausted += lost
            lost_to_rounding += shortfall
            settled[c] = quota
            step.update(
                action="surplus",
                option=election.options[c],
                surplus=_votes(surplus),
                transfer_value=tv / TV_SCALE,
                transfers=_named(election, moved),
                to_exhausted=_votes(lost),
                lost_to_rounding=_votes(shortfall),
                values_uniform=uniform,
            )
            continue
        low = min(totals[c] for c in continuing)
        lowest = [c for c in continuing if totals[c] == low]
        out = tb.pick(lowest, history, highest=False, stage=stage, kind="exclude") if len(lowest) > 1 else lowest[0]
        continuing.remove(out)
        excluded.append(out)
        engine.remove(out)
        moved, lost, uniform = engine.move(out, None)
        exhausted += lost
        step.update(
            action="exclude",
            option=election.options[out],
            transfers=_named(election, moved),
            to_exhausted=_votes(lost),
            values_uniform=uniform,
        )
    final = history[-1]
    rest = tb.order(continuing, final, history, stage=len(history), kind="order") if continuing else []
    ranking = elected + rest + excluded[::-1]
    if lost_to_rounding:
        steps[-1]["lost_to_rounding_total"] = _votes(lost_to_rounding)
    return tuple(elected), ranking, steps, dict(enumerate(final)), quota


def _count_ranked_groups(
    election: Election,
    rankings: list[tuple[int, ...]],
    weights: list[int],
    counts: list[int],
    backend: str,
) -> tuple[tuple[int, ...], list[int], list[dict[str, Any]], dict[int, int], int | None, list[dict[str, Any]]]:
    """IRV/STV over grouped, non-blank ballots (per-ballot integer weight, multiplicity)."""
    k = len(election.options)
    tb = _TieBreaker(election)
    use_numpy = backend == "numpy" or (backend == "auto" and len(rankings) > NUMPY_THRESHOLD and _have_numpy())
    if use_numpy and rankings:
        import numpy as np

        width = max(len(r) for r in rankings)
        arr = np.full((len(rankings), width), -1, dtype=np.int8 if k < 127 else np.int16)
        for i, r in enumerate(rankings):
            arr[i, : len(r)] = r
        engine: Any = _NpEngine(arr, np.asarray(weights, dtype=np.int64), np.asarray(counts, dtype=np.int64), k)
    else:
        engine = _PyEngine(rankings, weights, counts, k)
    total_value = sum(w * m for w, m in zip(weights, counts, strict=True))
    if election.method is Method.IRV:
        winners, ranking, steps, finals, quota = _irv(election, engine, tb)
    else:
        winners, ranking, steps, finals, quota = _stv(election, engine, tb, total_value)
    return winners, ranking, steps, finals, quota, tb.log


def _have_numpy() -> bool:
    try:
        import numpy  # noqa: F401
    except ImportError:  # pragma: no cover - the re-count runs without it
        return False
    return True


def _count(election: Election, marks: list[tuple[int, ...]], weights: list[int], backend: str) -> Result:
    """Count normalised ballots (``_normalise`` output) with per-ballot integer weights."""
    k = len(election.options)
    method = election.method
    blank = sum(1 for m in marks if (not m if method is not Method.SCORE else not any(m)))
    base = dict(
        round_id=election.round_id,
        method=str(method),
        seats=election.seats,
        options=election.options,
        ballots=len(marks),
        blank=blank,
    )
    tb = _TieBreaker(election)
    if method in (Method.APPROVAL, Method.SCORE, Method.BORDA):
        totals = [0] * k
        grouped = Counter(zip(marks, weights, strict=True))
        for (m, w), n in grouped.items():
            value = w * n
            if method is Method.APPROVAL:
                for c in m:
                    totals[c] += value
            elif method is Method.SCORE:
                for c, s in enumerate(m):
                    if s:
                        totals[c] += value * s
            else:
                points = len(m)
                for c in m:
                    totals[c] += value * points
                    points -= 1
        order = tb.order(list(range(k)), totals, [totals], stage=1, kind="order")
        winners = tuple(order[: election.seats])
        _mark_affecting(tb.log, {election.options[c] for c in order[: election.seats]})
        steps = [{"stage": 1, "tallies": _named(election, totals), "action": "rank"}]
        return Result(
            **base,
            winners=tuple(election.options[c] for c in winners),
            ranking=tuple(election.options[c] for c in order),
            totals=_named(election, totals),
            steps=steps,
            tie_breaks=tb.log,
        )
    grouped = Counter((m, w) for m, w in zip(marks, weights, strict=True) if m)
    rankings = [m for m, _ in grouped]
    group_weights = [w for _, w in grouped]
    counts = list(grouped.values())
    winners, ranking, steps, finals, quota, log = _count_ranked_groups(
        election, rankings, group_weights, counts, backend
    )
    return Result(
        **base,
        winners=tuple(election.options[c] for c in winners),
        ranking=tuple(election.options[c] for c in ranking),
        totals=_named(election, finals),
        quota=_votes(quota) if quota is not None else None,
        steps=steps,
        tie_breaks=log,
    )


# --------------------------------------------------------------------------------------------------------------
# Public API.


def tally(election: Election, ballots: Sequence[Ballot], *, backend: str = "auto") -> Result:
    """Count every ballot at one vote. ``backend``: "auto", "python" or "numpy" - all give identical results."""
    marks = _normalise(election, ballots)
    return _count(election, marks, [SCALE] * len(marks), backend)


def constituency_of(ballot: Ballot) -> str:
    return ballot.constituency or UNDECLARED


def balanced_weights(constituencies: Sequence[str]) -> list[int]:
    """Per-ballot value so every constituency carries the same total T, about N / C votes.

    T = SCALE * N / C rounded to a multiple of the lcm of the constituency sizes when that lcm is small enough, so
    every constituency carries *exactly* T (an exact tie stays a tie and goes to the documented tie break);
    otherwise each ballot carries floor(SCALE * N / (C * n_c)) units and a constituency may carry up to n_c units
    (n_c millionths of a vote) less than another - far below one vote.
    """
    sizes = Counter(constituencies)
    n, c = len(constituencies), len(sizes)
    if not n:
        return []
    target = SCALE * n // c
    common = math.lcm(*sizes.values())
    if common <= target:
        total = max(common, (target + common // 2) // common * common)
        per = {name: total // size for name, size in sizes.items()}
    else:
        per = {name: (SCALE * n) // (c * size) for name, size in sizes.items()}
    return [per[name] for name in constituencies]


def tally_balanced(election: Election, ballots: Sequence[Ballot], *, backend: str = "auto") -> Result:
    """Count with constituency-balanced ballot values (see the module docstring)."""
    marks = _normalise(election, ballots)
    return _count(election, marks, balanced_weights([constituency_of(b) for b in ballots]), backend)


def tally_by_constituency(
    election: Election, ballots: Sequence[Ballot], *, backend: str = "auto"
) -> dict[str, Result | Suppressed]:
    """Each constituency counted alone; fewer than MIN_BREAKDOWN ballots -> Suppressed, so no small group is exposed."""
    _normalise(election, ballots)  # report the bad ballot by its index in the whole list
    groups: dict[str, list[Ballot]] = {}
    for b in ballots:
        groups.setdefault(constituency_of(b), []).append(b)
    out: dict[str, Result | Suppressed] = {}
    for name in sorted(groups):
        members = groups[name]
        if len(members) < MIN_BREAKDOWN:
            out[name] = Suppressed(
                ballots=len(members),
                reason=(
                    f"fewer than {MIN_BREAKDOWN} ballots in this constituency; "
                    "withheld so its members' choices cannot be inferred"
                ),
            )
        else:
            out[name] = tally(election, members, backend=backend)
    return out


def disagreements(raw: Result, balanced: Result) -> list[str]:
    """Plain-language differences between two results of the same election (empty when they agree)."""
    notes: list[str] = []
    if set(raw.winners) != set(balanced.winners):
        only_raw = [w for w in raw.winners if w not in balanced.winners]
        only_bal = [w for w in balanced.winners if w not in raw.winners]
        notes.append(f"different winners: raw only {only_raw}, balanced only {only_bal}")
    elif raw.winners != balanced.winners:
        notes.append(f"same winners in a different order: raw {list(raw.winners)}, balanced {list(balanced.winners)}")
    if raw.ranking != balanced.ranking:
        moved = [o for i, o in enumerate(raw.ranking) if balanced.ranking[i] != o]
        notes.append(f"different full ranking: positions differ for {moved}")
    return notes


def report(election: Election, ballots: Sequence[Ballot], *, backend: str = "auto") -> Report:
    raw = tally(election, ballots, backend=backend)
    balanced = tally_balanced(election, ballots, backend=backend)
    return Report(
        raw=raw,
        balanced=balanced,
        by_constituency=tally_by_constituency(election, ballots, backend=backend),
        disagreements=disagreements(raw, balanced),
    )


def count_ranked_array(election: Election, rankings: Any, weights: Any = None) -> Result:
    """The tally core for big ranked counts: ``rankings`` an (N, L) int array of option indices, -1 padded.

    Skips object construction and validation beyond a range check - the caller (the database path, the bench) has
    already validated. Results are identical to ``tally`` on the same ballots.
    """
    import numpy as np

    if election.method not in (Method.IRV, Method.STV):
        raise ValueError("count_ranked_array counts IRV and STV")
    k = len(election.options)
    rankings = np.asarray(rankings)
    if rankings.size and (rankings.max() >= k or rankings.min() < -1):
        raise ValueError("rankings hold an index outside the options")
    n = rankings.shape[0]
    w = np.full(n, SCALE, dtype=np.int64) if weights is None else np.asarray(weights, dtype=np.int64)
    nonblank = rankings[:, 0] >= 0 if rankings.shape[1] else np.zeros(n, dtype=bool)
    tb = _TieBreaker(election)
    rk, wk = (rankings, w) if nonblank.all() else (rankings[nonblank], w[nonblank])
    engine = _NpEngine(rk, wk, None, k)
    total_value = int(wk.sum())
    if election.method is Method.IRV:
        winners, ranking, steps, finals, quota = _irv(election, engine, tb)
    else:
        winners, ranking, steps, finals, quota = _stv(election, engine, tb, total_value)
    return Result(
        round_id=election.round_id,
        method=str(election.method),
        seats=election.seats,
        options=election.options,
        ballots=n,
        blank=int(n - nonblank.sum()),
        winners=tuple(election.options[c] for c in winners),
        ranking=tuple(election.options[c] for c in ranking),
        totals=_named(election, finals),
        quota=_votes(quota) if quota is not None else None,
        steps=steps,
        tie_breaks=tb.log,
    )


# --------------------------------------------------------------------------------------------------------------
# Receipts and the published ballot set.


def canonical_marks(election: Election, ballot: Ballot) -> str:
    """A ballot's marks as one canonical string: ``a>b>c`` (ranked), ``a|b`` (approval), ``a=5|b=3`` (score)."""
    if election.method is Method.SCORE:
        return "|".join(f"{o}={s}" for o, s in sorted(ballot.marks))
    if election.method is Method.APPROVAL:
        return "|".join(sorted(ballot.marks))
    return ">".join(ballot.marks)


def parse_marks(election: Election, text: str) -> tuple[Any, ...]:
    """Inverse of ``canonical_marks`` (values are checked later by validation)."""
    if not text:
        return ()
    if election.method is Method.SCORE:
        pairs = []
        for part in text.split("|"):
            option, _, score = part.partition("=")
            try:
                pairs.append((option, int(score)))
            except ValueError:
                raise ValueError(f"score mark {part!r} is not option=integer") from None
        return tuple(pairs)
    return tuple(text.split("|" if election.method is Method.APPROVAL else ">"))


def receipt(round_id: str, marks: str, salt: str) -> str:
    """A voter's receipt: sha256 of the round, their canonical marks and a secret salt only they are shown."""
    return hashlib.sha256(f"{round_id}\x1f{marks}\x1f{salt}".encode()).hexdigest()


def ballot_set_hash(election: Election, ballots: Iterable[Ballot]) -> str:
    """sha256 over the sorted lines ``receipt,constituency,marks`` - the published commitment to the ballot set."""
    lines = sorted(f"{b.receipt},{constituency_of(b)},{canonical_marks(election, b)}" for b in ballots)
    digest = hashlib.sha256(
        f"{election.round_id}\x1f{election.method}\x1f{election.seats}\x1f{'|'.join(election.options)}\n".encode()
    )
    for line in lines:
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


EXPORT_FORMAT = "innovatorium-ballots/1"
CSV_COLUMNS = ("round_id", "method", "seats", "options", "receipt", "constituency", "marks")


def _json_marks(election: Election, ballot: Ballot) -> list[str] | dict[str, int]:
    if election.method is Method.SCORE:
        return dict(ballot.marks)
    return sorted(ballot.marks) if election.method is Method.APPROVAL else list(ballot.marks)


def export_ballots(election: Election, ballots: Sequence[Ballot], fmt: str = "json") -> str:
    """The published, anonymised ballot list (format described in ``tools/recount.py``), sorted by receipt."""
    ordered = sorted(ballots, key=lambda b: (b.receipt, canonical_marks(election, b)))
    if fmt == "json":
        data = {
            "format": EXPORT_FORMAT,
            "round_id": election.round_id,
            "method": str(election.method),
            "seats": election.seats,
            "options": list(election.options),
            "ballot_set_hash": ballot_set_hash(election, ballots),
            "ballots": [
                {"receipt": b.receipt, "constituency": constituency_of(b), "marks": _json_marks(election, b)}
                for b in ordered
            ],
        }
        return json.dumps(data, indent=1, sort_keys=True) + "\n"
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}")
    import csv
    import io

    for option in election.options:
        if any(ch in option for ch in "|>="):
            raise ValueError(f"option id {option!r} cannot be written to CSV (contains | > or =)")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    head = [election.round_id, str(election.method), election.seats, "|".join(election.options)]
    for b in ordered:
        writer.writerow([*head, b.receipt, constituency_of(b), canonical_marks(election, b)])
    return out.getvalue()


def load_export(text: str) -> tuple[Election, list[Ballot], str | None]:
    """Read a JSON or CSV ballot export: (election, ballots, the ballot-set hash it declares or None)."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        data = json.loads(text)
        if data.get("format") != EXPORT_FORMAT:
            raise ValueError(f"not an {EXPORT_FORMAT} export")
        election = Election(data["round_id"], Method(data["method"]), tuple(data["options"]), int(data["seats"]))
        ballots = []
        for n, row in enumerate(data["ballots"]):
            marks = row["marks"]
            if not isinstance(marks, (list, dict)):
                raise ValueError(f"ballot {n}: marks must be a list (ranked, approval) or an object (score)")
            ballots.append(
                Ballot(tuple(marks) if isinstance(marks, list) else marks, row["constituency"], row["receipt"])
            )
        return election, ballots, data.get("ballot_set_hash")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(rows[0]) != CSV_COLUMNS:
        raise ValueError(f"CSV export must start with the header {','.join(CSV_COLUMNS)}")
    if len(rows) < 2:
        raise ValueError("a CSV export with no ballots cannot name its round; use the JSON export")
    head = rows[1][:4]
    election = Election(head[0], Method(head[1]), tuple(head[3].split("|")), int(head[2]))
    ballots = []
    for line, row in enumerate(rows[1:], start=2):
        if row[:4] != head:
            raise ValueError(f"CSV line {line}: round columns differ from line 2")
        ballots.append(Ballot(parse_marks(election, row[6]), row[5], row[4]))
    return election, ballots, None


# --------------------------------------------------------------------------------------------------------------
# An accumulator for a round that is open: cast, change, withdraw, close.


class Tally:
    """Ballots of an open round, keyed by an opaque ballot key; ``result()`` always equals a full recount.

    Why an accumulator: the round page shows live results while voting is open, and recounting a large round on
    every page view is wasteful. Identical ballots are kept as one counted group (so a recount is over distinct
    ballots only) and approval/score/Borda totals are kept up to date incrementally; the ranked counts re-run
    over the groups, cached until the next change. ``close()`` freezes it.
    """

    def __init__(self, election: Election, *, backend: str = "auto") -> None:
        self.election = election
        self.backend = backend
        self.closed = False
        self._ballots: dict[str, Ballot] = {}
        self._marks: dict[str, tuple[int, ...]] = {}
        self._groups: Counter[tuple[tuple[int, ...], str]] = Counter()
        self._totals = [0] * len(election.options)
        self._cache: Result | None = None

    def __len__(self) -> int:
        return len(self._ballots)

    def _points(self, marks: tuple[int, ...], sign: int) -> None:
        method = self.election.method
        if method is Method.APPROVAL:
            for c in marks:
                self._totals[c] += sign * SCALE
        elif method is Method.SCORE:
            for c, s in enumerate(marks):
                self._totals[c] += sign * s * SCALE
        elif method is Method.BORDA:
            points = len(marks)
            for c in marks:
                self._totals[c] += sign * points * SCALE
                points -= 1

    def cast(self, key: str, ballot: Ballot) -> None:
        """Cast or replace the ballot stored under ``key`` (one ballot per voter: a new one replaces the old)."""
        if self.closed:
            raise RuntimeError("the round is closed; ballots can no longer be cast or changed")
        try:
            marks = _normalise(self.election, [ballot])[0]
        except ValueError as error:
            raise ValueError(str(error).replace("ballot 0:", f"ballot {key!r}:", 1)) from None
        if key in self._ballots:
            self.withdraw(key)
        self._ballots[key] = ballot
        self._marks[key] = marks
        self._groups[(marks, constituency_of(ballot))] += 1
        self._points(marks, +1)
        self._cache = None

    def withdraw(self, key: str) -> None:
        if self.closed:
            raise RuntimeError("the round is closed; ballots can no longer be withdrawn")
        ballot = self._ballots.pop(key)
        marks = self._marks.pop(key)
        group = (marks, constituency_of(ballot))
        self._groups[group] -= 1
        if not self._groups[group]:
            del self._groups[group]
        self._points(marks, -1)
        self._cache = None

    def close(self) -> Result:
        self.closed = True
        return self.result()

    def ballots(self) -> list[Ballot]:
        return list(self._ballots.values())

    def result(self) -> Result:
        if self._cache is not None:
            return self._cache
        election = self.election
        marks: list[tuple[int, ...]] = []
        counts: list[int] = []
        for (m, _constituency), n in self._groups.items():
            marks.append(m)
            counts.append(n)
        if election.method in RANKED_METHODS - {Method.BORDA}:
            nonblank = [(m, n) for m, n in zip(marks, counts, strict=True) if m]
            merged: Counter[tuple[int, ...]] = Counter()
            for m, n in nonblank:
                merged[m] += n
            winners, ranking, steps, finals, quota, log = _count_ranked_groups(
                election, list(merged), [SCALE] * len(merged), list(merged.values()), self.backend
            )
            total = sum(counts)
            result = Result(
                round_id=election.round_id,
                method=str(election.method),
                seats=election.seats,
                options=election.options,
                ballots=total,
                blank=total - sum(merged.values()),
                winners=tuple(election.options[c] for c in winners),
                ranking=tuple(election.options[c] for c in ranking),
                totals=_named(election, finals),
                quota=_votes(quota) if quota is not None else None,
                steps=steps,
                tie_breaks=log,
            )
        else:
            result = self._scoring_result(marks, counts)
        self._cache = result
        return result

    def _scoring_result(self, marks: list[tuple[int, ...]], counts: list[int]) -> Result:
        election = self.election
        k = len(election.options)
        tb = _TieBreaker(election)
        totals = list(self._totals)
        order = tb.order(list(range(k)), totals, [totals], stage=1, kind="order")
        blank = sum(
            n for m, n in zip(marks, counts, strict=True) if (not any(m) if election.method is Method.SCORE else not m)
        )
        _mark_affecting(tb.log, {election.options[c] for c in order[: election.seats]})
        return Result(
            round_id=election.round_id,
            method=str(election.method),
            seats=election.seats,
            options=election.options,
            ballots=sum(counts),
            blank=blank,
            winners=tuple(election.options[c] for c in order[: election.seats]),
            ranking=tuple(election.options[c] for c in order),
            totals=_named(election, totals),
            steps=[{"stage": 1, "tallies": _named(election, totals), "action": "rank"}],
            tie_breaks=tb.log,
        )

    def report(self) -> Report:
        return report(self.election, self.ballots(), backend=self.backend)
