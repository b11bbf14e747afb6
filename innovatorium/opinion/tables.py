"""What each group thinks: representative, consensus, group-aware consensus and divisive statements.

Everything is computed from one ``groups × statements × {disagree, pass, agree}`` count array, built with a
single ``np.bincount`` over the votes; every statistic is then an array operation over that small array.

Rates are smoothed with a uniform prior, ``(hits + 1) / (seen + 2)``, as Pol.is does, so a statement seen by
two people in a group does not read as 100 % agreement. "Seen" counts passes: a pass is an answer ("I don't
know"), and a statement most of a group passes on is not one that group agrees with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: One-sided 90 % critical value of the standard normal (Pol.is's significance level).
Z_90 = 1.2815515655446004


@dataclass
class RepresentativeStatement:
    """A statement on which a group agrees (or disagrees) significantly more than everyone else does."""

    statement: int
    direction: str  # "agree" or "disagree"
    group_seen: int
    group_hits: int
    rest_seen: int
    rest_hits: int
    p_group: float  # smoothed rate of ``direction`` in the group
    p_rest: float  # the same among everyone else
    ratio: float  # representativeness: p_group / p_rest
    z: float  # two-proportion z statistic, group vs rest


@dataclass
class ConsensusStatement:
    """A statement with its overall rate, one-proportion z and its group-aware consensus."""

    statement: int
    direction: str
    p_overall: float
    z: float
    group_aware: float  # product over groups of each group's smoothed rate
    group_p: list[float]


@dataclass
class DivisiveStatement:
    """A statement the groups split on: the variance of their smoothed agree rates is high."""

    statement: int
    variance: float
    group_p_agree: list[float]  # NaN-free: a group that never saw it is reported as 0.5 (the prior)


@dataclass
class StatementCounts:
    """Raw counts for one statement, per group, for the tables a page shows."""

    statement: int
    agree: list[int]
    disagree: list[int]
    passed: list[int]


@dataclass
class GroupTables:
    """The tables for one way of grouping participants (opinion clusters or declared constituencies)."""

    names: list[str]
    sizes: list[int]
    representative_agree: list[list[RepresentativeStatement]]
    representative_disagree: list[list[RepresentativeStatement]]
    consensus_agree: list[ConsensusStatement]
    consensus_disagree: list[ConsensusStatement]
    group_aware_consensus: list[ConsensusStatement]
    divisive: list[DivisiveStatement]
    counts: list[StatementCounts]
    suppressed: list[str] = field(default_factory=list)  # groups too small to report (privacy)
    unassigned: int = 0  # included participants in no reported group


def vote_counts(
    group_of_vote: np.ndarray, statements: np.ndarray, votes: np.ndarray, n_groups: int, n_statements: int
) -> np.ndarray:
    """``counts[g, j, c]`` for c = 0 disagree, 1 pass, 2 agree; votes with group < 0 are left out."""
    keep = group_of_vote >= 0
    if not keep.all():
        group_of_vote, statements, votes = group_of_vote[keep], statements[keep], votes[keep]
    index = (group_of_vote.astype(np.int64) * n_statements + statements) * 3 + (votes.astype(np.int64) + 1)
    counts = np.bincount(index, minlength=n_groups * n_statements * 3)
    return counts.reshape(n_groups, n_statements, 3)


def smoothed(hits: np.ndarray, seen: np.ndarray) -> np.ndarray:
    return (hits + 1.0) / (seen + 2.0)


def one_proportion_z(hits: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """z of the smoothed rate against 1/2: is this view held by more than half of those who answered?"""
    return (smoothed(hits, seen) - 0.5) * 2.0 * np.sqrt(seen + 2.0)


def two_proportion_z(hits1: np.ndarray, seen1: np.ndarray, hits2: np.ndarray, seen2: np.ndarray) -> np.ndarray:
    """Pooled two-proportion z on the smoothed counts (one pseudo-hit and one pseudo-miss added to each side)."""
    n1, n2 = seen1 + 2.0, seen2 + 2.0
    p1, p2 = (hits1 + 1.0) / n1, (hits2 + 1.0) / n2
    pooled = (hits1 + hits2 + 2.0) / (n1 + n2)
    return (p1 - p2) / np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))


def _top(score: np.ndarray, eligible: np.ndarray, n_top: int) -> np.ndarray:
    """Indices of the ``n_top`` eligible entries with the highest score (ties: lower statement number)."""
    candidates = np.flatnonzero(eligible)
    order = np.lexsort((candidates, -score[candidates]))
    return candidates[order[:n_top]]


def _representative(counts: np.ndarray, column: int, direction: str, n_top: int, z_crit: float) -> list[list]:
    seen = counts.sum(axis=2)
    hits = counts[:, :, column]
    rest_seen = seen.sum(axis=0) - seen
    rest_hits = hits.sum(axis=0) - hits
    p_group = smoothed(hits, seen)
    p_rest = smoothed(rest_hits, rest_seen)
    ratio = p_group / p_rest
    z = two_proportion_z(hits, seen, rest_hits, rest_seen)
    # Ranked like Pol.is's "repness": how much more the group holds the view, times how strongly it holds it.
    score = ratio * p_group
    tables = []
    for g in range(counts.shape[0]):
        eligible = (seen[g] > 0) & (rest_seen[g] > 0) & (z[g] >= z_crit)
        tables.append(
            [
                RepresentativeStatement(
                    statement=int(j),
                    direction=direction,
                    group_seen=int(seen[g, j]),
                    group_hits=int(hits[g, j]),
                    rest_seen=int(rest_seen[g, j]),
                    rest_hits=int(rest_hits[g, j]),
                    p_group=float(p_group[g, j]),
                    p_rest=float(p_rest[g, j]),
                    ratio=float(ratio[g, j]),
                    z=float(z[g, j]),
                )
                for j in _top(score[g], eligible, n_top)
            ]
        )
    return tables


def _consensus_rows(
    statements: np.ndarray, direction: str, p_all: np.ndarray, z_all: np.ndarray, gac: np.ndarray, p_g: np.ndarray
) -> list[ConsensusStatement]:
    return [
        ConsensusStatement(
            statement=int(j),
            direction=direction,
            p_overall=float(p_all[j]),
            z=float(z_all[j]),
            group_aware=float(gac[j]),
            group_p=[float(x) for x in p_g[:, j]],
        )
        for j in statements
    ]


def group_tables(
    counts: np.ndarray, names: list[str], sizes: list[int], *, n_top: int = 10, z_crit: float = Z_90
) -> GroupTables:
    """All tables from the per-group count array (see :func:`vote_counts`)."""
    n_groups, n_statements, _ = counts.shape
    seen = counts.sum(axis=2)
    total = counts.sum(axis=0)
    total_seen = total.sum(axis=1)
    answered = total_seen > 0

    if n_groups >= 2:
        rep_agree = _representative(counts, 2, "agree", n_top, z_crit)
        rep_disagree = _representative(counts, 0, "disagree", n_top, z_crit)
    else:
        rep_agree = [[] for _ in range(n_groups)]
        rep_disagree = [[] for _ in range(n_groups)]

    consensus: dict[str, list[ConsensusStatement]] = {}
    gac_rows: list[ConsensusStatement] = []
    p_agree_groups = smoothed(counts[:, :, 2], seen)
    for column, direction in ((2, "agree"), (0, "disagree")):
        p_g = smoothed(counts[:, :, column], seen)
        gac = np.prod(p_g, axis=0) if n_groups else np.zeros(n_statements)
        p_all = smoothed(total[:, column], total_seen)
        z_all = one_proportion_z(total[:, column], total_seen)
        # Consensus: a majority of every group, and of everyone significantly, hold the view.
        eligible = answered & (z_all >= z_crit) & np.all(p_g > 0.5, axis=0) & (n_groups > 0)
        consensus[direction] = _consensus_rows(_top(gac, eligible, n_top), direction, p_all, z_all, gac, p_g)
        if direction == "agree":
            gac_rows = _consensus_rows(_top(gac, answered, n_top), direction, p_all, z_all, gac, p_g)

    # Divisive: spread of the groups' agree rates, over the groups that saw the statement (at least two).
    saw = seen > 0
    n_saw = saw.sum(axis=0)
    masked = np.where(saw, p_agree_groups, 0.0)
    mean = masked.sum(axis=0) / np.maximum(n_saw, 1)
    variance = (np.where(saw, (p_agree_groups - mean) ** 2, 0.0)).sum(axis=0) / np.maximum(n_saw, 1)
    divisive = [
        DivisiveStatement(int(j), float(variance[j]), [float(x) for x in p_agree_groups[:, j]])
        for j in _top(variance, (n_saw >= 2) & (variance > 0), n_top)
    ]

    shown = sorted(
        {r.statement for table in rep_agree + rep_disagree for r in table}
        | {c.statement for c in consensus["agree"] + consensus["disagree"] + gac_rows}
        | {d.statement for d in divisive}
    )
    statement_counts = [
        StatementCounts(
            statement=j,
            agree=[int(x) for x in counts[:, j, 2]],
            disagree=[int(x) for x in counts[:, j, 0]],
            passed=[int(x) for x in counts[:, j, 1]],
        )
        for j in shown
    ]
    return GroupTables(
        names=list(names),
        sizes=[int(x) for x in sizes],
        representative_agree=rep_agree,
        representative_disagree=rep_disagree,
        consensus_agree=consensus["agree"],
        consensus_disagree=consensus["disagree"],
        group_aware_consensus=gac_rows,
        divisive=divisive,
        counts=statement_counts,
    )
