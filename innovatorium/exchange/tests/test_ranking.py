from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from innovatorium.exchange.ranking import (
    Side,
    precision_at_k,
    rank,
    reciprocal_rank,
    stage_readiness,
    stem,
)

AF = Side(1, "Handheld ECG devices find atrial fibrillation in pharmacies before a stroke",
          frozenset({"pharmacy"}), frozenset({"cardiovascular", "stroke"}), "eastern", "spread")
TEXT = Side(2, "Young people text their school nurse for confidential advice",
            frozenset({"schools"}), frozenset({"children", "mental-health"}), "wessex", "business-as-usual")
DEMENTIA = Side(3, "A carer-held record tells hospital staff who the person with dementia is",
                frozenset({"acute", "care-homes"}), frozenset({"dementia"}), "oxford", "pilot")


def test_it_puts_the_innovation_that_addresses_the_need_first():
    need = Side(10, "Irregular heartbeat (atrial fibrillation) goes undetected until people have a stroke",
                frozenset({"pharmacy", "community"}), frozenset({"stroke"}), "eastern")
    ranked = rank(need, [TEXT, DEMENTIA, AF])
    assert ranked[0].id == 1


def test_it_says_what_a_match_was_made_on():
    need = Side(10, "Carers of people with dementia repeat the same story to every hospital ward",
                frozenset({"acute"}), frozenset({"dementia"}), "oxford")
    best = rank(need, [AF, TEXT, DEMENTIA])[0]
    assert best.id == 3
    reasons = " ".join(best.matched_on)
    assert "clinical area (dementia)" in reasons
    assert "care setting (acute)" in reasons
    assert "region (oxford)" in reasons
    assert "words" in reasons and "dementia" in reasons


def test_the_score_is_the_sum_of_its_weighted_parts():
    need = Side(10, "school nurse text", frozenset({"schools"}), frozenset({"children"}), "wessex")
    for match in rank(need, [AF, TEXT, DEMENTIA]):
        assert abs(match.score - sum(p.value * p.weight for p in match.parts)) < 1e-12


def test_stage_readiness_runs_from_idea_to_business_as_usual():
    assert stage_readiness("idea") == 0.0
    assert stage_readiness("business-as-usual") == 1.0
    assert stage_readiness("unknown") == 0.0
    assert stage_readiness("pilot") < stage_readiness("spread")


def test_the_stemmer_brings_word_forms_together():
    assert stem("texting") == stem("texts") == stem("text")


def test_precision_and_reciprocal_rank():
    assert precision_at_k([5, 1, 2, 3, 4], {1, 2}, k=5) == 0.4
    assert reciprocal_rank([5, 1, 2], {1, 2}) == 0.5
    assert reciprocal_rank([5, 6], {1}) == 0.0


words = st.text(alphabet="abcdefghij ", min_size=0, max_size=40)
slugs = st.frozensets(st.sampled_from(["a", "b", "c", "d"]), max_size=3)
sides = st.builds(Side, id=st.integers(0, 10_000), text=words, care_settings=slugs, clinical_areas=slugs,
                  network=st.sampled_from(["n1", "n2", ""]),
                  stage=st.sampled_from(["idea", "pilot", "spread", "business-as-usual", None]))


@given(sides, st.lists(sides, max_size=15))
def test_scores_are_bounded_sorted_and_stable(target, candidates):
    ranked = rank(target, candidates, limit=None)
    assert len(ranked) == len(candidates)
    assert all(0.0 <= m.score <= 1.0 + 1e-9 for m in ranked)
    assert all(a.score >= b.score for a, b in zip(ranked, ranked[1:], strict=False))
    assert ranked == rank(target, candidates, limit=None)


@given(sides, st.lists(sides, min_size=1, max_size=10, unique_by=lambda s: s.id))
def test_adding_a_shared_clinical_area_never_lowers_a_score(target, candidates):
    first = candidates[0]
    boosted = Side(first.id, first.text, first.care_settings, first.clinical_areas | target.clinical_areas,
                   first.network, first.stage)
    before = {m.id: m.score for m in rank(target, candidates, limit=None)}
    after = {m.id: m.score for m in rank(target, [boosted, *candidates[1:]], limit=None)}
    assert after[first.id] >= before[first.id] - 1e-12
