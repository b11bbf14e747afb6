"""An inverted index of one kind of document held in memory, for matching and ranking on PostgreSQL. Framework-free.

Why: PostgreSQL's GIN index finds the rows that match, but reading each match's id means visiting its heap row,
and ranking means reading and scoring each candidate's tsvector. At national scale that was two thirds of an
uncached search (about 15 ms of 24). This index answers both from numpy arrays built from the same tsvectors,
so a search asks the database only for the page of hits it shows (titles and snippets).

It holds, for every lexeme, the ids of the documents containing it and a weighted term frequency, and every
document's length in tokens. A query is a list of terms, every one of which must match (`query.parse` ANDs
words); a term is a lexeme or a lexeme prefix. Phrases need word positions, which this index does not keep, so
a query with a phrase is answered by PostgreSQL as before.

Ranking is BM25 as SQLite's FTS5 computes it with `bm25(10.0, 1.0)` (see migrations/0002), so both databases
rank alike: a term's frequency in a document is 10 × (1 if it is in the title) + its count in the body, and a
document's length is its number of indexed tokens.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0


@dataclass(frozen=True)
class Term:
    lexeme: str
    prefix: bool = False  # also every lexeme that begins with this one


@dataclass(frozen=True)
class TextIndex:
    token: int | None
    lexemes: tuple[str, ...]  # sorted
    starts: np.ndarray  # int64, len(lexemes) + 1: postings of lexeme k are [starts[k], starts[k + 1])
    ids: np.ndarray  # document ids (int32 while they fit, else int64), ascending within each lexeme
    frequency: np.ndarray  # uint16 weighted term frequency (at most 10 + 255), parallel to `ids`
    doc_ids: np.ndarray  # every document's id (as `ids`), ascending
    doc_length: np.ndarray  # float32 tokens per document, parallel to `doc_ids`

    @property
    def size(self) -> int:
        return len(self.doc_ids)

    @property
    def nbytes(self) -> int:
        arrays = (self.starts, self.ids, self.frequency, self.doc_ids, self.doc_length)
        return sum(array.nbytes for array in arrays)

    def _rows(self, term: Term) -> range:
        """Rows of `lexemes` the term covers: one, or a run of them for a prefix."""
        first = bisect_left(self.lexemes, term.lexeme)
        if not term.prefix:
            found = first < len(self.lexemes) and self.lexemes[first] == term.lexeme
            return range(first, first + 1) if found else range(0)
        last = bisect_left(self.lexemes, term.lexeme + "\U0010ffff", lo=first)
        return range(first, last)

    def postings(self, term: Term) -> tuple[np.ndarray, np.ndarray]:
        """(ids ascending, weighted frequency) of the documents the term matches."""
        rows = self._rows(term)
        if len(rows) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint16)
        if len(rows) == 1:
            k = rows[0]
            span = slice(int(self.starts[k]), int(self.starts[k + 1]))
            return self.ids[span], self.frequency[span]
        # A prefix: one document may hold several of the lexemes; their frequencies add up.
        ids = np.concatenate([self.ids[self.starts[k]:self.starts[k + 1]] for k in rows])
        frequency = np.concatenate([self.frequency[self.starts[k]:self.starts[k + 1]] for k in rows])
        unique, where = np.unique(ids, return_inverse=True)
        return unique, np.bincount(where, weights=frequency).astype(np.uint32)

    def matches(self, terms: Sequence[Term]) -> np.ndarray:
        """Ids (ascending) of the documents every term matches; no terms match nothing."""
        if not terms:
            return np.zeros(0, dtype=np.int64)
        found: np.ndarray | None = None
        for term in sorted(terms, key=self._count):  # the rarest first, so intersections stay small
            ids, _frequency = self.postings(term)
            found = ids if found is None else np.intersect1d(found, ids, assume_unique=True)
            if not len(found):
                break
        return found.astype(np.int64, copy=False)

    def _count(self, term: Term) -> int:
        rows = self._rows(term)
        return int(self.starts[rows.stop] - self.starts[rows.start]) if len(rows) else 0

    def scores(self, terms: Sequence[Term], ids: np.ndarray) -> np.ndarray:
        """BM25 of each document in `ids` (ascending, each matching every term), higher is better."""
        score = np.zeros(len(ids), dtype=np.float64)
        if not len(ids) or not self.size:
            return score
        length = self.doc_length[np.searchsorted(self.doc_ids, ids)].astype(np.float64)
        average = float(self.doc_length.mean()) or 1.0
        norm = K1 * (1 - B + B * length / average)
        for term in terms:
            term_ids, frequency = self.postings(term)
            where = np.searchsorted(term_ids, ids)
            f = frequency[np.minimum(where, len(term_ids) - 1)].astype(np.float64)
            score += idf(self.size, len(term_ids)) * (f * (K1 + 1)) / (f + norm)
        return score


def idf(documents: int, containing: int) -> float:
    """FTS5's inverse document frequency, floored just above zero as FTS5 does for very common terms."""
    value = math.log((documents - containing + 0.5) / (containing + 0.5))
    return value if value > 0 else 1e-6


