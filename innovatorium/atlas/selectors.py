"""Reads for the Atlas, shared by its pages, feeds, API and export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from innovatorium.atlas import taxonomy
from innovatorium.atlas.models import (
    CaseStudy,
    Collection,
    CollectionItem,
    CoProducer,
    EvidenceItem,
    Innovation,
    PublicationStatus,
    TaxonomyTerm,
)
from innovatorium.networks.models import Network
from innovatorium.record.models import RecordEntry

PUBLISHED = PublicationStatus.PUBLISHED

# The facets the Atlas search shows, in order, with the heading each gets (the search contract's field names).
INNOVATION_FACETS: dict[str, str] = {
    "stage": "Stage",
    "innovation_type": "Type of innovation",
    "care_setting": "Care setting",
    "clinical_area": "Clinical area",
    "network": "Network",
    "evidence_type": "Evidence",
    "device_class": "UKCA/CE class",
    "dtac_status": "DTAC",
}
CASE_STUDY_FACETS: dict[str, str] = {"network": "Network"}


def published_innovations(*, network: Network | None = None) -> QuerySet[Innovation]:
    innovations = Innovation.objects.filter(status=PUBLISHED).select_related("network", "owner_organisation")
    if network is not None:
        innovations = innovations.filter(network=network)
    return innovations


def published_case_studies(*, network: Network | None = None) -> QuerySet[CaseStudy]:
    case_studies = CaseStudy.objects.filter(status=PUBLISHED).select_related("network", "innovation__network")
    if network is not None:
        case_studies = case_studies.filter(network=network)
    return case_studies


def innovation_with_details(*, network_slug: str, innovation_slug: str) -> Innovation | None:
    """One innovation (in any status: callers check who may see it) with everything its page shows."""
    return (
        Innovation.objects.select_related("network", "owner_organisation", "created_by")
        .prefetch_related(
            "care_settings", "clinical_areas", "evidence",
            Prefetch("co_producers", CoProducer.objects.select_related("organisation", "person")),
            Prefetch("case_studies", CaseStudy.objects.filter(status=PUBLISHED).select_related("network")),
        )
        .filter(network__slug=network_slug, slug=innovation_slug)
        .first()
    )


def case_study_with_details(*, network_slug: str, case_study_slug: str) -> CaseStudy | None:
    return (
        CaseStudy.objects.select_related("network", "innovation__network")
        .filter(network__slug=network_slug, slug=case_study_slug)
        .first()
    )


def innovation_history(*, innovation: Innovation) -> QuerySet[RecordEntry]:
    """The public record's entries about this innovation and its evidence, oldest first."""
    evidence_ids = [str(pk) for pk in innovation.evidence.values_list("pk", flat=True)]
    return (
        RecordEntry.objects.select_related("actor")
        .filter(
            Q(object_type="atlas.innovation", object_id=str(innovation.pk))
            | Q(object_type="atlas.evidenceitem", object_id__in=evidence_ids)
        )
        .order_by("sequence")
    )


def review_queue(*, network: Network) -> dict[str, list[Any]]:
    """What is waiting for a facilitator: submitted innovations and case studies, oldest first."""
    return {
        "innovations": list(
            Innovation.objects.filter(network=network, status=PublicationStatus.SUBMITTED)
            .select_related("network", "owner_organisation").order_by("updated_at", "pk")
        ),
        "case_studies": list(
            CaseStudy.objects.filter(network=network, status=PublicationStatus.SUBMITTED)
            .select_related("network").order_by("created_at", "pk")
        ),
    }


def collections(*, network: Network | None = None) -> QuerySet[Collection]:
    found = Collection.objects.select_related("network").annotate(
        size=Count("items", filter=Q(items__innovation__status=PUBLISHED))
    )
    if network is not None:
        found = found.filter(network=network)
    return found.order_by("title")


def collection_items(*, collection: Collection) -> list[CollectionItem]:
    """The collection's published innovations, in the curator's order."""
    return list(
        CollectionItem.objects.filter(collection=collection, innovation__status=PUBLISHED)
        .select_related("innovation__network").order_by("position")
    )


