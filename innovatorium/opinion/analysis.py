"""Pol.is-style analysis of a conversation: opinion map, opinion groups, and what each group thinks.

``analyse`` takes the votes as three parallel integer arrays and returns an :class:`OpinionAnalysis` of plain
dataclasses holding lists, ints and floats, so a report page, a background task or an API can store it as
JSON (``to_dict``) without knowing numpy. The steps, and why:

1. Only participants who voted on at least ``min(7, n_statements)`` statements are placed: fewer votes say too
   little to place someone, and would pile up at the centre of the map.
2. PCA to two dimensions on the sparse matrix (see :mod:`.pca`), optionally with Pol.is's
   ``sqrt(n_statements / n_votes)`` scaling (on by default).
3. k-means on the map for k = 2..5, the k with the best silhouette kept (see :mod:`.clustering`).
4. Representative / consensus / group-aware consensus / divisive statements per group (see :mod:`.tables`),
   and the same tables with declared constituencies as the groups: the view that shows whether, say,
   patients and clinicians see a question differently, whatever the clusters say. A constituency with
   fewer than ``min_constituency_size`` placed participants is suppressed, so one person's votes cannot be
   read off a table.
"""

from __future__ import annotations

import dataclasses
import json
import string
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .clustering import choose_groups
from .matrix import build_vote_matrix
from .pca import pca_2d
from .tables import Z_90, GroupTables, group_tables, vote_counts

MIN_VOTES = 7


@dataclass
class OpinionMap:
    """What to draw: a (down-sampled, for big conversations) set of participants, and the statement axes."""

    participants: list[int]
    x: list[float]
    y: list[float]
    group: list[int]
    sampled: bool  # True when only a seeded sample of the placed participants is drawn
    centres: list[list[float]]
    statement_x: list[float]  # each statement's loading on the first axis
    statement_y: list[float]
    explained_variance_ratio: list[float]


@dataclass
class OpinionAnalysis:
    """Everything a conversation's report page needs; plain types only."""

    n_participants: int
    n_statements: int
    n_votes: int
    min_votes: int
    participants: list[int]  # the placed participants (ascending), parallel to x, y, group
    x: list[float]
    y: list[float]
    group: list[int]
    k: int
    k_tried: list[int]
    silhouettes: list[float]
    scaled_by_votes: bool
    seed: int
    pca_iterations: int
    map: OpinionMap
    clusters: GroupTables
    constituencies: GroupTables | None
    statement_agree: list[int]  # whole-conversation counts per statement, every participant
    statement_disagree: list[int]
    statement_pass: list[int]

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), allow_nan=False)


def group_name(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: the letters Pol.is uses for opinion groups."""
    letters = string.ascii_uppercase
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = letters[rest] + name
    return name


def _constituency_codes(labels: Sequence[str | None], n_participants: int) -> tuple[np.ndarray, list[str]]:
    """Factorise labels; None and "" mean undeclared (code -1)."""
    if len(labels) != n_participants:
        raise ValueError("constituencies must have one label per participant")
    text = np.array(["" if label is None else str(label) for label in labels], dtype=str)
    names, codes = np.unique(text, return_inverse=True)
    codes = codes.astype(np.int64)
    if names.size and names[0] == "":
        codes -= 1
        names = names[1:]
    return codes, [str(n) for n in names]


def analyse(
    participants: object,
    statements: object,
    votes: object,
    n_participants: int,
    n_statements: int,
    constituencies: Sequence[str | None] | None = None,
    *,
    seed: int = 0,
    scale_by_votes: bool = True,
    k_min: int = 2,
    k_max: int = 5,
    silhouette_sample: int = 5000,
    max_plot_points: int = 5000,
    n_top: int = 10,
    min_constituency_size: int = 5,
    z_crit: float = Z_90,
) -> OpinionAnalysis:
    """Analyse a conversation. ``votes[i]`` is participant ``participants[i]``'s vote on ``statements[i]``
    (+1 agree, -1 disagree, 0 pass); when one person voted twice on a statement the later entry counts.
    The same ``seed`` gives the same result.
    """
    matrix = build_vote_matrix(participants, statements, votes, n_participants, n_statements)
    seen = matrix.votes_per_participant()
    min_votes = max(1, min(MIN_VOTES, n_statements))
    placed = np.flatnonzero(seen >= min_votes)
    sub = matrix.select_rows(placed)

    projection = pca_2d(sub, seed=seed, scale_by_votes=scale_by_votes)
    coords = projection.coordinates
    clustering = choose_groups(coords, seed=seed, k_min=k_min, k_max=k_max, sample_size=silhouette_sample)
    labels = clustering.labels

    vote_rows = sub.row_of_each_vote()
    k = clustering.k
    cluster_counts = vote_counts(labels[vote_rows], sub.indices, sub.votes, k, n_statements)
    clusters = group_tables(
        cluster_counts,
        [group_name(g) for g in range(k)],
        np.bincount(labels, minlength=k).tolist(),
        n_top=n_top,
        z_crit=z_crit,
    )

    constituency_tables = None
    if constituencies is not None:
        codes, names = _constituency_codes(constituencies, n_participants)
        placed_codes = codes[placed]
        sizes = np.bincount(placed_codes[placed_codes >= 0], minlength=len(names))
        shown = sizes >= min_constituency_size
        renumber = np.full(len(names) + 1, -1, dtype=np.int64)  # last slot maps undeclared (-1) to -1
        renumber[np.flatnonzero(shown)] = np.arange(int(shown.sum()))
        row_group = renumber[placed_codes]
        kept = [n for n, s in zip(names, shown, strict=True) if s]
        counts = vote_counts(row_group[vote_rows], sub.indices, sub.votes, len(kept), n_statements)
        constituency_tables = group_tables(counts, kept, sizes[shown].tolist(), n_top=n_top, z_crit=z_crit)
        constituency_tables.suppressed = [n for n, s in zip(names, shown, strict=True) if not s]
        constituency_tables.unassigned = int((row_group < 0).sum())

    n_placed = placed.size
    if n_placed > max_plot_points:
        rng = np.random.default_rng([seed, 1])
        drawn = np.sort(rng.choice(n_placed, size=max_plot_points, replace=False))
    else:
        drawn = np.arange(n_placed)
    opinion_map = OpinionMap(
        participants=placed[drawn].tolist(),
        x=coords[drawn, 0].tolist(),
        y=coords[drawn, 1].tolist(),
        group=labels[drawn].tolist(),
        sampled=bool(n_placed > max_plot_points),
        centres=clustering.centres.tolist(),
        statement_x=projection.components[0].tolist(),
        statement_y=projection.components[1].tolist(),
        explained_variance_ratio=projection.explained_variance_ratio.tolist(),
    )

    totals = vote_counts(np.zeros(matrix.n_votes, dtype=np.int64), matrix.indices, matrix.votes, 1, n_statements)[0]
    return OpinionAnalysis(
        n_participants=n_participants,
        n_statements=n_statements,
        n_votes=matrix.n_votes,
        min_votes=min_votes,
        participants=placed.tolist(),
        x=coords[:, 0].tolist(),
        y=coords[:, 1].tolist(),
        group=labels.tolist(),
        k=k,
        k_tried=clustering.k_tried,
        silhouettes=clustering.silhouettes,
        scaled_by_votes=scale_by_votes,
        seed=seed,
        pca_iterations=projection.iterations,
        map=opinion_map,
        clusters=clusters,
        constituencies=constituency_tables,
        statement_agree=totals[:, 2].tolist(),
        statement_disagree=totals[:, 0].tolist(),
        statement_pass=totals[:, 1].tolist(),
    )
