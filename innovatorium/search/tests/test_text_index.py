"""The in-memory text index on its own (no database): matching, prefixes, BM25 and the page order."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innovatorium.search import text_index as ti

WORDS = ["asthma", "asthmatic", "care", "diabet", "fall", "frail", "heart", "home"]

# A corpus: document id -> {lexeme: (occurrences, in_title)}
corpora = st.dictionaries(
    st.integers(min_value=1, max_value=400),
    st.dictionaries(
        st.sampled_from(WORDS), st.tuples(st.integers(min_value=1, max_value=255), st.booleans()), min_size=1
    ),
    max_size=40,
)
term_lists = st.lists(st.builds(ti.Term, st.sampled_from([*WORDS, "ast", "zzz", "d"]), st.booleans()), max_size=3)


def build(corpus, token=7):
    """Postings grouped by lexeme, lexemes and postings in a scrambled order, as a database may return them."""
    lexemes = sorted({lexeme for doc in corpus.values() for lexeme in doc}, reverse=True)
    counts, ids, codes = [], [], []
    for lexeme in lexemes:
        holders = sorted((doc_id for doc_id, doc in corpus.items() if lexeme in doc), reverse=True)
        counts.append(len(holders))
        for doc_id in holders:
            occurrences, in_title = corpus[doc_id][lexeme]
            ids.append(doc_id)
            codes.append(occurrences + 256 * in_title)
    return ti.build(token=token, lexemes=lexemes, counts=np.array(counts), ids=np.array(ids), codes=np.array(codes))


def covers(term, lexeme):
    return lexeme.startswith(term.lexeme) if term.prefix else lexeme == term.lexeme


def frequency(doc, term):
    """Weighted frequency of a term in one document, straight from the definition."""
    total = 0.0
    for lexeme, (occurrences, in_title) in doc.items():
        if covers(term, lexeme):
            total += ti.TITLE_WEIGHT * in_title + (occurrences - in_title)
    return total


@settings(max_examples=150, deadline=None)
@given(corpora, term_lists)
def test_matches_are_the_documents_holding_every_term(corpus, terms):
    index = build(corpus)
    expected = sorted(
        doc_id for doc_id, doc in corpus.items() if terms and all(any(covers(t, x) for x in doc) for t in terms)
    )
    assert index.matches(terms).tolist() == expected


@settings(max_examples=150, deadline=None)
@given(corpora, term_lists)
def test_scores_are_fts5_bm25_computed_from_the_definition(corpus, terms):
    index = build(corpus)
    ids = index.matches(terms)
    lengths = {doc_id: sum(occurrences for occurrences, _title in doc.values()) for doc_id, doc in corpus.items()}
    average = sum(lengths.values()) / len(lengths) if lengths else 1.0
    expected = []
    for doc_id in ids.tolist():
        score = 0.0
        for term in terms:
            containing = sum(1 for doc in corpus.values() if any(covers(term, x) for x in doc))
            value = math.log((len(corpus) - containing + 0.5) / (containing + 0.5))
            f = frequency(corpus[doc_id], term)
            score += (value if value > 0 else 1e-6) * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * lengths[doc_id] / average))
        expected.append(score)
    assert index.scores(terms, ids) == pytest.approx(expected, rel=1e-5)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.sampled_from([0.5, 1.0, 2.0, 3.5])), unique_by=lambda x: x[0]),
    st.integers(0, 30), st.integers(0, 12),
)
def test_a_page_is_the_full_order_cut_best_score_then_newest(scored, offset, limit):
    ids = np.array([i for i, _s in scored], dtype=np.int64)
    scores = np.array([s for _i, s in scored], dtype=np.float64)
    full = sorted(scored, key=lambda pair: (-pair[1], -pair[0]))
    assert ti.top(ids, scores, offset, limit) == full[offset:offset + limit]


def test_a_title_match_outscores_the_same_word_once_in_the_body():
    index = build({1: {"fall": (1, True), "home": (3, False)}, 2: {"fall": (1, False), "home": (3, False)},
                   3: {"care": (1, False)}})
    ids = index.matches([ti.Term("fall")])
    first, second = index.scores([ti.Term("fall")], ids)
    assert ids.tolist() == [1, 2] and first > second


def test_a_prefix_adds_up_the_lexemes_it_covers_in_one_document():
    index = build({5: {"asthma": (2, False), "asthmatic": (1, False)}, 6: {"asthma": (1, False)}})
    ids, frequencies = index.postings(ti.Term("asthm", prefix=True))
    assert ids.tolist() == [5, 6] and frequencies.tolist() == [3.0, 1.0]
    assert index.postings(ti.Term("asthm")) [0].tolist() == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'diabet'", [ti.Term("diabet")]),
        ("'diabet' & 'app':*", [ti.Term("diabet"), ti.Term("app", prefix=True)]),
        ("", []),
        ("'o''brien'", [ti.Term("o'brien")]),
        ("'text' <-> 'messag'", None),
        ("'a' | 'b'", None),
        ("!'a'", None),
        ("'a':A", None),
        ("( 'a' & 'b' )", None),
    ],
)
def test_only_conjunctions_of_lexemes_are_answered_in_memory(text, expected):
    assert ti.terms_of(text) == expected


def test_postings_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError, match="do not add up"):
        ti.build(token=1, lexemes=["a"], counts=np.array([2]), ids=np.array([1]), codes=np.array([1]))


def test_an_empty_index_matches_and_ranks_nothing():
    index = build({})
    assert index.size == 0
    assert index.matches([ti.Term("care")]).tolist() == []
    assert ti.top(np.zeros(0, dtype=np.int64), np.zeros(0), 0, 20) == []


def test_ids_beyond_32_bits_are_kept_whole():
    big = 2**31 + 5
    index = build({big: {"care": (1, False)}, 7: {"care": (2, True)}})
    assert index.ids.dtype == np.int64 and index.matches([ti.Term("care")]).tolist() == [7, big]
    assert build({7: {"care": (1, False)}}).ids.dtype == np.int32  # half the memory while ids fit
