"""Keeping the search index in step with the Atlas and challenges.

Each function runs inside the caller's transaction, so an innovation and its index entry are written (or
rolled back) together. Only public things are indexed: published innovations and case studies, and every
challenge (a challenge is public once raised).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import timezone

from innovatorium.atlas import taxonomy
from innovatorium.atlas.models import CaseStudy, Innovation, PublicationStatus
from innovatorium.challenges.models import Challenge, ChallengeStatus
from innovatorium.search.models import DocumentKind, SearchDocument, SearchFacet
from innovatorium.search.query import clean_text

Facets = list[tuple[str, str, str]]  # (field, value, label)


def _url(obj: object) -> str:
    try:
        return obj.get_absolute_url()  # type: ignore[attr-defined]
    except NoReverseMatch:  # the app's pages are not wired up (yet)
        return ""


def _join(parts: Iterable[str]) -> str:
    return "\n".join(clean_text(part).strip() for part in parts if part and part.strip())


@transaction.atomic
def _upsert(*, kind: str, obj: object, network_id: int, title: str, body: str, published_at, facets: Facets) -> None:
    document, created = SearchDocument.objects.update_or_create(
        kind=kind, object_id=obj.pk,  # type: ignore[attr-defined]
        defaults={
            "network_id": network_id, "title": clean_text(title).strip()[:300], "body": body, "url": _url(obj),
            "published_at": published_at or timezone.now(), "updated_at": timezone.now(),
        },
    )
    if not created:
        SearchFacet.objects.filter(document=document).delete()
    unique = dict.fromkeys((field, value[:80], label[:200]) for field, value, label in facets if value)
    SearchFacet.objects.bulk_create(
        SearchFacet(document=document, kind=kind, field=field, value=value, label=label)
        for field, value, label in unique
    )


def innovation_facets(innovation: Innovation) -> Facets:
    facets: Facets = [
        ("stage", innovation.stage, taxonomy.STAGES.get(innovation.stage, innovation.stage)),
        ("innovation_type", innovation.innovation_type,
         taxonomy.INNOVATION_TYPES.get(innovation.innovation_type, innovation.innovation_type)),
        ("network", innovation.network.slug, innovation.network.name),
        ("device_class", innovation.device_class,
         taxonomy.DEVICE_CLASSES.get(innovation.device_class, innovation.device_class)),
        ("dtac_status", innovation.dtac_status,
         taxonomy.DTAC_STATUSES.get(innovation.dtac_status, innovation.dtac_status)),
    ]
    facets += [("care_setting", term.slug, term.name) for term in innovation.care_settings.all()]
    facets += [("clinical_area", term.slug, term.name) for term in innovation.clinical_areas.all()]
    for evidence_type in innovation.evidence.values_list("evidence_type", flat=True).distinct():
        facets.append(("evidence_type", evidence_type, taxonomy.EVIDENCE_TYPES.get(evidence_type, evidence_type)))
    return facets


@transaction.atomic
def index_innovation(*, innovation: Innovation) -> None:
    """Upsert an innovation's index entry; an innovation that is not published is removed from the index."""
    if innovation.status != PublicationStatus.PUBLISHED:
        remove_document(kind=DocumentKind.INNOVATION, object_id=innovation.pk)
        return
    organisation = innovation.owner_organisation.name if innovation.owner_organisation_id else ""
    citations = innovation.evidence.values_list("citation", flat=True)
    body = _join([
        innovation.summary, innovation.problem, innovation.how_it_works, innovation.value_proposition,
        organisation, innovation.nice_guidance, *citations,
    ])
    _upsert(
        kind=DocumentKind.INNOVATION, obj=innovation, network_id=innovation.network_id, title=innovation.name,
        body=body, published_at=innovation.published_at, facets=innovation_facets(innovation),
    )


@transaction.atomic
def index_case_study(*, case_study: CaseStudy) -> None:
    """Upsert a published case study's index entry (others are removed)."""
    if case_study.status != PublicationStatus.PUBLISHED:
        remove_document(kind=DocumentKind.CASE_STUDY, object_id=case_study.pk)
        return
    body = _join([case_study.challenge_text, case_study.what_was_done, case_study.impact])
    _upsert(
        kind=DocumentKind.CASE_STUDY, obj=case_study, network_id=case_study.network_id, title=case_study.title,
        body=body, published_at=case_study.published_at,
        facets=[("network", case_study.network.slug, case_study.network.name)],
    )


@transaction.atomic
def index_challenge(*, challenge: Challenge) -> None:
    """Upsert a challenge's index entry (every challenge is public once raised)."""
    facets: Facets = [
        ("status", challenge.status, ChallengeStatus(challenge.status).label),
        ("network", challenge.network.slug, challenge.network.name),
    ]
    if challenge.care_setting_id:
        facets.append(("care_setting", challenge.care_setting.slug, challenge.care_setting.name))
    if challenge.clinical_area_id:
        facets.append(("clinical_area", challenge.clinical_area.slug, challenge.clinical_area.name))
    body = _join([challenge.description, challenge.who_is_affected])
    _upsert(
        kind=DocumentKind.CHALLENGE, obj=challenge, network_id=challenge.network_id, title=challenge.title,
        body=body, published_at=challenge.created_at, facets=facets,
    )


@transaction.atomic
def remove_document(*, kind: str, object_id: int) -> None:
    """Take something out of the index (facets go with it)."""
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def reindex_all(*, progress=None) -> int:  # noqa: ANN001 - progress is any callable taking a count
    """Rebuild the whole index from the source tables. Returns the number of documents indexed."""
    count = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        innovations = (
            Innovation.objects.filter(status=PublicationStatus.PUBLISHED)
            .select_related("network", "owner_organisation").prefetch_related("care_settings", "clinical_areas")
        )
        for innovation in innovations.iterator(chunk_size=500):
            index_innovation(innovation=innovation)
            count += 1
            if progress:
                progress(1)
        case_studies = CaseStudy.objects.filter(status=PublicationStatus.PUBLISHED).select_related("network")
        for case_study in case_studies.iterator(chunk_size=500):
            index_case_study(case_study=case_study)
            count += 1
            if progress:
                progress(1)
        challenges = Challenge.objects.select_related("network", "care_setting", "clinical_area")
        for challenge in challenges.iterator(chunk_size=500):
            index_challenge(challenge=challenge)
            count += 1
            if progress:
                progress(1)
    return count


def reindex_total() -> int:
    return (
        Innovation.objects.filter(status=PublicationStatus.PUBLISHED).count()
        + CaseStudy.objects.filter(status=PublicationStatus.PUBLISHED).count()
        + Challenge.objects.count()
    )
