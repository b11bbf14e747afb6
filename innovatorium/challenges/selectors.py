"""Reads for challenges, shared by the pages and the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from innovatorium.atlas.models import TaxonomyTerm
from innovatorium.challenges.models import Challenge, ChallengeStatus, ChallengeSupport
from innovatorium.networks.models import Constituency, Network
from innovatorium.people.models import Person
from innovatorium.record.selectors import record_entries

STATUS_LABELS = dict(ChallengeStatus.choices)


@dataclass(frozen=True)
class SupportCount:
    constituency: Constituency
    count: int


def _support_annotation(constituency: Constituency) -> str:
    return f"supports_c{constituency.pk}"


def network_constituencies(*, network: Network) -> list[Constituency]:
    return list(network.constituencies.order_by("position", "name"))


def challenges_for_network(
    *,
    network: Network,
    status: Sequence[str] = (),
    care_setting: Sequence[str] = (),
    clinical_area: Sequence[str] = (),
    text: str = "",
) -> QuerySet[Challenge]:
    """A network's challenges, newest first, filtered (count this; annotate a page with `with_support_counts`)."""
    challenges = Challenge.objects.filter(network=network).order_by("-created_at", "-pk")
    if status:
        challenges = challenges.filter(status__in=status)
    if care_setting:
        challenges = challenges.filter(care_setting__slug__in=care_setting)
    if clinical_area:
        challenges = challenges.filter(clinical_area__slug__in=clinical_area)
    if text.strip():
        for word in text.split()[:8]:
            challenges = challenges.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return challenges


def with_support_counts(
    challenges: QuerySet[Challenge], constituencies: Sequence[Constituency]
) -> QuerySet[Challenge]:
    """Each challenge annotated with its support in total and per constituency, and what its page shows.

    One query for any number of challenges: the counts are conditional aggregates, one per constituency.
    """
    annotations = {"support_total": Count("supports", distinct=True)}
    for constituency in constituencies:
        annotations[_support_annotation(constituency)] = Count(
            "supports", filter=Q(supports__constituency_id=constituency.pk), distinct=True
        )
    return challenges.select_related(
        "network", "care_setting", "clinical_area", "raiser_constituency"
    ).annotate(**annotations)


def support_counts(challenge: Challenge, constituencies: Sequence[Constituency]) -> list[SupportCount]:
    """Per-constituency counts from the annotations `challenges_for_network` added (no query)."""
    return [SupportCount(c, getattr(challenge, _support_annotation(c), 0)) for c in constituencies]


def challenge_get(*, network_slug: str, challenge_slug: str) -> Challenge:
    return get_object_or_404(
        Challenge.objects.select_related("network", "care_setting", "clinical_area", "raiser_constituency",
                                         "raised_by"),
        network__slug=network_slug, slug=challenge_slug,
    )


def challenge_support_counts(*, challenge: Challenge) -> list[SupportCount]:
    """Every constituency of the challenge's network, with how many of its members support the challenge."""
    counts = dict(
        ChallengeSupport.objects.filter(challenge=challenge)
        .values_list("constituency_id")
        .annotate(n=Count("id"))
        .values_list("constituency_id", "n")
    )
    return [SupportCount(c, counts.get(c.pk, 0)) for c in network_constituencies(network=challenge.network)]


def is_supporting(*, challenge: Challenge, person: Person | None) -> bool:
    if person is None:
        return False
    return ChallengeSupport.objects.filter(challenge=challenge, person=person).exists()


def challenge_responses(*, challenge: Challenge) -> QuerySet:
    return challenge.responses.select_related("author").order_by("created_at")


@dataclass(frozen=True)
class HistoryItem:
    recorded_at: object
    sequence: int
    text: str
    reason: str


def challenge_history(*, challenge: Challenge) -> list[HistoryItem]:
    """When the challenge was raised and every status change, from the public record (oldest first)."""
    entries = record_entries(
        object_type=Challenge._meta.label_lower, object_id=str(challenge.pk), oldest_first=True
    ).filter(action__in=["challenges.challenge.raised", "challenges.challenge.status_changed"])
    items = []
    for entry in entries.select_related(None).only("recorded_at", "sequence", "action", "payload"):
        if entry.action == "challenges.challenge.raised":
            text = "Raised"
        else:
            text = "Status changed to " + STATUS_LABELS.get(entry.payload.get("after", ""), "unknown").lower()
        items.append(HistoryItem(entry.recorded_at, entry.sequence, text, entry.payload.get("reason", "")))
    return items


def taxonomy_choices(vocabulary: str) -> list[tuple[str, str]]:
    return list(TaxonomyTerm.objects.filter(vocabulary=vocabulary).order_by("name").values_list("slug", "name"))


