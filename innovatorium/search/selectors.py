"""Search reads, shared by pages and the API: one interface over SQLite FTS5 and PostgreSQL full-text.

A search costs three SQL queries whatever the number of results (hits, total, facet counts), plus one for a
typo fallback on PostgreSQL when nothing matched. Facet counts are "disjunctive": the counts for a field
apply every filter except that field's own, so choosing one care setting still shows how many match the
others.

SQL is written by hand here because the two engines differ. Only constant table and field names and "%s"
placeholders are ever put into the SQL text; everything a person typed travels as a parameter.
"""
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection

from innovatorium.atlas import taxonomy
from innovatorium.challenges.models import ChallengeStatus
from innovatorium.search import query as q
from innovatorium.search.models import DocumentKind

FACET_FIELDS: dict[str, tuple[str, ...]] = {
    DocumentKind.INNOVATION: (
        "stage", "innovation_type", "care_setting", "clinical_area", "network", "evidence_type", "device_class",
        "dtac_status",
    ),
    DocumentKind.CHALLENGE: ("status", "care_setting", "clinical_area", "network"),
    DocumentKind.CASE_STUDY: ("network",),
}
FACET_TITLES: dict[str, str] = {
    "stage": "Stage", "innovation_type": "Type of innovation", "care_setting": "Care setting",
    "clinical_area": "Clinical area", "network": "Network", "evidence_type": "Evidence",
    "device_class": "UKCA/CE class", "dtac_status": "DTAC", "status": "Status",
}
# Fields shown in their natural order rather than by count.
FACET_ORDER: dict[str, dict[str, int]] = {
    "stage": taxonomy.STAGE_ORDER,
    "status": {value: index for index, value in enumerate(ChallengeStatus.values)},
}
MAX_PER_PAGE = 100
MAX_FILTER_VALUES = 30
CANDIDATES = 2000  # at most this many matches are ranked, so very common words stay fast
SNIPPET_TOKENS = 24
FUZZY_THRESHOLD = 0.3

DOC = "search_searchdocument"
FACET = "search_searchfacet"


@dataclass(frozen=True)
class SearchHit:
    kind: str
    object_id: int
    title: str
    snippet: str  # safe HTML: text escaped, matches wrapped in <mark>
    rank: float
    url: str = ""


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetCount]]
    page: int
    per_page: int
    query: str
    kind: str = DocumentKind.INNOVATION
    fuzzy: bool = False  # the hits are near matches for a query that matched nothing exactly
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def facet_groups(self) -> list[tuple[str, str, list[FacetCount]]]:
        """(field, title, counts) for templates, in the kind's field order."""
        return [(name, FACET_TITLES.get(name, name), counts) for name, counts in self.facets.items() if counts]


