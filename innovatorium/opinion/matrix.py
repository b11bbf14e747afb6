"""The participant × statement vote matrix, built once in compressed-row (CSR) form.

Why CSR and not a dense array: a big conversation is 100,000 people × 1,000 statements, but each person sees
only a few percent of the statements. A dense float matrix would be 800 MB of mostly "did not see"; the CSR
arrays hold only the votes cast, and scipy's sparse products run over those alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

AGREE = 1
DISAGREE = -1
PASS = 0


@dataclass(frozen=True)
class VoteMatrix:
    """Deduplicated votes, sorted by participant then statement (the CSR layout).

    ``indptr[i]:indptr[i + 1]`` are participant ``i``'s votes: ``indices`` holds the statement of each and
    ``votes`` the vote (+1 agree, -1 disagree, 0 pass).
    """

    n_participants: int
    n_statements: int
    indptr: np.ndarray
    indices: np.ndarray
    votes: np.ndarray

    @property
    def n_votes(self) -> int:
        return int(self.votes.size)

    def votes_per_participant(self) -> np.ndarray:
        return np.diff(self.indptr)

    def select_rows(self, rows: np.ndarray) -> VoteMatrix:
        """The sub-matrix of the given participants (ascending indices), renumbered 0..len(rows)-1."""
        counts = np.diff(self.indptr)
        keep = np.zeros(self.n_participants, dtype=bool)
        keep[rows] = True
        nz = np.repeat(keep, counts)
        indptr = np.zeros(rows.size + 1, dtype=np.int64)
        np.cumsum(counts[rows], out=indptr[1:])
        return VoteMatrix(int(rows.size), self.n_statements, indptr, self.indices[nz], self.votes[nz])

    def row_of_each_vote(self) -> np.ndarray:
        """The participant (row) of every stored vote, for per-vote grouping with ``np.bincount``."""
        return np.repeat(np.arange(self.n_participants, dtype=np.int64), np.diff(self.indptr))

    def to_csr(self, values: np.ndarray | None = None, dtype: type = np.float32) -> sp.csr_matrix:
        """A scipy CSR matrix over the same pattern, holding ``values`` (default: the votes)."""
        data = self.votes if values is None else values
        return sp.csr_matrix(
            (data.astype(dtype, copy=False), self.indices, self.indptr),
            shape=(self.n_participants, self.n_statements),
        )


def _as_int_array(name: str, values: object) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if array.size and not (np.issubdtype(array.dtype, np.integer) or array.dtype == np.bool_):
        raise ValueError(f"{name} must hold integers, not {array.dtype}")
    return array if array.size else array.astype(np.int64)


def _stable_order(key: np.ndarray, key_bound: int) -> np.ndarray:
    """``np.argsort(key, kind="stable")``, faster when the key and the position fit in 63 bits together.

    Packing ``key << bits | position`` into one int64 and sorting the values (an in-place introsort, no
    indirection) gives the same order as a stable argsort, in a quarter of the time for 5M votes.
    """
    bits = max(int(key.size - 1).bit_length(), 1)
    if int(key_bound - 1).bit_length() + bits > 62:
        return np.argsort(key, kind="stable")
    packed = key << bits
    packed |= np.arange(key.size, dtype=np.int64)
    packed.sort()
    packed &= (1 << bits) - 1
    return packed


def build_vote_matrix(
    participants: object,
    statements: object,
    votes: object,
    n_participants: int,
    n_statements: int,
) -> VoteMatrix:
    """Validate the three parallel vote arrays and build the CSR layout.

    A participant may vote on a statement more than once (votes are changeable); the arrays are taken to
    be in the order the votes were cast, so the **last** vote counts. Already-sorted, duplicate-free input
    (what a database ``ORDER BY participant, statement`` gives) skips the sort.
    """
    p = _as_int_array("participants", participants)
    s = _as_int_array("statements", statements)
    v = _as_int_array("votes", votes)
    if not (p.size == s.size == v.size):
        raise ValueError("participants, statements and votes must have the same length")
    if n_participants < 0 or n_statements < 0:
        raise ValueError("n_participants and n_statements must not be negative")
    if p.size:
        if p.min() < 0 or p.max() >= n_participants:
            raise ValueError("participant index out of range")
        if s.min() < 0 or s.max() >= n_statements:
            raise ValueError("statement index out of range")
        if v.min() < DISAGREE or v.max() > AGREE:
            raise ValueError("votes must be +1 (agree), -1 (disagree) or 0 (pass)")

    key = p.astype(np.int64) * max(n_statements, 1) + s
    vote = v.astype(np.int8)
    if key.size > 1 and not bool(np.all(key[1:] > key[:-1])):
        order = _stable_order(key, max(n_participants * n_statements, 1))
        key = key[order]
        vote = vote[order]
        last = np.empty(key.size, dtype=bool)
        last[-1] = True
        np.not_equal(key[1:], key[:-1], out=last[:-1])
        key = key[last]
        vote = vote[last]
    rows = key // max(n_statements, 1)
    cols = (key - rows * max(n_statements, 1)).astype(np.int32)
    indptr = np.zeros(n_participants + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_participants), out=indptr[1:])
    return VoteMatrix(n_participants, n_statements, indptr, cols, vote)