# --- Search ---------------------------------------------------------------------------------------------------
# The Atlas asks innovatorium.search (FTS5 / PostgreSQL full text). Until that app is installed, a plain
# database fallback with the same result shape keeps the pages working.


@dataclass
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchHit:
    kind: str
    object_id: int
    title: str
    snippet: str
    rank: float


@dataclass
class SearchResults:
    hits: list[Any]
    total: int
    facets: dict[str, list[Any]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    query: str = ""


def run_search(
    *, kind: str, query: str = "", filters: dict[str, list[str]] | None = None, network_slug: str | None = None,
    page: int = 1, per_page: int = 20,
) -> Any:
    """Search the Atlas through the search app (or the fallback): hits, total and facets."""
    try:
        from innovatorium.search.selectors import search
    except ImportError:
        return _fallback_search(kind=kind, query=query, filters=filters or {}, network_slug=network_slug,
                                page=page, per_page=per_page)
    return search(kind=kind, query=query, filters=filters or {}, network_slug=network_slug, page=page,
                  per_page=per_page)


def suggest(*, kind: str, prefix: str, limit: int = 8) -> list[str]:
    try:
        from innovatorium.search.selectors import suggest as search_suggest
    except ImportError:
        if len(prefix) < 3:
            return []
        model, title = (Innovation, "name") if kind == "innovation" else (CaseStudy, "title")
        rows = model.objects.filter(status=PUBLISHED, **{f"{title}__istartswith": prefix})
        return list(rows.order_by(title).values_list(title, flat=True)[:limit])
    return search_suggest(kind=kind, prefix=prefix, limit=limit)


def objects_for_hits(*, kind: str, hits: list[Any]) -> dict[int, Any]:
    """The published objects behind a page of hits, keyed by id (one query), with their networks.

    Only what a result card (and the search API) shows, looked up by primary key and checked for publication
    here: with `status = 'published'` in the SQL, SQLite (with no ANALYZE statistics) walked the status index over
    all 100,000 published innovations (14-31 ms a page); whole rows with their long texts took 4 ms a page. The
    statement is written out rather than built by the ORM, which took 0.9 ms of CPU for these twenty rows against
    0.3 ms for the same statement and objects here; the objects are made as the ORM makes them (`from_db`, the
    other fields deferred).
    """
    ids = [int(hit.object_id) for hit in hits]
    if not ids:
        return {}
    model, wanted = (CaseStudy, _CASE_STUDY_CARD) if kind == "case_study" else (Innovation, _INNOVATION_CARD)
    # from_db takes a partial row in the model's field order (it fills the gaps with deferred fields)
    names = [f.name for f in model._meta.concrete_fields if f.name in wanted]
    network_field = model._meta.get_field("network")
    quote = connection.ops.quote_name
    columns = ", ".join(f"t.{quote(model._meta.get_field(name).column)}" for name in names)
    network_columns = ", ".join(f"n.{quote(Network._meta.get_field(name).column)}" for name in _network_card_attnames())
    join = f"n.{quote(Network._meta.pk.column)} = t.{quote(network_field.column)}"
    sql = (  # only the models' own table and column names, quoted; the ids are parameters
        f"SELECT {columns}, {network_columns} FROM {quote(model._meta.db_table)} t"  # noqa: S608
        f" JOIN {quote(Network._meta.db_table)} n ON {join}"
        f" WHERE t.{quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows = cursor.fetchall()
    attnames = [model._meta.get_field(name).attname for name in names]
    status_at, width = attnames.index("status"), len(names)
    networks: dict[int, Network] = {}
    found = {}
    for row in rows:
        if row[status_at] != PUBLISHED:
            continue
        obj = model.from_db(connection.alias, attnames, row[:width])
        network = networks.get(row[width])
        if network is None:
            network = networks[row[width]] = Network.from_db(connection.alias, _network_card_attnames(), row[width:])
        network_field.set_cached_value(obj, network)
        found[obj.pk] = obj
    return found


_INNOVATION_CARD = ("id", "network", "slug", "name", "summary", "stage", "innovation_type", "status")
_CASE_STUDY_CARD = ("id", "network", "slug", "title", "status")
_NETWORK_CARD = ("id", "slug", "name")


def _network_card_attnames() -> list[str]:
    return [f.attname for f in Network._meta.concrete_fields if f.name in _NETWORK_CARD]


_FALLBACK_FILTERS = {
    "stage": "stage__in",
    "innovation_type": "innovation_type__in",
    "care_setting": "care_settings__slug__in",
    "clinical_area": "clinical_areas__slug__in",
    "network": "network__slug__in",
    "evidence_type": "evidence__evidence_type__in",
    "device_class": "device_class__in",
    "dtac_status": "dtac_status__in",
}


def _facet_labels(name: str) -> dict[str, str]:
    if name == "stage":
        return taxonomy.STAGES
    if name == "innovation_type":
        return taxonomy.INNOVATION_TYPES
    if name == "care_setting":
        return taxonomy.CARE_SETTINGS
    if name == "clinical_area":
        return taxonomy.CLINICAL_AREAS
    if name == "evidence_type":
        return taxonomy.EVIDENCE_TYPES
    if name == "device_class":
        return taxonomy.DEVICE_CLASSES
    if name == "dtac_status":
        return taxonomy.DTAC_STATUSES
    return dict(Network.objects.values_list("slug", "name"))


def _fallback_search(
    *, kind: str, query: str, filters: dict[str, list[str]], network_slug: str | None, page: int, per_page: int
) -> SearchResults:
    from django.utils.html import escape

    if kind == "case_study":
        rows: QuerySet[Any] = CaseStudy.objects.filter(status=PUBLISHED)
        title_field, text_fields, facet_names = "title", ("title", "what_was_done", "impact"), ["network"]
    else:
        rows = Innovation.objects.filter(status=PUBLISHED)
        title_field, text_fields, facet_names = "name", ("name", "summary", "problem"), list(INNOVATION_FACETS)
    if network_slug:
        rows = rows.filter(network__slug=network_slug)
    for word in query.split():
        condition = Q()
        for name in text_fields:
            condition |= Q(**{f"{name}__icontains": word})
        rows = rows.filter(condition)
    base = rows
    for name, values in filters.items():
        if values and name in _FALLBACK_FILTERS and name in facet_names:
            rows = rows.filter(**{_FALLBACK_FILTERS[name]: values})
    rows = rows.distinct()
    total = rows.count()
    start = (max(page, 1) - 1) * per_page
    found = list(rows.order_by("-published_at", "-pk").values("pk", title_field)[start:start + per_page])
    hits = [SearchHit(kind=kind, object_id=r["pk"], title=r[title_field], snippet=escape(r[title_field]), rank=0.0)
            for r in found]
    facets: dict[str, list[FacetCount]] = {}
    for name in facet_names:
        narrowed = base
        for other, values in filters.items():
            if other != name and values and other in _FALLBACK_FILTERS and other in facet_names:
                narrowed = narrowed.filter(**{_FALLBACK_FILTERS[other]: values})
        lookup = _FALLBACK_FILTERS[name].removesuffix("__in")
        counts = dict(
            narrowed.exclude(**{f"{lookup}__isnull": True}).values_list(lookup)
            .annotate(n=Count("pk", distinct=True)).values_list(lookup, "n")
        )
        labels = _facet_labels(name)
        selected = set(filters.get(name, []))
        facets[name] = [
            FacetCount(value=value, label=labels.get(value, value), count=counts[value], selected=value in selected)
            for value in labels if value in counts or value in selected
            for _ in [counts.setdefault(value, 0)]
        ]
    return SearchResults(hits=hits, total=total, facets=facets, page=page, per_page=per_page, query=query)


def taxonomy_terms() -> dict[str, dict[str, TaxonomyTerm]]:
    terms: dict[str, dict[str, TaxonomyTerm]] = {"care_setting": {}, "clinical_area": {}}
    for term in TaxonomyTerm.objects.all():
        terms[term.vocabulary][term.slug] = term
    return terms


def evidence_for(innovation_ids: list[int]) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.filter(innovation_id__in=innovation_ids)
