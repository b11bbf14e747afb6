"""The Atlas over the API: search, lists and details of published innovations, case studies and collections,
and the open-data export."""

# No `from __future__ import annotations`: ninja reads parameter types at runtime (see record/api.py).

import datetime as dt
from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from innovatorium.atlas import export, selectors
from innovatorium.atlas.models import CaseStudy, Collection, CoProducer, Innovation
from innovatorium.core.pagination import LimitOffsetPagination

router = Router(tags=["atlas"])


class EvidenceOut(Schema):
    evidence_type: str = Field(description="rct, comparative, observational, service-evaluation, "
                                           "health-economic or patient-experience.")
    citation: str
    url: str
    summary: str
    independent: bool = Field(description="Carried out independently of the innovator.")


class CoProducerOut(Schema):
    kind: str = Field(description="organisation or person.")
    name: str = Field(description="Organisation name, or a person's public name or pseudonym.")
    constituency: str = Field(description="The partner group they came from.")
    role: str

    @staticmethod
    def resolve_kind(obj: CoProducer) -> str:
        return "organisation" if obj.organisation_id else "person"

    @staticmethod
    def resolve_name(obj: CoProducer) -> str:
        return obj.organisation.name if obj.organisation else obj.person.public_name

    @staticmethod
    def resolve_constituency(obj: CoProducer) -> str:
        return obj.constituency_kind


class InnovationSummaryOut(Schema):
    id: int
    network: str
    slug: str
    url: str
    name: str
    summary: str
    innovation_type: str
    stage: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_network(obj: Innovation) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_url(obj: Innovation) -> str:
        return obj.get_absolute_url()


class InnovationOut(InnovationSummaryOut):
    problem: str
    how_it_works: str
    value_proposition: str
    care_settings: list[str]
    clinical_areas: list[str]
    device_class: str
    dtac_status: str
    nice_guidance: str
    cqc_registered: bool
    indicative_cost: str
    owner_organisation: str | None
    evidence: list[EvidenceOut]
    co_producers: list[CoProducerOut]
    case_studies: list[str] = Field(description="Paths of its published case studies.")

    @staticmethod
    def resolve_care_settings(obj: Innovation) -> list[str]:
        return [t.slug for t in obj.care_settings.all()]

    @staticmethod
    def resolve_clinical_areas(obj: Innovation) -> list[str]:
        return [t.slug for t in obj.clinical_areas.all()]

    @staticmethod
    def resolve_owner_organisation(obj: Innovation) -> str | None:
        return obj.owner_organisation.name if obj.owner_organisation else None

    @staticmethod
    def resolve_evidence(obj: Innovation) -> list[Any]:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_co_producers(obj: Innovation) -> list[Any]:
        return list(obj.co_producers.all())

    @staticmethod
    def resolve_case_studies(obj: Innovation) -> list[str]:
        return [c.get_absolute_url() for c in obj.case_studies.all()]


class CaseStudyOut(Schema):
    id: int
    network: str
    slug: str
    url: str
    title: str
    innovation: str | None = Field(description="Path of the innovation used, if any.")
    challenge: str
    what_was_done: str
    impact: str
    contact: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_network(obj: CaseStudy) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_url(obj: CaseStudy) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_innovation(obj: CaseStudy) -> str | None:
        innovation = obj.innovation
        return innovation.get_absolute_url() if innovation and innovation.is_published else None

    @staticmethod
    def resolve_challenge(obj: CaseStudy) -> str:
        return obj.challenge_text


class CollectionOut(Schema):
    slug: str
    title: str
    network: str | None
    introduction: str
    innovations: list[InnovationSummaryOut] = Field(description="In the curator's order.")

    @staticmethod
    def resolve_network(obj: Collection) -> str | None:
        return obj.network.slug if obj.network else None

    @staticmethod
    def resolve_innovations(obj: Collection) -> list[Any]:
        return [item.innovation for item in selectors.collection_items(collection=obj)]


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class HitOut(Schema):
    kind: str
    id: int
    title: str
    snippet: str = Field(description="HTML: text escaped, matching words wrapped in <mark>.")
    url: str
    network: str
    rank: float


class SearchOut(Schema):
    query: str
    total: int
    page: int
    per_page: int
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]


def _detail_innovations() -> QuerySet[Innovation]:
    return selectors.published_innovations().prefetch_related(
        "care_settings", "clinical_areas", "evidence",
        Prefetch("co_producers", CoProducer.objects.select_related("organisation", "person")),
        Prefetch("case_studies", CaseStudy.objects.filter(status=selectors.PUBLISHED).select_related("network")),
    )


