from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatorium.deliberation.selection import next_statement, statement_weight

counts = st.integers(min_value=0, max_value=500)


@st.composite
def conversations(draw):
    n = draw(st.integers(min_value=0, max_value=30))
    ids = draw(st.lists(st.integers(min_value=1, max_value=10_000), min_size=n, max_size=n, unique=True))
    agree = draw(st.lists(counts, min_size=n, max_size=n))
    disagree = draw(st.lists(counts, min_size=n, max_size=n))
    passed = draw(st.lists(counts, min_size=n, max_size=n))
    seen = [a + d + p for a, d, p in zip(agree, disagree, passed, strict=True)]
    answered = draw(st.sets(st.sampled_from(ids))) if ids else set()
    return {"statements": ids, "seen": seen, "agree": agree, "disagree": disagree, "answered": answered}


@given(conversations(), st.integers())
def test_the_next_statement_is_one_not_yet_answered_and_none_only_when_all_are(conv, seed):
    chosen = next_statement(**conv, seed=seed)
    unanswered = set(conv["statements"]) - conv["answered"]
    if unanswered:
        assert chosen in unanswered
    else:
        assert chosen is None


@given(conversations(), st.integers())
def test_the_same_seed_gives_the_same_statement_whatever_the_input_order(conv, seed):
    order = sorted(range(len(conv["statements"])), key=lambda i: -conv["statements"][i])
    shuffled = {k: [v[i] for i in order] for k, v in conv.items() if k != "answered"}
    assert next_statement(**conv, seed=seed) == next_statement(**shuffled, answered=conv["answered"], seed=seed)


@given(counts, counts, counts, st.integers(min_value=1, max_value=100))
def test_a_statement_fewer_people_have_seen_weighs_more(seen, agree, disagree, more):
    assert statement_weight(seen=seen, agree=agree, disagree=disagree) > statement_weight(
        seen=seen + more, agree=agree, disagree=disagree)


@given(counts, st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=200))
def test_a_statement_that_splits_opinion_weighs_more_than_one_that_does_not(seen, split, lopsided):
    even = statement_weight(seen=seen, agree=split, disagree=split)
    assert even > statement_weight(seen=seen, agree=split + lopsided, disagree=split)


def test_new_and_divisive_statements_are_shown_far_more_often():
    picks = [next_statement(statements=[1, 2], seen=[400, 2], agree=[390, 1], disagree=[5, 1], answered=(), seed=s)
             for s in range(500)]
    assert picks.count(2) > 450


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        next_statement(statements=[1], seen=[], agree=[], disagree=[], answered=(), seed=0)
