"""Stratified sortition: re-runnable from the seed, quotas respected, the published algorithm followed exactly."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innovatorium.ledger import HashStream, candidates_hash, draw, quotas

FAST = settings(max_examples=60, deadline=None)

CANDIDATES = [(f"p{i:02d}", "patients") for i in range(10)] + [(f"c{i:02d}", "clinicians") for i in range(5)]


def test_draw_is_a_function_of_seed_and_candidates_only():
    first = draw(CANDIDATES, 6, "lottery 2025-06-07: 3 14 15 92 65 35")
    again = draw(list(reversed(CANDIDATES)), 6, "lottery 2025-06-07: 3 14 15 92 65 35")
    assert first == again
    assert first.quotas == {"clinicians": 2, "patients": 4}
    assert first.candidates_hash == candidates_hash(CANDIDATES)
    other = draw(CANDIDATES, 6, "another seed")
    assert other.quotas == first.quotas
    assert len(first.panel) == 6


def test_a_reimplementation_of_the_documented_steps_gives_the_same_panel():
    """Follow the module docstring literally, with nothing from the module, and compare."""
    seed, size = "open meeting 12 March", 5
    result = draw(CANDIDATES, size, seed, rule="equal")
    # equal quotas of 5 over two strata: 2.5 each, tie on remainder and weight -> smaller id, "clinicians".
    assert result.quotas == {"clinicians": 3, "patients": 2}
    for stratum, q in result.quotas.items():
        pool = sorted(cid for cid, s in CANDIDATES if s == stratum)
        k = 0
        for i in range(q):
            n = len(pool) - i
            while True:
                x = int.from_bytes(hashlib.sha256(f"{seed}\x1f{stratum}\x1f{k}".encode()).digest(), "big")
                k += 1
                if x < 2**256 - 2**256 % n:
                    break
            j = i + x % n
            pool[i], pool[j] = pool[j], pool[i]
        assert result.selected[stratum] == tuple(pool[:q])
    lines = sorted(f"{s}\t{c}\n" for c, s in CANDIDATES)
    assert result.candidates_hash == hashlib.sha256("".join(lines).encode()).hexdigest()


def test_known_draw_is_stable_across_releases():
    """A pinned panel: if this changes, published draws could no longer be re-run. Do not update lightly."""
    result = draw(CANDIDATES, 4, "innovatorium")
    assert result.quotas == {"clinicians": 1, "patients": 3}  # 1.33 and 2.67: the spare seat to the .67
    assert result.selected == {"clinicians": ("c01",), "patients": ("p05", "p07", "p08")}


def test_explicit_quotas_and_refusals():
    assert draw(CANDIDATES, 3, "s", rule={"clinicians": 3}).quotas == {"clinicians": 3, "patients": 0}
    with pytest.raises(ValueError, match="too few candidates"):
        draw(CANDIDATES, 6, "s", rule={"clinicians": 6})
    with pytest.raises(ValueError, match="whole numbers >= 0"):
        draw(CANDIDATES, 3, "s", rule={"clinicians": 6, "patients": -3})
    with pytest.raises(ValueError, match="too few candidates"):
        draw(CANDIDATES, 12, "s", rule="equal")
    with pytest.raises(ValueError, match="sum to 2, not the panel size 3"):
        draw(CANDIDATES, 3, "s", rule={"clinicians": 2})
    with pytest.raises(ValueError, match="no candidates"):
        draw(CANDIDATES, 3, "s", rule={"carers": 3})
    with pytest.raises(ValueError, match="listed twice"):
        draw([*CANDIDATES, ("p00", "clinicians")], 3, "s")
    with pytest.raises(ValueError, match="public seed"):
        draw(CANDIDATES, 3, "")
    with pytest.raises(ValueError, match="unknown quota rule"):
        draw(CANDIDATES, 3, "s", rule="random")


def test_stream_is_roughly_uniform():
    stream = HashStream("uniformity", "s")
    counts = Counter(stream.below(6) for _ in range(6000))
    assert set(counts) == set(range(6))
    assert all(850 < c < 1150 for c in counts.values())


@st.composite
def pools(draw_):
    strata = draw_(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=5, unique=True))
    candidates = []
    for s in strata:
        n = draw_(st.integers(1, 12))
        candidates += [(f"{s}-{i}", s) for i in range(n)]
    return candidates


@FAST
@given(pools(), st.text(min_size=1, max_size=20).filter(lambda t: "\x1f" not in t), st.data())
def test_rerun_gives_the_same_panel_and_quotas_are_respected(candidates, seed, data):
    rule = data.draw(st.sampled_from(["proportional", "equal"]))
    sizes = Counter(s for _, s in candidates)
    limit = len(candidates) if rule == "proportional" else min(sizes.values()) * len(sizes)
    size = data.draw(st.integers(0, limit))
    result = draw(candidates, size, seed, rule)
    assert draw(data.draw(st.permutations(candidates)), size, seed, rule) == result
    assert result.quotas == quotas(size, dict(sizes), rule)
    assert sum(result.quotas.values()) == size == len(result.panel) == len(set(result.panel))
    for stratum, chosen in result.selected.items():
        assert len(chosen) == result.quotas[stratum]
        assert all(c in {cid for cid, s in candidates if s == stratum} for c in chosen)
        if rule == "proportional":
            exact = size * sizes[stratum] / len(candidates)
            assert abs(len(chosen) - exact) < 1
        else:
            assert abs(len(chosen) - size / len(sizes)) < 1