def clean_filters(kind: str, filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Keep only known facet fields and sane values (unknown fields are ignored, not an error)."""
    allowed = FACET_FIELDS.get(kind, ())
    cleaned: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        if name not in allowed:
            continue
        if isinstance(values, str):
            values = [values]
        kept = list(dict.fromkeys(str(v)[:80] for v in values if v and str(v).strip()))[:MAX_FILTER_VALUES]
        if kept:
            cleaned[name] = kept
    return cleaned


def _kind(kind: str) -> str:
    if kind not in FACET_FIELDS:
        raise ValueError(f"Unknown kind of search: {kind!r}")
    return kind


def _filter_sql(
    kind: str, filters: dict[str, list[str]], network_slug: str | None, *, probe: bool = False
) -> tuple[str, list[Any]]:
    """SQL conditions on `d` (the document) for the filters; field names come from FACET_FIELDS only.

    `probe=True` (when words already narrow the documents) checks each matched document's own facets, which
    costs as much as the matches; otherwise the documents with the chosen values are looked up by value.
    """
    clauses: list[str] = []
    params: list[Any] = []
    wanted = dict(filters)
    if network_slug:
        wanted = {**wanted, "network": [network_slug]} if "network" not in wanted else wanted
        if wanted["network"] != [network_slug]:  # a network page searches only its own network
            clauses.append("1 = 0")
    for name, values in wanted.items():
        placeholders = ", ".join(["%s"] * len(values))
        if probe:
            clauses.append(
                f"EXISTS (SELECT 1 FROM {FACET} pf WHERE pf.document_id = d.id AND pf.field = %s"
                f" AND pf.value IN ({placeholders}))"
            )
            params += [name, *values]
        else:
            clauses.append(
                f"d.id IN (SELECT document_id FROM {FACET} WHERE kind = %s AND field = %s"
                f" AND value IN ({placeholders}))"
            )
            params += [kind, name, *values]
    return "".join(f" AND {clause}" for clause in clauses), params


def _vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _match_sql(vendor: str, expression: str) -> tuple[str, list[Any]]:
    """A condition on `d` meaning "matches the query" (empty expression: everything)."""
    if not expression:
        return "", []
    if vendor == "postgresql":
        return " AND d.search_vector @@ to_tsquery('english', %s)", [expression]
    return " AND d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)", [expression]


def _expression(vendor: str, parsed: q.ParsedQuery) -> str:
    return q.to_tsquery(parsed) if vendor == "postgresql" else q.to_fts5(parsed)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _hit(row: tuple[Any, ...], rank: float | None = None) -> SearchHit:
    _id, kind, object_id, title, url, snippet, row_rank = row
    return SearchHit(
        kind=kind, object_id=int(object_id), title=title, url=url or "",
        snippet=q.highlight(snippet or ""), rank=float(row_rank if rank is None else rank),
    )


def _hits_sqlite(kind: str, fts: str, where: str, params: list[Any], limit: int, offset: int) -> list[SearchHit]:
    if not fts:
        rows = _rows(
            f"SELECT d.id, d.kind, d.object_id, d.title, d.url, substr(d.body, 1, 240), 0"
            f" FROM {DOC} d WHERE d.kind = %s{where} ORDER BY d.published_at DESC, d.id DESC LIMIT %s OFFSET %s",
            [kind, *params, limit, offset],
        )
        return [_hit(row) for row in rows]
    # Rank only the newest CANDIDATES matches (all of them for a selective query): their rowids are those at or
    # above a bound, and FTS5 walks a rowid range cheaply, so very common words stay fast. Snippets are made
    # only for the page of hits.
    rows = _rows(
        f"WITH bound AS MATERIALIZED (SELECT coalesce(min(id), 0) AS low FROM ("
        f" SELECT search_fts.rowid AS id FROM search_fts JOIN {DOC} d ON d.id = search_fts.rowid"
        f" WHERE search_fts MATCH %s AND d.kind = %s{where} ORDER BY search_fts.rowid DESC LIMIT {CANDIDATES})),"
        f" top AS MATERIALIZED ("
        f" SELECT search_fts.rowid AS id, search_fts.rank AS rank FROM search_fts"
        f" JOIN {DOC} d ON d.id = search_fts.rowid"
        f" WHERE search_fts MATCH %s AND search_fts.rowid >= (SELECT low FROM bound) AND d.kind = %s{where}"
        f" ORDER BY search_fts.rank LIMIT %s OFFSET %s)"
        f" SELECT d.id, d.kind, d.object_id, d.title, d.url,"
        f" snippet(search_fts, 1, %s, %s, '…', {SNIPPET_TOKENS}), top.rank"
        f" FROM top JOIN search_fts ON search_fts.rowid = top.id JOIN {DOC} d ON d.id = top.id"
        f" WHERE search_fts MATCH %s ORDER BY top.rank",
        [fts, kind, *params, fts, kind, *params, limit, offset, q.MARK_START, q.MARK_END, fts],
    )
    return [_hit(row, rank=-float(row[6])) for row in rows]


HEADLINE_OPTIONS = (
    f"StartSel={q.MARK_START}, StopSel={q.MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)


def _hits_postgres(kind: str, tsq: str, where: str, params: list[Any], limit: int, offset: int) -> list[SearchHit]:
    if not tsq:
        rows = _rows(
            f"SELECT d.id, d.kind, d.object_id, d.title, d.url, left(d.body, 240), 0"
            f" FROM {DOC} d WHERE d.kind = %s{where} ORDER BY d.published_at DESC, d.id DESC LIMIT %s OFFSET %s",
            [kind, *params, limit, offset],
        )
        return [_hit(row) for row in rows]
    rows = _rows(
        f"WITH query AS (SELECT to_tsquery('english', %s) AS tsq),"
        f" candidates AS MATERIALIZED (SELECT d.id, d.search_vector FROM {DOC} d, query"
        f"  WHERE d.kind = %s AND d.search_vector @@ query.tsq{where} LIMIT {CANDIDATES}),"
        f" top AS (SELECT candidates.id, ts_rank_cd(candidates.search_vector, query.tsq) AS rank"
        f"  FROM candidates, query ORDER BY rank DESC, candidates.id LIMIT %s OFFSET %s)"
        f" SELECT d.id, d.kind, d.object_id, d.title, d.url, ts_headline('english', d.body, query.tsq, %s), top.rank"
        f" FROM top JOIN {DOC} d ON d.id = top.id, query ORDER BY top.rank DESC, d.id",
        [tsq, kind, *params, limit, offset, HEADLINE_OPTIONS],
    )
    return [_hit(row) for row in rows]


@cache
def _has_trigram(alias: str = "default") -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def _fuzzy_postgres(
    kind: str, text: str, where: str, params: list[Any], limit: int
) -> tuple[list[SearchHit], list[int]]:
    """Near matches on the title (a typo such as 'diabetis'), by trigram word similarity."""
    if not _has_trigram():
        return [], []
    text = " ".join(q.parse(text).words)
    if not text:
        return [], []
    rows = _rows(
        f"SELECT d.id, d.kind, d.object_id, d.title, d.url, left(d.body, 240), word_similarity(%s, d.title)"
        f" FROM {DOC} d WHERE d.kind = %s AND %s <%% d.title{where}"
        f" ORDER BY word_similarity(%s, d.title) DESC, d.id LIMIT %s",
        [text, kind, text, *params, text, limit],
    )
    return [_hit(row) for row in rows], [row[0] for row in rows]


def _count(kind: str, match: str, match_params: list[Any], where: str, params: list[Any]) -> int:
    rows = _rows(f"SELECT count(*) FROM {DOC} d WHERE d.kind = %s{match}{where}",
                 [kind, *match_params, *params])
    return int(rows[0][0])


def _facets(
    kind: str, match: str, match_params: list[Any], filters: dict[str, list[str]], network_slug: str | None
) -> dict[str, list[FacetCount]]:
    """Counts for every facet field in one SQL statement (one branch per filtered field, one for the rest)."""
    fields = FACET_FIELDS[kind]
    branches: list[str] = []
    params: list[Any] = []
    unfiltered = [name for name in fields if name not in filters]
    groups = [(unfiltered, filters)] if unfiltered else []
    groups += [([name], {k: v for k, v in filters.items() if k != name}) for name in fields if name in filters]
    for names, applied in groups:
        where, where_params = _filter_sql(kind, applied, network_slug, probe=bool(match))
        placeholders = ", ".join(["%s"] * len(names))
        if match:  # few documents: walk them and their facets (CROSS JOIN keeps SQLite to that order)
            join = "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"
            branches.append(
                f"SELECT f.field, f.value, max(f.label), count(*) FROM {DOC} d {join} {FACET} f"
                f" ON f.document_id = d.id WHERE d.kind = %s{match}{where} AND f.field IN ({placeholders})"
                f" GROUP BY f.field, f.value"
            )
            params += [kind, *match_params, *where_params, *names]
        else:
            branches.append(
                f"SELECT f.field, f.value, max(f.label), count(*) FROM {FACET} f"
                f" WHERE f.kind = %s AND f.field IN ({placeholders}) AND f.document_id IN ("
                f"SELECT d.id FROM {DOC} d WHERE d.kind = %s{where})"
                f" GROUP BY f.field, f.value"
            )
            params += [kind, *names, kind, *where_params]
    rows = _rows(" UNION ALL ".join(branches), params)
    found: dict[str, dict[str, FacetCount]] = {name: {} for name in fields}
    for name, value, label, count in rows:
        found[name][value] = FacetCount(
            value=value, label=label, count=int(count), selected=value in filters.get(name, ())
        )
    result: dict[str, list[FacetCount]] = {}
    for name in fields:
        counts = found[name]
        for value in filters.get(name, ()):  # a chosen value stays visible (to un-choose) even at zero
            counts.setdefault(value, FacetCount(value=value, label=_label(name, value), count=0, selected=True))
        order = FACET_ORDER.get(name)
        if order is not None:
            result[name] = sorted(counts.values(), key=lambda c: (order.get(c.value, 999), c.label))
        else:
            result[name] = sorted(counts.values(), key=lambda c: (-c.count, c.label.casefold()))
    return result


def _label(name: str, value: str) -> str:
    vocabularies = {
        "stage": taxonomy.STAGES, "innovation_type": taxonomy.INNOVATION_TYPES, "care_setting": taxonomy.CARE_SETTINGS,
        "clinical_area": taxonomy.CLINICAL_AREAS, "evidence_type": taxonomy.EVIDENCE_TYPES,
        "device_class": taxonomy.DEVICE_CLASSES, "dtac_status": taxonomy.DTAC_STATUSES,
        "status": dict(ChallengeStatus.choices),
    }
    return vocabularies.get(name, {}).get(value, value)


def search(
    *,
    kind: str,
    query: str = "",
    filters: dict[str, list[str]] | None = None,
    network_slug: str | None = None,
    page: int = 1,
    per_page: int = 20,
    prefix_last: bool = False,
) -> SearchResults:
    """Search one kind of document. An empty query browses, newest first. Three SQL queries at most
    (four when a PostgreSQL typo fallback runs)."""
    kind = _kind(kind)
    vendor = _vendor()
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    offset = (page - 1) * per_page
    filters = clean_filters(kind, filters)
    parsed = q.parse(query, prefix_last=prefix_last)
    expression = _expression(vendor, parsed)
    where, params = _filter_sql(kind, filters, network_slug, probe=bool(expression))
    match, match_params = _match_sql(vendor, expression)

    if offset >= CANDIDATES and expression:
        hits: list[SearchHit] = []
    elif vendor == "postgresql":
        hits = _hits_postgres(kind, expression, where, params, per_page, offset)
    else:
        hits = _hits_sqlite(kind, expression, where, params, per_page, offset)
    complete = len(hits) < per_page and (hits or offset == 0) and offset + per_page <= CANDIDATES
    total = offset + len(hits) if complete else _count(kind, match, match_params, where, params)
    fuzzy = False
    if total == 0 and expression and vendor == "postgresql" and page == 1:
        hits, ids = _fuzzy_postgres(kind, query, where, params, per_page)
        fuzzy = bool(hits)
        total = len(hits)
        if fuzzy:  # facets describe the near matches shown
            match, match_params = f" AND d.id IN ({', '.join(['%s'] * len(ids))})", ids
    facets = _facets(kind, match, match_params, filters, network_slug)
    return SearchResults(
        hits=hits, total=total, facets=facets, page=page, per_page=per_page, query=query, kind=kind, fuzzy=fuzzy,
        filters=filters,
    )


def suggest(*, kind: str, prefix: str, limit: int = 8) -> list[str]:
    """Titles for type-ahead, from three characters: every word must match, the last one as a prefix."""
    kind = _kind(kind)
    limit = max(1, min(int(limit), 20))
    if len(prefix.strip()) < 3:
        return []
    parsed = q.parse(prefix, prefix_last=True, min_prefix=1)
    if not parsed:
        return []
    if _vendor() == "postgresql":
        rows = _rows(
            f"WITH query AS (SELECT to_tsquery('english', %s) AS tsq),"
            f" candidates AS MATERIALIZED (SELECT d.title, d.search_vector FROM {DOC} d, query"
            f"  WHERE d.kind = %s AND d.search_vector @@ query.tsq LIMIT 200)"
            f" SELECT title FROM candidates, query"
            f" ORDER BY ts_rank(search_vector, query.tsq) DESC, length(title), title LIMIT %s",
            [q.to_tsquery(parsed, weights="A"), kind, limit * 3],
        )
    else:
        rows = _rows(
            f"WITH candidates AS MATERIALIZED (SELECT d.title, search_fts.rank AS rank FROM search_fts"
            f" JOIN {DOC} d ON d.id = search_fts.rowid WHERE search_fts MATCH %s AND d.kind = %s LIMIT 200)"
            f" SELECT title FROM candidates ORDER BY rank, length(title), title LIMIT %s",
            [q.to_fts5(parsed, column="title"), kind, limit * 3],
        )
    return list(dict.fromkeys(row[0] for row in rows))[:limit]