def top(ids: np.ndarray, scores: np.ndarray, offset: int, limit: int) -> list[tuple[int, float]]:
    """(id, score) of ranks offset+1 … offset+limit: best score first, then the newest (highest) id."""
    wanted = offset + limit
    if wanted <= 0 or not len(ids):
        return []
    if len(ids) > wanted:  # only the best `wanted` need sorting
        keep = np.argpartition(-scores, wanted - 1)[:wanted]
        # ties at the cut must be settled by id too: keep every document scoring at least the cut's score
        cut = scores[keep].min()
        keep = np.flatnonzero(scores >= cut)
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((-ids, -scores))[offset:wanted]
    return [(int(ids[k]), float(scores[k])) for k in order]


_LEXEME = re.compile(r"'((?:[^']|'')*)'(:\*)?")
_CONJUNCTION = re.compile(r"\s*&\s*")


def terms_of(tsquery_text: str) -> list[Term] | None:
    """The terms of a PostgreSQL tsquery printed as text, when it is only lexemes (and prefixes) joined by '&':
    "'diabet' & 'app':*" gives two terms; '' (only stop words) gives none; anything else (a phrase '<->', '|',
    '!', weights) is None, for PostgreSQL to answer."""
    text = tsquery_text.strip()
    if not text:
        return []
    terms: list[Term] = []
    for part in _CONJUNCTION.split(text):
        found = _LEXEME.fullmatch(part)
        if found is None:
            return None
        terms.append(Term(lexeme=found.group(1).replace("''", "'"), prefix=bool(found.group(2))))
    return terms


def build(
    *, token: int | None, lexemes: Sequence[str], counts: np.ndarray, ids: np.ndarray, codes: np.ndarray
) -> TextIndex:
    """Build from postings grouped by lexeme in any order: `counts[k]` postings of `lexemes[k]` follow one
    another in `ids` and `codes`, where a code is the lexeme's count in the document (1–255) plus 256 when it
    is (also) in the title. A title occurrence counts TITLE_WEIGHT; every other occurrence counts once."""
    counts = np.asarray(counts, dtype=np.int64)
    ids = np.asarray(ids, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    if counts.sum() != len(ids) or len(ids) != len(codes) or len(counts) != len(lexemes):
        raise ValueError("postings do not add up: counts, ids and codes disagree")
    in_title = codes >= 256
    occurrences = codes % 256
    # the title occurrence counts TITLE_WEIGHT, every other occurrence (the body's) once
    frequency = (TITLE_WEIGHT * in_title + BODY_WEIGHT * (occurrences - in_title)).astype(np.uint16)
    doc_ids, where = np.unique(ids, return_inverse=True)
    doc_length = np.bincount(where, weights=occurrences, minlength=len(doc_ids)).astype(np.float32)
    # order postings by lexeme (alphabetically, for prefixes), then id
    order_of_lexemes = sorted(range(len(lexemes)), key=lexemes.__getitem__)
    rank_of = np.empty(len(lexemes), dtype=np.int64)
    rank_of[order_of_lexemes] = np.arange(len(lexemes))
    row = np.repeat(rank_of, counts)
    order = np.lexsort((ids, row))
    sorted_counts = counts[order_of_lexemes]
    starts = np.zeros(len(lexemes) + 1, dtype=np.int64)
    np.cumsum(sorted_counts, out=starts[1:])
    # Ids as 32-bit integers while they fit: half the memory (4.4 million postings at national scale).
    id_type = np.int32 if not len(ids) or int(ids.max()) < 2**31 else np.int64
    return TextIndex(
        token=token, lexemes=tuple(lexemes[k] for k in order_of_lexemes), starts=starts,
        ids=ids[order].astype(id_type), frequency=frequency[order], doc_ids=doc_ids.astype(id_type),
        doc_length=doc_length,
    )
