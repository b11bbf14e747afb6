"""Matching needs with innovations for the Innovation Exchange. Framework-free.

A match score is a weighted sum of parts, and every part is kept so the page can say what it "matched on":

- words: TF-IDF cosine similarity between the need's text and the innovation's text (IDF over the candidates
  being ranked, so words every candidate shares count for little);
- clinical area and care setting: the share of the need's terms the innovation also covers;
- stage: how ready the innovation is to be adopted (idea 0 → business as usual 1);
- region: the innovation comes from the need's own network.

The same function ranks innovations for a challenge and challenges for an innovation (`rank` is symmetric in
its two sides apart from stage, which always describes the innovation).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

STAGE_ORDER = (
    "idea", "development", "evidence", "pilot", "adoption", "spread", "business-as-usual",
)

DEFAULT_WEIGHTS: dict[str, float] = {
    "words": 0.55,
    "clinical area": 0.2,
    "care setting": 0.12,
    "stage": 0.08,
    "region": 0.05,
}

_STOPWORDS = frozenset(
    """a about after again all also am an and any are as at be because been before being but by can could did do
    does doing down during each few for from further get gets got had has have having he her here hers him his how
    i if in into is it its just me more most my no nor not now of off on once only or other our out over own same
    she should so some such than that the their them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your people patients patient
    many need needs often use used using help new one two get make way""".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ness", "ment", "ers", "er", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A deliberately light stemmer: enough that "texting", "texts" and "text" meet."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix == "ies":
                word += "y"
            break
    return word


def terms(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 1]


def surface_forms(text: str) -> dict[str, str]:
    """Each stem's first spelling in `text`, so reasons show "fibrillation", not the stem "fibrill"."""
    forms: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        if word not in _STOPWORDS and len(word) > 1:
            forms.setdefault(stem(word), word)
    return forms


def distinctive_words(text: str, *, limit: int = 3, title: str = "") -> list[str]:
    """The words of a text most likely to find what it is about: title words first, then the longest words
    (long words are rarer), each stem once. Used to generate full-text candidates before ranking."""
    chosen: list[str] = []
    stems: set[str] = set()
    title_words = [w for w in _WORD.findall(title.lower()) if w not in _STOPWORDS and len(w) > 3]
    body_words = sorted(
        {w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 3 and not w.isdigit()},
        key=lambda w: (-len(w), w),
    )
    for word in sorted(set(title_words), key=lambda w: (-len(w), w)) + body_words:
        if stem(word) not in stems and not word.isdigit():
            stems.add(stem(word))
            chosen.append(word)
        if len(chosen) >= limit:
            break
    return chosen


@dataclass(frozen=True)
class Side:
    """One side of a match: a challenge or an innovation, reduced to what matching needs."""

    id: int
    text: str
    care_settings: frozenset[str] = frozenset()
    clinical_areas: frozenset[str] = frozenset()
    network: str = ""
    stage: str | None = None  # innovations only


@dataclass(frozen=True)
class MatchPart:
    name: str
    value: float  # 0..1 before weighting
    weight: float
    detail: str = ""
    items: tuple[str, ...] = ()  # the words, terms or network behind the detail, for pages to format

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class Match:
    id: int
    score: float
    parts: tuple[MatchPart, ...] = field(default_factory=tuple)

    @property
    def matched_on(self) -> list[str]:
        """Plain reasons, strongest first, for the parts that contributed."""
        useful = sorted((p for p in self.parts if p.contribution > 0), key=lambda p: -p.contribution)
        return [f"{p.name} ({p.detail})" if p.detail else p.name for p in useful]


def _tfidf(docs: Sequence[Counter[str]]) -> tuple[list[dict[str, float]], dict[str, float]]:
    n = len(docs)
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    vectors = []
    for doc in docs:
        vec = {t: (1 + math.log(c)) * idf[t] for t, c in doc.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors, idf


def _overlap(wanted: frozenset[str], offered: frozenset[str]) -> float:
    if not wanted:
        return 0.0
    return len(wanted & offered) / len(wanted)


def stage_readiness(stage: str | None) -> float:
    if stage not in STAGE_ORDER:
        return 0.0
    return STAGE_ORDER.index(stage) / (len(STAGE_ORDER) - 1)


def rank(
    target: Side,
    candidates: Iterable[Side],
    *,
    weights: dict[str, float] | None = None,
    limit: int | None = 10,
    top_words: int = 3,
) -> list[Match]:
    """Rank `candidates` for `target`, best first. Ties break by id so results are stable."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    candidates = list(candidates)
    docs = [Counter(terms(target.text))] + [Counter(terms(c.text)) for c in candidates]
    vectors, _ = _tfidf(docs)
    target_vec = vectors[0]
    forms = surface_forms(target.text)
    matches = []
    for candidate, vec in zip(candidates, vectors[1:], strict=True):
        shared = {t: target_vec[t] * vec[t] for t in target_vec.keys() & vec.keys()}
        similarity = min(1.0, sum(shared.values()))
        best = [forms.get(t, t) for t in sorted(shared, key=lambda t: (-shared[t], t))[:top_words]]
        areas = tuple(sorted(target.clinical_areas & candidate.clinical_areas))
        settings = tuple(sorted(target.care_settings & candidate.care_settings))
        area = _overlap(target.clinical_areas, candidate.clinical_areas)
        setting = _overlap(target.care_settings, candidate.care_settings)
        innovation_stage = candidate.stage if candidate.stage is not None else target.stage
        readiness = stage_readiness(innovation_stage)
        same_region = 1.0 if target.network and target.network == candidate.network else 0.0
        parts = (
            MatchPart("words", similarity, weights["words"], ", ".join(f"“{w}”" for w in best), tuple(best)),
            MatchPart("clinical area", area, weights["clinical area"], ", ".join(areas), areas),
            MatchPart("care setting", setting, weights["care setting"], ", ".join(settings), settings),
            MatchPart("stage", readiness, weights["stage"], innovation_stage or "",
                      (innovation_stage,) if innovation_stage else ()),
            MatchPart("region", same_region, weights["region"], candidate.network if same_region else "",
                      (candidate.network,) if same_region else ()),
        )
        score = sum(p.contribution for p in parts)
        matches.append(Match(id=candidate.id, score=score, parts=parts))
    matches.sort(key=lambda m: (-m.score, m.id))
    return matches if limit is None else matches[:limit]


def precision_at_k(ranked: Sequence[int], relevant: set[int], k: int = 5) -> float:
    if k <= 0:
        raise ValueError("k must be positive")
    return sum(1 for i in ranked[:k] if i in relevant) / k


def reciprocal_rank(ranked: Sequence[int], relevant: set[int]) -> float:
    for position, item in enumerate(ranked, start=1):
        if item in relevant:
            return 1.0 / position
    return 0.0