@router.get("/search", response=SearchOut, summary="Search published innovations or case studies")
def search(
    request: HttpRequest,
    q: str = Query("", max_length=200, description="Words or a phrase; empty to browse, newest first."),
    kind: Literal["innovation", "case_study"] = "innovation",
    network: str | None = Query(None, description="Only this network (slug)."),
    page: int = Query(1, ge=1, le=10_000),
    per_page: int = Query(20, ge=1, le=100),
) -> dict[str, Any]:
    """Filters are repeatable query parameters named after the facets (`stage`, `innovation_type`,
    `care_setting`, `clinical_area`, `evidence_type`… e.g. `?stage=pilot&stage=adoption`)."""
    names = selectors.INNOVATION_FACETS if kind == "innovation" else selectors.CASE_STUDY_FACETS
    filters = {name: request.GET.getlist(name)[:20] for name in names if request.GET.getlist(name)}
    results = selectors.run_search(kind=kind, query=q.strip(), filters=filters, network_slug=network, page=page,
                                   per_page=per_page)
    objects = selectors.objects_for_hits(kind=kind, hits=results.hits)
    hits = [
        {"kind": kind, "id": hit.object_id, "title": hit.title, "snippet": hit.snippet, "rank": hit.rank,
         "url": objects[hit.object_id].get_absolute_url(), "network": objects[hit.object_id].network.slug}
        for hit in results.hits if hit.object_id in objects
    ]
    return {"query": q, "total": results.total, "page": page, "per_page": per_page, "hits": hits,
            "facets": results.facets}


@router.get("/suggest", response=list[str], summary="Type-ahead titles, from 3 characters")
def suggest(request: HttpRequest, prefix: str = Query(..., max_length=100),
            kind: Literal["innovation", "case_study"] = "innovation") -> list[str]:
    return selectors.suggest(kind=kind, prefix=prefix.strip(), limit=8)


@router.get("/innovations", response=list[InnovationSummaryOut], summary="Published innovations, newest first")
@paginate(LimitOffsetPagination)
def list_innovations(request: HttpRequest, network: str | None = None,
                     stage: str | None = None) -> QuerySet[Innovation]:
    innovations = selectors.published_innovations().order_by("-published_at", "-pk")
    if network:
        innovations = innovations.filter(network__slug=network)
    if stage:
        innovations = innovations.filter(stage=stage)
    return innovations


@router.get("/innovations/{network}/{slug}", response=InnovationOut, summary="One published innovation")
def get_innovation(request: HttpRequest, network: str, slug: str) -> Innovation:
    innovation = _detail_innovations().filter(network__slug=network, slug=slug).first()
    if innovation is None:
        raise Http404("No published innovation here.")
    return innovation


@router.get("/case-studies", response=list[CaseStudyOut], summary="Published case studies, newest first")
@paginate(LimitOffsetPagination)
def list_case_studies(request: HttpRequest, network: str | None = None) -> QuerySet[CaseStudy]:
    case_studies = selectors.published_case_studies().order_by("-published_at", "-pk")
    if network:
        case_studies = case_studies.filter(network__slug=network)
    return case_studies


@router.get("/case-studies/{network}/{slug}", response=CaseStudyOut, summary="One published case study")
def get_case_study(request: HttpRequest, network: str, slug: str) -> CaseStudy:
    case_study = selectors.published_case_studies().filter(network__slug=network, slug=slug).first()
    if case_study is None:
        raise Http404("No published case study here.")
    return case_study


@router.get("/collections", response=list[CollectionOut], summary="Curated collections of innovations")
@paginate(LimitOffsetPagination)
def list_collections(request: HttpRequest) -> QuerySet[Collection]:
    return Collection.objects.select_related("network").order_by("title")


@router.get("/collections/{slug}", response=CollectionOut, summary="One collection, in order")
def get_collection(request: HttpRequest, slug: str) -> Collection:
    collection = Collection.objects.select_related("network").filter(slug=slug).first()
    if collection is None:
        raise Http404("No collection here.")
    return collection


@router.get("/export.zip", summary="Everything public in the Atlas: CSV, JSON and datapackage.json, zipped",
            response={200: None})
def export_zip(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export.export_zip(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="innovatorium-atlas.zip"'
    return response


@router.get("/datapackage.json", summary="The Frictionless Data Package descriptor of the export")
def datapackage(request: HttpRequest) -> dict[str, Any]:
    return export.datapackage()


