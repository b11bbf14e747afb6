"""Exchange reads, shared by pages and the API: matches with their reasons, interests, introductions, dashboard.

Matching stays bounded however large the Atlas grows. Candidates are:
- the newest `TAXONOMY_CANDIDATES` on the other side sharing a clinical area or care setting (index lookups on
  the taxonomy tables), and
- up to `TEXT_CANDIDATES` full-text hits for each of the few most distinctive words of the text being matched
  (one `search()` per word, so the words are ORed),
and only those are ranked (`ranking.rank`, in Python). Taxonomy terms are prefetched: a match costs a fixed
number of queries whatever the number of candidates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from innovatorium.atlas import taxonomy
from innovatorium.atlas.models import CoProducer, Innovation, PublicationStatus, TaxonomyTerm
from innovatorium.challenges.models import Challenge, ChallengeStatus
from innovatorium.exchange import ranking
from innovatorium.exchange.models import NEXT_STATUSES, ExpressionOfInterest, Introduction, IntroductionStatus
from innovatorium.networks.models import Network
from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Person
from innovatorium.record.selectors import record_entries

TAXONOMY_CANDIDATES = 500
TEXT_CANDIDATES = 40
TEXT_WORDS = 3
QUIET_AFTER = dt.timedelta(days=30)
# Needs still looking for an innovation: these are matched, and innovators may offer to meet them.
SEEKING = (ChallengeStatus.OPEN, ChallengeStatus.BEING_PRIORITISED)
INTEREST_OPEN = (ChallengeStatus.OPEN, ChallengeStatus.BEING_PRIORITISED, ChallengeStatus.MATCHED)


@dataclass(frozen=True)
class Reason:
    name: str  # words, clinical area, care setting, stage, region
    text: str  # e.g. words “nurse”, “text” or clinical area (Children and young people)


@dataclass(frozen=True)
class InnovationMatch:
    innovation: Innovation
    score: float
    reasons: list[Reason]

    @property
    def matched_on(self) -> str:
        return "; ".join(r.text for r in self.reasons)


@dataclass(frozen=True)
class ChallengeMatch:
    challenge: Challenge
    score: float
    reasons: list[Reason]

    @property
    def matched_on(self) -> str:
        return "; ".join(r.text for r in self.reasons)


def _reasons(match: ranking.Match, networks: dict[str, str]) -> list[Reason]:
    labels = {"clinical area": taxonomy.CLINICAL_AREAS, "care setting": taxonomy.CARE_SETTINGS,
              "stage": taxonomy.STAGES}
    reasons = []
    for part in sorted((p for p in match.parts if p.contribution > 0), key=lambda p: -p.contribution):
        if part.name == "words":
            text = "words " + ", ".join(f"“{w}”" for w in part.items)
        elif part.name == "region":
            text = f"region ({networks.get(part.items[0], part.items[0])})" if part.items else "region"
        else:
            names = [labels[part.name].get(i, i) for i in part.items]
            text = f"{part.name} ({', '.join(names).lower() if part.name == 'stage' else ', '.join(names)})"
        reasons.append(Reason(part.name, text))
    return reasons


def innovation_text(innovation: Innovation) -> str:
    return " ".join([innovation.name, innovation.summary, innovation.problem, innovation.how_it_works])


def challenge_text(challenge: Challenge) -> str:
    return " ".join([challenge.title, challenge.description, challenge.who_is_affected])


def _innovation_side(innovation: Innovation) -> ranking.Side:
    return ranking.Side(
        id=innovation.pk, text=innovation_text(innovation),
        care_settings=frozenset(t.slug for t in innovation.care_settings.all()),
        clinical_areas=frozenset(t.slug for t in innovation.clinical_areas.all()),
        network=innovation.network.slug, stage=innovation.stage,
    )


def _challenge_side(challenge: Challenge) -> ranking.Side:
    return ranking.Side(
        id=challenge.pk, text=challenge_text(challenge),
        care_settings=frozenset({challenge.care_setting.slug}) if challenge.care_setting else frozenset(),
        clinical_areas=frozenset({challenge.clinical_area.slug}) if challenge.clinical_area else frozenset(),
        network=challenge.network.slug,
    )


def _text_candidates(kind: str, words: Iterable[str], filters: dict[str, list[str]] | None = None) -> list[int]:
    """Ids of full-text hits for any of the words (one search per word), when the search app is installed."""
    try:
        from innovatorium.search.selectors import search
    except ImportError:  # pragma: no cover - the search app is part of the project
        return []
    ids: list[int] = []
    for word in words:
        results = search(kind=kind, query=word, filters=filters, per_page=TEXT_CANDIDATES)
        ids.extend(hit.object_id for hit in results.hits)
    return ids


def published_innovations() -> QuerySet[Innovation]:
    terms = TaxonomyTerm.objects.only("id", "slug", "name", "vocabulary")
    return (
        Innovation.objects.filter(status=PublicationStatus.PUBLISHED)
        .select_related("network")
        .prefetch_related(Prefetch("care_settings", queryset=terms), Prefetch("clinical_areas", queryset=terms))
    )


def innovation_candidates(*, challenge: Challenge, exclude: Iterable[int] = ()) -> list[Innovation]:
    """The bounded set of published innovations worth ranking for a need (terms prefetched)."""
    area_ids = [challenge.clinical_area_id] if challenge.clinical_area_id else []
    setting_ids = [challenge.care_setting_id] if challenge.care_setting_id else []
    ids: list[int] = []
    if area_ids or setting_ids:
        ids = list(
            Innovation.objects.filter(status=PublicationStatus.PUBLISHED)
            .filter(Q(clinical_areas__in=area_ids) | Q(care_settings__in=setting_ids))
            .order_by("-published_at", "-pk").values_list("pk", flat=True).distinct()[:TAXONOMY_CANDIDATES]
        )
    words = ranking.distinctive_words(challenge_text(challenge), title=challenge.title, limit=TEXT_WORDS)
    ids = list(dict.fromkeys([*ids, *_text_candidates("innovation", words)]))
    excluded = set(exclude)
    return list(published_innovations().filter(pk__in=[i for i in ids if i not in excluded]))


def rank_innovations(
    *, challenge: Challenge, innovations: list[Innovation], limit: int | None = 10,
    weights: dict[str, float] | None = None,
) -> list[InnovationMatch]:
    by_id = {i.pk: i for i in innovations}
    if not by_id:
        return []
    ranked = ranking.rank(_challenge_side(challenge), [_innovation_side(i) for i in innovations], weights=weights,
                          limit=limit)
    networks = {i.network.slug: i.network.name for i in innovations}
    networks[challenge.network.slug] = challenge.network.name
    return [InnovationMatch(by_id[m.id], m.score, _reasons(m, networks)) for m in ranked if m.score > 0]


def matches_for_challenge(
    *, challenge: Challenge, limit: int = 10, weights: dict[str, float] | None = None,
    exclude: Iterable[int] = (),
) -> list[InnovationMatch]:
    """Published innovations that could meet a need, best first, each with what it matched on."""
    candidates = innovation_candidates(challenge=challenge, exclude=exclude)
    return rank_innovations(challenge=challenge, innovations=candidates, limit=limit, weights=weights)


def seeking_challenges() -> QuerySet[Challenge]:
    return Challenge.objects.filter(status__in=SEEKING).select_related("network", "care_setting", "clinical_area")


def matches_for_innovation(*, innovation: Innovation, limit: int = 10) -> list[ChallengeMatch]:
    """Open needs a published innovation could meet, best first, each with what it matched on."""
    if not innovation.is_published:
        return []
    target = _innovation_side(innovation)
    area_ids = [t.pk for t in innovation.clinical_areas.all()]
    setting_ids = [t.pk for t in innovation.care_settings.all()]
    ids: list[int] = []
    if area_ids or setting_ids:
        ids = list(
            Challenge.objects.filter(status__in=SEEKING)
            .filter(Q(clinical_area__in=area_ids) | Q(care_setting__in=setting_ids))
            .order_by("-created_at", "-pk").values_list("pk", flat=True)[:TAXONOMY_CANDIDATES]
        )
    words = ranking.distinctive_words(innovation_text(innovation), title=innovation.name, limit=TEXT_WORDS)
    ids = list(dict.fromkeys([*ids, *_text_candidates("challenge", words, {"status": list(SEEKING)})]))
    challenges = {c.pk: c for c in seeking_challenges().filter(pk__in=ids)}
    if not challenges:
        return []
    ranked = ranking.rank(target, [_challenge_side(c) for c in challenges.values()], limit=limit)
    networks = {c.network.slug: c.network.name for c in challenges.values()}
    networks[innovation.network.slug] = innovation.network.name
    return [ChallengeMatch(challenges[m.id], m.score, _reasons(m, networks)) for m in ranked if m.score > 0]


# Innovators ----------------------------------------------------------------------------------------------------

def innovations_for_innovator(*, person: Person | None) -> QuerySet[Innovation]:
    """Published innovations this person may speak for: they created it, co-produced it (in person or through the
    organisation backing one of their counted memberships), or that organisation owns it. Only people with a
    counted membership of some network count as innovators."""
    if person is None:
        return Innovation.objects.none()
    organisations = Membership.objects.filter(
        person=person, verification__in=COUNTED_VERIFICATION, organisation__isnull=False
    ).values("organisation")
    if not Membership.objects.filter(person=person, verification__in=COUNTED_VERIFICATION).exists():
        return Innovation.objects.none()
    co_produced = CoProducer.objects.filter(innovation=OuterRef("pk")).filter(
        Q(person=person) | Q(organisation__in=organisations)
    )
    return (
        Innovation.objects.filter(status=PublicationStatus.PUBLISHED)
        .filter(Q(created_by=person) | Q(owner_organisation__in=organisations) | Exists(co_produced))
        .select_related("network").order_by("name")
    )


def is_innovator_for(*, person: Person | None, innovation: Innovation) -> bool:
    return innovations_for_innovator(person=person).filter(pk=innovation.pk).exists()


# Interests and introductions ---------------------------------------------------------------------------------

def interests_for_challenge(*, challenge: Challenge) -> list[ExpressionOfInterest]:
    return list(challenge.interests.select_related("innovation__network").order_by("created_at"))


def introductions_for_challenge(*, challenge: Challenge) -> list[Introduction]:
    return list(challenge.introductions.select_related("innovation__network").order_by("created_at"))


def introductions_for_innovation(*, innovation: Innovation) -> list[Introduction]:
    return list(innovation.introductions.select_related("challenge__network").order_by("created_at"))


def introduction_get(*, network_slug: str, introduction_id: int) -> Introduction:
    return get_object_or_404(
        Introduction.objects.select_related("challenge__network", "innovation__network"),
        pk=introduction_id, challenge__network__slug=network_slug,
    )


@dataclass(frozen=True)
class StatusChange:
    recorded_at: dt.datetime
    sequence: int
    status: str
    label: str
    reason: str


def introduction_history(*, introduction: Introduction) -> list[StatusChange]:
    """Every step of an introduction, from the public record, oldest first."""
    labels = dict(IntroductionStatus.choices)
    entries = record_entries(
        object_type=Introduction._meta.label_lower, object_id=str(introduction.pk), oldest_first=True
    ).filter(action__in=["exchange.introduction.proposed", "exchange.introduction.advanced"])
    changes = []
    for entry in entries.select_related(None).only("recorded_at", "sequence", "action", "payload"):
        status = entry.payload.get("after", IntroductionStatus.PROPOSED)
        changes.append(StatusChange(entry.recorded_at, entry.sequence, status, labels.get(status, status),
                                    entry.payload.get("reason", "")))
    return changes


@dataclass
class Dashboard:
    needs_without_offers: list[Challenge]
    gone_quiet: list[Introduction]
    recent: list[Introduction]


def exchange_dashboard(*, network: Network, now: dt.datetime | None = None, limit: int = 50) -> Dashboard:
    """A facilitator's view of their network's exchange, in three queries."""
    now = now or timezone.now()
    open_introductions = [s for s, nxt in NEXT_STATUSES.items() if nxt]
    without_offers = (
        seeking_challenges().filter(network=network)
        .filter(~Exists(ExpressionOfInterest.objects.filter(challenge=OuterRef("pk"))))
        .filter(~Exists(Introduction.objects.filter(challenge=OuterRef("pk"))))
        .order_by("created_at")[:limit]
    )
    introductions = Introduction.objects.filter(challenge__network=network).select_related(
        "challenge__network", "innovation__network"
    )
    quiet = introductions.filter(status__in=open_introductions, last_activity_at__lt=now - QUIET_AFTER).order_by(
        "last_activity_at"
    )[:limit]
    recent = introductions.order_by("-created_at")[:limit]
    return Dashboard(list(without_offers), list(quiet), list(recent))

