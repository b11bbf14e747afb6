"""Everything public in the Atlas as open data: CSV and JSON tables described by a Frictionless `datapackage.json`.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) as a formula, so
every such CSV cell is given a leading apostrophe. JSON is written as it is: it is never run.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from innovatorium.atlas.models import CaseStudy, Collection, CollectionItem, CoProducer, EvidenceItem, Innovation
from innovatorium.atlas.selectors import PUBLISHED
from innovatorium.networks.defaults import DEFAULT_CONSTITUENCIES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LICENCE = {"name": "OGL-UK-3.0", "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
           "title": "Open Government Licence v3.0"}
CONSTITUENCY_NAMES = {kind: name for kind, name, _description, _verify in DEFAULT_CONSTITUENCIES}


def neutralise(value: Any) -> Any:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless Table Schema type
    description: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[], Iterator[Any]]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in self.columns],
            "primaryKey": self.columns[0].name,
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": field, "reference": {"resource": resource, "fields": target}}
                for field, resource, target in self.foreign_keys
            ]
        return schema

    def records(self) -> Iterator[dict[str, Any]]:
        for row in self.rows():
            yield {c.name: c.value(row) for c in self.columns}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _innovations() -> Iterator[Innovation]:
    return (
        Innovation.objects.filter(status=PUBLISHED).select_related("network", "owner_organisation")
        .prefetch_related("care_settings", "clinical_areas").order_by("pk").iterator(chunk_size=2000)
    )


def _evidence() -> Iterator[EvidenceItem]:
    return (
        EvidenceItem.objects.filter(innovation__status=PUBLISHED).order_by("pk").iterator(chunk_size=5000)
    )


def _co_producers() -> Iterator[CoProducer]:
    return (
        CoProducer.objects.filter(innovation__status=PUBLISHED).select_related("organisation", "person")
        .order_by("pk").iterator(chunk_size=5000)
    )


def _case_studies() -> Iterator[CaseStudy]:
    return (
        CaseStudy.objects.filter(status=PUBLISHED).select_related("network", "innovation")
        .order_by("pk").iterator(chunk_size=2000)
    )


def _collections() -> Iterator[Collection]:
    return Collection.objects.select_related("network").order_by("pk").iterator(chunk_size=2000)


def _collection_items() -> Iterator[CollectionItem]:
    return (
        CollectionItem.objects.filter(innovation__status=PUBLISHED).select_related("collection")
        .order_by("collection_id", "position").iterator(chunk_size=5000)
    )


def _published_innovation_id(case_study: CaseStudy) -> int | None:
    innovation = case_study.innovation
    return innovation.pk if innovation is not None and innovation.status == PUBLISHED else None


def _co_producer_name(co: CoProducer) -> str:
    # People appear by their public name only: the pseudonym unless they chose to show their name.
    return co.organisation.name if co.organisation else co.person.public_name


TABLES: list[Table] = [
    Table(
        "innovations", "Innovations", "Every published innovation in the Atlas.",
        [
            Column("id", "integer", "Stable identifier.", lambda i: i.pk),
            Column("network", "string", "Home network (slug).", lambda i: i.network.slug),
            Column("slug", "string", "Identifier within the network, used in its web address.", lambda i: i.slug),
            Column("url", "string", "Path of its page on this site.", lambda i: i.get_absolute_url()),
            Column("name", "string", "Name.", lambda i: i.name),
            Column("summary", "string", "One-paragraph summary.", lambda i: i.summary),
            Column("problem", "string", "The problem it addresses.", lambda i: i.problem),
            Column("how_it_works", "string", "How it works.", lambda i: i.how_it_works),
            Column("value_proposition", "string", "Its value to patients and the system.",
                   lambda i: i.value_proposition),
            Column("innovation_type", "string", "Type of innovation (code).", lambda i: i.innovation_type),
            Column("stage", "string", "Stage, from idea to business as usual (code).", lambda i: i.stage),
            Column("care_settings", "string", "Care settings (codes, separated by ';').",
                   lambda i: ";".join(sorted(t.slug for t in i.care_settings.all()))),
            Column("clinical_areas", "string", "Clinical areas (codes, separated by ';').",
                   lambda i: ";".join(sorted(t.slug for t in i.clinical_areas.all()))),
            Column("device_class", "string", "UKCA/CE medical device class (code).", lambda i: i.device_class),
            Column("dtac_status", "string", "Digital Technology Assessment Criteria status (code).",
                   lambda i: i.dtac_status),
            Column("nice_guidance", "string", "NICE guidance reference.", lambda i: i.nice_guidance),
            Column("cqc_registered", "boolean", "Registered with the Care Quality Commission.",
                   lambda i: i.cqc_registered),
            Column("indicative_cost", "string", "Indicative cost, as the innovator states it.",
                   lambda i: i.indicative_cost),
            Column("owner_organisation", "string", "The organisation that owns it.",
                   lambda i: i.owner_organisation.name if i.owner_organisation else ""),
            Column("owner_ods_code", "string", "The owner's NHS ODS code, where it has one.",
                   lambda i: (i.owner_organisation.ods_code or "") if i.owner_organisation else ""),
            Column("published_at", "datetime", "When it was published (UTC offset included).",
                   lambda i: _iso(i.published_at)),
            Column("updated_at", "datetime", "When it last changed.", lambda i: _iso(i.updated_at)),
        ],
        _innovations,
    ),
    Table(
        "evidence", "Evidence", "The evidence behind each published innovation.",
        [
            Column("id", "integer", "Stable identifier.", lambda e: e.pk),
            Column("innovation_id", "integer", "The innovation (innovations.id).", lambda e: e.innovation_id),
            Column("evidence_type", "string", "Type of evidence (code).", lambda e: e.evidence_type),
            Column("citation", "string", "Citation or title.", lambda e: e.citation),
            Column("url", "string", "Link to the evidence.", lambda e: e.url),
            Column("summary", "string", "What it found.", lambda e: e.summary),
            Column("independent", "boolean", "Carried out independently of the innovator.", lambda e: e.independent),
        ],
        _evidence, (("innovation_id", "innovations", "id"),),
    ),
    Table(
        "co_producers", "Co-producers", "The organisations and people who made each innovation, by constituency.",
        [
            Column("id", "integer", "Stable identifier.", lambda c: c.pk),
            Column("innovation_id", "integer", "The innovation (innovations.id).", lambda c: c.innovation_id),
            Column("kind", "string", "organisation or person.",
                   lambda c: "organisation" if c.organisation_id else "person"),
            Column("name", "string", "Organisation name, or a person's public name or pseudonym.", _co_producer_name),
            Column("constituency", "string", "The partner group they came from (code).", lambda c: c.constituency_kind),
            Column("role", "string", "The part they played.", lambda c: c.role),
        ],
        _co_producers, (("innovation_id", "innovations", "id"),),
    ),
    Table(
        "case_studies", "Case studies", "Published case studies: what was done and what difference it made.",
        [
            Column("id", "integer", "Stable identifier.", lambda c: c.pk),
            Column("network", "string", "Network (slug).", lambda c: c.network.slug),
            Column("slug", "string", "Identifier within the network.", lambda c: c.slug),
            Column("url", "string", "Path of its page on this site.", lambda c: c.get_absolute_url()),
            Column("title", "string", "Title.", lambda c: c.title),
            Column("innovation_id", "integer", "The innovation used (innovations.id), if any.",
                   _published_innovation_id),
            Column("challenge", "string", "The challenge.", lambda c: c.challenge_text),
            Column("what_was_done", "string", "What was done.", lambda c: c.what_was_done),
            Column("impact", "string", "The impact.", lambda c: c.impact),
            Column("contact", "string", "A public contact (team or role).", lambda c: c.contact),
            Column("published_at", "datetime", "When it was published.", lambda c: _iso(c.published_at)),
        ],
        _case_studies, (("innovation_id", "innovations", "id"),),
    ),
    Table(
        "collections", "Collections", "Curated lists of innovations.",
        [
            Column("id", "integer", "Stable identifier.", lambda c: c.pk),
            Column("slug", "string", "Identifier, used in its web address.", lambda c: c.slug),
            Column("network", "string", "Network (slug), empty for national collections.",
                   lambda c: c.network.slug if c.network else ""),
            Column("title", "string", "Title.", lambda c: c.title),
            Column("introduction", "string", "Introduction.", lambda c: c.introduction),
        ],
        _collections,
    ),
    Table(
        "collection_items", "Collection items", "The innovations in each collection, in order.",
        [
            Column("id", "integer", "Stable identifier.", lambda c: c.pk),
            Column("collection_id", "integer", "The collection (collections.id).", lambda c: c.collection_id),
            Column("position", "integer", "Position in the collection, from 1.", lambda c: c.position),
            Column("innovation_id", "integer", "The innovation (innovations.id).", lambda c: c.innovation_id),
            Column("note", "string", "Why it is in the collection.", lambda c: c.note),
        ],
        _collection_items, (("collection_id", "collections", "id"), ("innovation_id", "innovations", "id")),
    ),
]


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for record in table.records():
        writer.writerow([_csv_cell(v) for v in record.values()])
    return out.getvalue()


def table_json(table: Table) -> str:
    return json.dumps(list(table.records()), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def datapackage(*, created: str | None = None) -> dict[str, Any]:
    """The Frictionless Data Package descriptor for the export: each table as CSV and as JSON."""
    resources: list[dict[str, Any]] = []
    for table in TABLES:
        common = {"title": table.title, "description": table.description, "schema": table.schema()}
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            **common,
        })
        resources.append({
            "name": f"{table.name}-json", "path": f"{table.name}.json", "profile": "data-resource",
            "format": "json", "mediatype": "application/json", "encoding": "utf-8", **common,
        })
    return {
        "profile": "data-package",
        "name": "innovatorium-atlas",
        "title": "The Atlas of health and care innovations",
        "description": (
            "Every published innovation, its evidence and co-producers, case studies and collections, from the "
            "regional health innovation networks. CSV cells that began with = + - @ carry a leading apostrophe "
            "so that spreadsheets show them as text."
        ),
        "licenses": [LICENCE],
        "created": created or timezone.now().isoformat(timespec="seconds"),
        "resources": resources,
    }


def export_zip() -> bytes:
    """The whole public Atlas as a zip: datapackage.json and each table as CSV and JSON."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(datapackage(), indent=1, ensure_ascii=False))
        for table in TABLES:
            archive.writestr(f"{table.name}.csv", table_csv(table))
            archive.writestr(f"{table.name}.json", table_json(table))
    return buffer.getvalue()
