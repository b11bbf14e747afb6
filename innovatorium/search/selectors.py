"""Search reads, shared by pages and the API: one interface over SQLite FTS5 and PostgreSQL full-text.

A search first reads the index-version token (a search this process answered since the index last changed is
answered again from memory: one query in all). Filters, the exact total and the facet counts come from this
process's in-memory facet index (facet_index.py: boolean matrices per field), rebuilt in one statement after any
write to the index tables, detected by the token. Then:

- on SQLite, one query reads the ids of every match (and the token again, in the same statement), and one ranks
  a bounded set of candidates by FTS5's bm25 and makes snippets for the page of hits: three queries in all;
- on PostgreSQL, the first query also turns the words into lexemes, and this process's in-memory text index
  (text_index.py, built like the facet index) finds every match and ranks them all by the same bm25; one more
  query reads the page of hits and makes their snippets: two queries in all. A phrase, which needs word
  positions, or a search while another thread builds the text index, is answered as on SQLite, by SQL
  (`@@` on the GIN index, ts_rank_cd over the candidates).

A PostgreSQL typo fallback adds two queries when nothing matched. Facet counts are "disjunctive": the counts
for a field apply every filter except that field's own, so choosing one care setting still shows how many match
the others.

Where SQL ranks, ranking is exact over all matches of a selective query; a query matching more than CANDIDATES
documents ranks its newest CANDIDATES matches (after filters), so very common words stay fast.

SQL is written by hand here because the two engines differ. Only constant table and field names and "%s"
placeholders are ever put into the SQL text; everything a person typed travels as a parameter.
"""
# ruff: noqa: S608

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from django.db import connection

from innovatorium.atlas import taxonomy
from innovatorium.challenges.models import ChallengeStatus
from innovatorium.core.inflight import InFlight
from innovatorium.search import facet_index as fi
from innovatorium.search import query as q
from innovatorium.search import text_index as ti
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
FUZZY_CANDIDATES = 500

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


def _conditions(filters: dict[str, list[str]], network_slug: str | None) -> dict[str, list[str]] | None:
    """The filters with a network page's own network added; None when they cannot match anything (a network
    page searches only its own network)."""
    wanted = dict(filters)
    if network_slug:
        if "network" not in wanted:
            wanted["network"] = [network_slug]
        elif wanted["network"] != [network_slug]:
            return None
    return wanted


def _vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


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


# The in-memory facet index, per database and kind. Every search reads the index-version token in the same
# statement as its matches, so a cached index is used only when it describes exactly the rows that statement
# saw; otherwise it is rebuilt (one statement, which reads the token again).
_INDEXES: dict[tuple[str, str, str], fi.FacetIndex] = {}
_INDEX_LOCK = threading.Lock()
VERSION_SQL = "SELECT token FROM search_searchindexversion WHERE id = 1"


def _cache_key(kind: str) -> tuple[str, str, str]:
    return (connection.alias, str(connection.settings_dict.get("NAME")), kind)


def _token(value: Any) -> int | None:
    return None if value is None else int(value)


def _build_index(kind: str, vendor: str) -> fi.FacetIndex:
    if vendor == "postgresql":
        ids_agg = "string_agg(document_id::text, ',' ORDER BY document_id)"
        order = (f"(SELECT string_agg(id::text, ',' ORDER BY published_at DESC, id DESC) FROM {DOC}"
                 f" WHERE kind = %s)")
    else:
        ids_agg = "group_concat(document_id)"
        order = (f"(SELECT group_concat(id) FROM (SELECT id FROM {DOC} WHERE kind = %s"
                 f" ORDER BY published_at DESC, id DESC))")
    rows = _rows(
        f"SELECT g.field, g.value, f.label, g.ids FROM ("
        f" SELECT field, value, {ids_agg} AS ids, min(id) AS first FROM {FACET} WHERE kind = %s"
        f" GROUP BY field, value) g JOIN {FACET} f ON f.id = g.first"
        f" UNION ALL SELECT NULL, NULL, CAST(({VERSION_SQL}) AS TEXT), {order}",
        [kind, kind],
    )
    groups = sorted((row for row in rows if row[0] is not None), key=lambda row: (row[0], row[1]))
    token, order_ids = next((row[2], row[3]) for row in rows if row[0] is None)
    return fi.build(token=_token(token), order_ids=order_ids, groups=groups)


_BUILD_LOCKS: dict[tuple[str, str, str], threading.Lock] = {}


def _current_index(
    key: tuple[str, str, str], token: int | None, build: Callable[[], fi.FacetIndex]
) -> fi.FacetIndex:
    """This process's facet index if it has the version `token`, else a new one from `build`.

    One thread builds at a time; the others wait and then use its index. (A build takes a second at national
    scale, and a new process, or any write to the index, used to set every thread building the same index.)
    """
    index = _INDEXES.get(key)
    if token is not None and index is not None and index.token == token:
        return index
    with _INDEX_LOCK:
        lock = _BUILD_LOCKS.setdefault(key, threading.Lock())
    with lock:
        index = _INDEXES.get(key)
        if token is not None and index is not None and index.token == token:  # built while this one waited
            return index
        index = build()
        if index.token is not None:
            with _INDEX_LOCK:
                _INDEXES[key] = index
        return index


def _matches(kind: str, vendor: str, expression: str) -> tuple[fi.FacetIndex, np.ndarray | None]:
    """The facet index and the ids matching the expression (None: no expression, everything), read together.

    One statement reads the version token and the matches; a stale or missing index is rebuilt, and if the
    index changed in between (another process wrote), the matches are read again.
    """
    key = _cache_key(kind)
    for _attempt in range(3):
        if not expression:
            rows = _rows(f"SELECT ({VERSION_SQL}), NULL", [])
        elif vendor == "postgresql":
            rows = _rows(
                f"SELECT ({VERSION_SQL}), (SELECT string_agg(d.id::text, ',') FROM {DOC} d"
                f" WHERE d.kind = %s AND d.search_vector @@ to_tsquery('english', %s))",
                [kind, expression],
            )
        else:
            rows = _rows(
                f"SELECT ({VERSION_SQL}),"
                f" (SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH %s)",
                [expression],
            )
        token, ids_text = _token(rows[0][0]), rows[0][1]
        ids = fi.parse_ids(ids_text) if expression else None
        index = _current_index(key, token, lambda: _build_index(kind, vendor))
        if index.token == token:  # both statements saw the same index (None: no version row, never cached)
            return index, ids
    return index, ids  # the index keeps changing under us: the matches are at most a moment old


# The in-memory text index (text_index.py), per database and kind, PostgreSQL only. One thread builds it (a few
# seconds at national scale); meanwhile the other threads search with SQL, as they always do for phrases.
_TEXT_INDEXES: dict[tuple[str, str, str], ti.TextIndex] = {}
_TEXT_BUILD_LOCKS: dict[tuple[str, str, str], threading.Lock] = {}
_TEXT_TOO_BIG: dict[tuple[str, str, str], int | None] = {}  # the index version at which the index was too big
# The text index is built only while the GIN index of the tsvectors is at most this size. GIN takes about 5 bytes
# a posting, and a text index holds about 6 and needs some 80 more while it is built: the national bench's
# 4.4 million postings (24 MB of GIN) took 3-5 s and 350 MB; the search bench's longer documents, 17 million
# postings (88 MB of GIN), took 30 s (gunicorn's request timeout) and 1.4 GB. Beyond it, SQL answers every search.
TEXT_INDEX_MAX_GIN_BYTES = 40_000_000


def _build_text_index(kind: str) -> tuple[int | None, ti.TextIndex | None]:
    """(version token, the text index, or None when the index is too big to hold: see TEXT_INDEX_MAX_GIN_BYTES)."""
    # Postings grouped by lexeme, in one statement with the version token and the size check (evaluated once,
    # before any row is read). A code is the lexeme's count in the document, plus 256 when its first occurrence
    # is in the title (weight A: the title comes first).
    rows = _rows(
        f"WITH size AS (SELECT pg_relation_size('search_doc_vector'::regclass) AS gin_bytes)"
        f" SELECT ({VERSION_SQL}), (SELECT gin_bytes FROM size), array_agg(lexeme), string_agg(n::text, ','),"
        f" string_agg(postings, ',') FROM ("
        f" SELECT u.lexeme, count(*) AS n, string_agg(d.id::text || ',' || (least(coalesce(cardinality(u.positions),"
        f" 1), 255) + CASE WHEN u.weights[1] = 'A' THEN 256 ELSE 0 END)::text, ',') AS postings"
        f" FROM {DOC} d, unnest(d.search_vector) u"
        f" WHERE d.kind = %s AND (SELECT gin_bytes FROM size) <= %s GROUP BY u.lexeme) per_lexeme",
        [kind, TEXT_INDEX_MAX_GIN_BYTES],
    )
    token, gin_bytes, lexemes, counts, postings = rows.pop()
    if gin_bytes is not None and gin_bytes > TEXT_INDEX_MAX_GIN_BYTES:
        return _token(token), None
    pairs = fi.parse_ids(postings).reshape(-1, 2)
    del postings  # tens of megabytes of text at national scale: let it go before the arrays are sorted
    return _token(token), ti.build(
        token=_token(token), lexemes=list(lexemes or []), counts=fi.parse_ids(counts), ids=pairs[:, 0],
        codes=pairs[:, 1],
    )


def _current_text_index(key: tuple[str, str, str], token: int, kind: str) -> ti.TextIndex | None:
    """This process's text index at version `token`; None while another thread builds one, when the index
    changed again while this thread built it, or when it is too big to hold at this version."""
    index = _TEXT_INDEXES.get(key)
    if index is not None and index.token == token:
        return index
    if key in _TEXT_TOO_BIG and _TEXT_TOO_BIG[key] == token:
        return None
    with _INDEX_LOCK:
        lock = _TEXT_BUILD_LOCKS.setdefault(key, threading.Lock())
    if not lock.acquire(blocking=False):
        return None
    try:
        index = _TEXT_INDEXES.get(key)
        if index is None or index.token != token:
            built_at, index = _build_text_index(kind)
            if index is None:
                _TEXT_INDEXES.pop(key, None)
                _TEXT_TOO_BIG[key] = built_at
                return None
            if index.token is not None:
                _TEXT_INDEXES[key] = index
        return index if index.token == token else None
    finally:
        lock.release()


def _text_matches(
    kind: str, token: int | None, tsquery_text: str | None
) -> tuple[fi.FacetIndex, ti.TextIndex, list[ti.Term], np.ndarray] | None:
    """The facet index, text index, terms and matching ids, all at version `token`, when the in-memory text
    index can answer this query (PostgreSQL, no phrase); else None, for SQL to answer."""
    if token is None or tsquery_text is None:
        return None
    terms = ti.terms_of(tsquery_text)
    if terms is None:
        return None
    key = _cache_key(kind)
    text = _current_text_index(key, token, kind)
    if text is None:
        return None
    index = _current_index(key, token, lambda: _build_index(kind, "postgresql"))
    if index.token != token:
        return None
    return index, text, terms, text.matches(terms)


def _ranked_hits_postgres(
    tsq: str, text: ti.TextIndex, terms: list[ti.Term], selected_ids: np.ndarray, limit: int, offset: int
) -> list[SearchHit]:
    """Rank every selected match in memory; read only the page's rows (and make their snippets)."""
    ids = np.sort(selected_ids)
    page = ti.top(ids, text.scores(terms, ids), offset, limit)
    if not page:
        return []
    rows = _rows(
        f"SELECT d.id, d.kind, d.object_id, d.title, d.url,"
        f" ts_headline('english', d.body, to_tsquery('english', %s), %s), 0 FROM {DOC} d"
        f" WHERE d.id = ANY(string_to_array(%s, ',')::bigint[])",
        [tsq, HEADLINE_OPTIONS, ",".join(str(i) for i, _score in page)],
    )
    by_id = {row[0]: row for row in rows}
    return [_hit(by_id[i], rank=score) for i, score in page if i in by_id]


def _selection(
    index: fi.FacetIndex, base: np.ndarray, applied: dict[str, list[str]], network_slug: str | None,
    masks: dict[tuple[str, tuple[str, ...]], np.ndarray],
) -> np.ndarray:
    wanted = _conditions(applied, network_slug)
    if wanted is None:
        return np.zeros(index.size, dtype=bool)
    selection = base
    for name, values in wanted.items():
        key = (name, tuple(values))
        if key not in masks:
            masks[key] = index.field_mask(name, values)
        selection = selection & masks[key]
    return selection


def _facets(
    kind: str, index: fi.FacetIndex, base: np.ndarray, filters: dict[str, list[str]], network_slug: str | None,
    selected: np.ndarray, masks: dict[tuple[str, tuple[str, ...]], np.ndarray],
) -> dict[str, list[FacetCount]]:
    """Disjunctive counts: a field's counts apply every filter except that field's own."""
    result: dict[str, list[FacetCount]] = {}
    packed_selected = np.packbits(selected)
    for name in FACET_FIELDS[kind]:
        if name in filters:
            applied = {other: values for other, values in filters.items() if other != name}
            selection = _selection(index, base, applied, network_slug, masks)
            packed = np.packbits(selection)
        else:
            selection, packed = selected, packed_selected
        counts = {
            value: FacetCount(value=value, label=label, count=count, selected=value in filters.get(name, ()))
            for value, label, count in index.counts(name, selection, packed)
        }
        for value in filters.get(name, ()):  # a chosen value stays visible (to un-choose) even at zero
            counts.setdefault(value, FacetCount(value=value, label=_label(name, value), count=0, selected=True))
        order = FACET_ORDER.get(name)
        if order is not None:
            result[name] = sorted(counts.values(), key=lambda c: (order.get(c.value, 999), c.label))
        else:
            result[name] = sorted(counts.values(), key=lambda c: (-c.count, c.label.casefold()))
    return result


def _browse_hits(index: fi.FacetIndex, selected: np.ndarray, limit: int, offset: int) -> list[SearchHit]:
    ids = [int(i) for i in index.ids_in_order(selected)[offset:offset + limit]]
    if not ids:
        return []
    body = "left(d.body, 240)" if _vendor() == "postgresql" else "substr(d.body, 1, 240)"
    rows = _rows(
        f"SELECT d.id, d.kind, d.object_id, d.title, d.url, {body}, 0 FROM {DOC} d"
        f" WHERE d.id IN ({', '.join(['%s'] * len(ids))})",
        ids,
    )
    by_id = {row[0]: row for row in rows}
    return [_hit(by_id[i]) for i in ids if i in by_id]


def _candidates(index: fi.FacetIndex, selected: np.ndarray) -> np.ndarray:
    """The matches to rank, ascending: all of them for a selective query, else the newest CANDIDATES (by id)."""
    ids = index.ids_in_order(selected)
    if len(ids) > CANDIDATES:
        ids = np.partition(ids, len(ids) - CANDIDATES)[-CANDIDATES:]
    return np.sort(ids)


def _hits_sqlite(
    fts: str, matched: np.ndarray, candidates: np.ndarray, limit: int, offset: int
) -> list[SearchHit]:
    # FTS5 walks a rowid range cheaply. When the range holds other matches too (filtered out, or another
    # kind's), a JSON list keeps only the candidates, and ordering by `+rank` (not something FTS5 can sort
    # itself) makes SQLite compute bm25 for the candidates alone. Snippets are made only for the page.
    low, high = int(candidates[0]), int(candidates[-1])
    in_range = int(np.count_nonzero((matched >= low) & (matched <= high)))
    only = ""
    params: list[Any] = [fts, low, high]
    if in_range != len(candidates):
        only = " AND +search_fts.rowid IN (SELECT value FROM json_each(%s))"
        params.append(json.dumps(candidates.tolist()))
    rows = _rows(
        f"WITH top AS MATERIALIZED ("
        f" SELECT search_fts.rowid AS id, search_fts.rank AS rank FROM search_fts"
        f" WHERE search_fts MATCH %s AND search_fts.rowid BETWEEN %s AND %s{only}"
        f" ORDER BY +search_fts.rank, search_fts.rowid DESC LIMIT %s OFFSET %s)"
        f" SELECT d.id, d.kind, d.object_id, d.title, d.url,"
        f" snippet(search_fts, 1, %s, %s, '…', {SNIPPET_TOKENS}), top.rank"
        f" FROM top CROSS JOIN search_fts CROSS JOIN {DOC} d"  # CROSS JOIN: look up each hit, never scan all
        f" WHERE search_fts.rowid = top.id AND d.id = top.id AND search_fts MATCH %s ORDER BY top.rank, top.id DESC",
        [*params, limit, offset, q.MARK_START, q.MARK_END, fts],
    )
    return [_hit(row, rank=-float(row[6])) for row in rows]


HEADLINE_OPTIONS = (
    f"StartSel={q.MARK_START}, StopSel={q.MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)


def _hits_postgres(tsq: str, candidates: np.ndarray, limit: int, offset: int) -> list[SearchHit]:
    rows = _rows(
        f"WITH query AS (SELECT to_tsquery('english', %s) AS tsq),"
        f" top AS (SELECT d.id, ts_rank_cd(d.search_vector, query.tsq) AS rank FROM {DOC} d, query"
        f"  WHERE d.id = ANY(string_to_array(%s, ',')::bigint[]) ORDER BY rank DESC, d.id DESC LIMIT %s OFFSET %s)"
        f" SELECT d.id, d.kind, d.object_id, d.title, d.url, ts_headline('english', d.body, query.tsq, %s), top.rank"
        f" FROM top JOIN {DOC} d ON d.id = top.id, query ORDER BY top.rank DESC, d.id DESC",
        [tsq, ",".join(map(str, candidates.tolist())), limit, offset, HEADLINE_OPTIONS],
    )
    return [_hit(row) for row in rows]


@cache
def _has_trigram(alias: str = "default") -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def _fuzzy_postgres(
    kind: str, text: str, index: fi.FacetIndex, filters: dict[str, list[str]], network_slug: str | None,
    limit: int,
) -> tuple[list[SearchHit], list[int]]:
    """Near matches on the title (a typo such as 'diabetis'), by trigram word similarity."""
    if not _has_trigram():
        return [], []
    text = " ".join(q.parse(text).words)
    if not text:
        return [], []
    # At most FUZZY_CANDIDATES near titles are read: a misspelt common word ('reabilitation') is near thousands
    # of titles, and any of those is as near as the next. The filters are applied here, with the facet index:
    # in SQL, a condition per filter on each near title took 40-90 ms.
    near = _rows(
        f"SELECT id, word_similarity(%s, title) FROM (SELECT d.id, d.title FROM {DOC} d"
        f" WHERE d.kind = %s AND %s <%% d.title LIMIT %s) near",
        [text, kind, text, FUZZY_CANDIDATES],
    )
    if not near:
        return [], []
    similarity = dict(near)
    selected = _selection(index, index.mask_of(np.array(list(similarity), dtype=np.int64)), filters, network_slug, {})
    chosen = sorted((int(i) for i in index.ids_in_order(selected)), key=lambda i: (-similarity[i], i))[:limit]
    if not chosen:
        return [], []
    rows = _rows(
        f"SELECT d.id, d.kind, d.object_id, d.title, d.url, left(d.body, 240), 0 FROM {DOC} d"
        f" WHERE d.id = ANY(string_to_array(%s, ',')::bigint[])",
        [",".join(map(str, chosen))],
    )
    by_id = {row[0]: row for row in rows}
    return [_hit(by_id[i], rank=similarity[i]) for i in chosen if i in by_id], [i for i in chosen if i in by_id]


def _label(name: str, value: str) -> str:
    vocabularies = {
        "stage": taxonomy.STAGES, "innovation_type": taxonomy.INNOVATION_TYPES, "care_setting": taxonomy.CARE_SETTINGS,
        "clinical_area": taxonomy.CLINICAL_AREAS, "evidence_type": taxonomy.EVIDENCE_TYPES,
        "device_class": taxonomy.DEVICE_CLASSES, "dtac_status": taxonomy.DTAC_STATUSES,
        "status": dict(ChallengeStatus.choices),
    }
    return vocabularies.get(name, {}).get(value, value)


# Searches repeat: a few are common, most are rare. Each process keeps its last RESULTS_KEPT results, keyed by the
# search and the index-version token read just before, so a kept result is never older than the index (any write
# to the index tables sets a new random token). Signed-out pages have the page cache; this serves signed-in
# people, the API, and everyone after a write elsewhere on the site empties the page cache.
RESULTS_KEPT = 256
_RESULTS: OrderedDict[tuple[Any, ...], SearchResults] = OrderedDict()
_RESULTS_LOCK = threading.Lock()


def forget_kept_results() -> None:
    """Drop this process's kept results (tests start each one clean)."""
    with _RESULTS_LOCK:
        _RESULTS.clear()


def _kept(key: tuple[Any, ...]) -> SearchResults | None:
    with _RESULTS_LOCK:
        found = _RESULTS.get(key)
        if found is not None:
            _RESULTS.move_to_end(key)
        return found


def _keep(key: tuple[Any, ...], results: SearchResults) -> None:
    with _RESULTS_LOCK:
        _RESULTS[key] = results
        _RESULTS.move_to_end(key)
        while len(_RESULTS) > RESULTS_KEPT:
            _RESULTS.popitem(last=False)


# The same search asked by several threads at once (a popular search just after a write emptied the page cache)
# is worked out by the first; the others wait for its result rather than each doing the same work.
_IN_FLIGHT = InFlight()
SAME_SEARCH_WAIT_SECONDS = 10.0


def _join_same_search(key: tuple[Any, ...]) -> tuple[bool, SearchResults | None]:
    """(True, None): this thread is the first to ask, and works it out. (False, results): another thread just
    did. (False, None): another thread was asked but kept nothing (an error, or the index changed): work it out."""
    running = _IN_FLIGHT.join(key)
    if running is None:
        return True, None
    running.wait(SAME_SEARCH_WAIT_SECONDS)
    return False, _kept(key)


def prepare_indexes(kind: str) -> None:
    """Build this process's in-memory indexes of a kind for the current index version, if they are not built
    (the load bench warms every process this way, as it warms connections)."""
    kind = _kind(kind)
    token = _token(_rows(f"SELECT ({VERSION_SQL})", [])[0][0])
    _current_index(_cache_key(kind), token, lambda: _build_index(kind, _vendor()))
    if _vendor() == "postgresql" and token is not None:
        _current_text_index(_cache_key(kind), token, kind)


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
    """Search one kind of document. An empty query browses, newest first. One SQL query when this process has
    the same search's results for the current index; otherwise two on PostgreSQL and three on SQLite (see the
    module's docstring; one more after any write to the index, which rebuilds this process's in-memory
    indexes, and two more for a PostgreSQL typo fallback)."""
    kind = _kind(kind)
    vendor = _vendor()
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    filters = clean_filters(kind, filters)
    parsed = q.parse(query, prefix_last=prefix_last)
    expression = _expression(vendor, parsed)
    asked = (*_cache_key(kind), query, expression, tuple(sorted((name, tuple(values)) for name, values in
                                                              filters.items())), network_slug, page, per_page)
    if vendor == "postgresql" and expression:  # the query's lexemes too, for the in-memory text index
        first = _rows(f"SELECT ({VERSION_SQL}), to_tsquery('english', %s)::text", [expression])
    else:
        first = _rows(f"SELECT ({VERSION_SQL}), NULL", [])
    token, tsquery_text = _token(first[0][0]), first[0][1]
    if token is not None and (kept := _kept((token, *asked))) is not None:
        return kept

    leader, answered = _join_same_search((token, *asked)) if token is not None else (False, None)
    if answered is not None:
        return answered
    try:
        return _answer(
            kind=kind, vendor=vendor, query=query, expression=expression, filters=filters, network_slug=network_slug,
            page=page, per_page=per_page, token=token, tsquery_text=tsquery_text, asked=asked,
        )
    finally:
        if leader:
            _IN_FLIGHT.leave((token, *asked))


def _answer(
    *, kind: str, vendor: str, query: str, expression: str, filters: dict[str, list[str]], network_slug: str | None,
    page: int, per_page: int, token: int | None, tsquery_text: str | None, asked: tuple[Any, ...],
) -> SearchResults:
    offset = (page - 1) * per_page
    in_memory = _text_matches(kind, token, tsquery_text) if vendor == "postgresql" and expression else None
    if in_memory is not None:
        index, text, terms, matched = in_memory
    else:
        index, matched = _matches(kind, vendor, expression)
    base = index.everything() if matched is None else index.mask_of(matched)
    masks: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
    selected = _selection(index, base, filters, network_slug, masks)
    total = int(np.count_nonzero(selected))

    hits: list[SearchHit] = []
    if matched is None:
        hits = _browse_hits(index, selected, per_page, offset)
    elif in_memory is not None:
        hits = _ranked_hits_postgres(expression, text, terms, index.ids_in_order(selected), per_page, offset)
    elif total and offset < CANDIDATES:
        candidates = _candidates(index, selected)
        if vendor == "postgresql":
            hits = _hits_postgres(expression, candidates, per_page, offset)
        else:
            hits = _hits_sqlite(expression, matched, candidates, per_page, offset)
    fuzzy = False
    if total == 0 and expression and vendor == "postgresql" and page == 1:
        hits, ids = _fuzzy_postgres(kind, query, index, filters, network_slug, per_page)
        fuzzy = bool(hits)
        total = len(hits)
        if fuzzy:  # facets describe the near matches shown
            base = index.mask_of(np.array(ids, dtype=np.int64))
            selected = _selection(index, base, filters, network_slug, masks)
    facets = _facets(kind, index, base, filters, network_slug, selected, masks)
    results = SearchResults(
        hits=hits, total=total, facets=facets, page=page, per_page=per_page, query=query, kind=kind, fuzzy=fuzzy,
        filters=filters,
    )
    if index.token is not None:  # kept under the token of the index these results were computed from
        _keep((index.token, *asked), results)
    return results


def suggest(*, kind: str, prefix: str, limit: int = 8) -> list[str]:
    """Titles for type-ahead, from three characters: every word must match, the last one as a prefix.

    On PostgreSQL (with pg_trgm) one statement reads two bounded candidate sets: titles that start with the
    typed text (a btree on lower(title) with text_pattern_ops) and titles with a word starting with each typed
    word (the trigram index on the title answers the ILIKE conditions; a word-start regex rechecks them). Only
    those few hundred candidates are ordered: titles starting with the text first, then by word similarity.
    """
    kind = _kind(kind)
    limit = max(1, min(int(limit), 20))
    if len(prefix.strip()) < 3:
        return []
    parsed = q.parse(prefix, prefix_last=True, min_prefix=1)
    if not parsed:
        return []
    if _vendor() == "postgresql":
        if _has_trigram():
            rows = _suggest_postgres(kind, parsed.words, limit)
        else:
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


SUGGEST_CANDIDATES = 200
TRIGRAM = 3  # the trigram index can answer a `%word%` condition only for words of at least this length


def _suggest_postgres(kind: str, words: list[str], limit: int) -> list[tuple[Any, ...]]:
    # Words are runs of letters and digits (query.parse), so they carry no LIKE or regex metacharacters.
    text = " ".join(words)
    indexed = [word for word in words if len(word) >= TRIGRAM]
    starts = (
        f"SELECT d.title, 0 AS grp FROM {DOC} d WHERE d.kind = %s AND lower(d.title) LIKE %s LIMIT %s"
    )
    params: list[Any] = [kind, text.lower() + "%", SUGGEST_CANDIDATES]
    inside = ""
    if indexed:  # without a word the trigram index can use, only the starts-with candidates are read
        conditions = " AND ".join(["d.title ILIKE %s"] * len(indexed) + ["d.title ~* %s"] * len(words))
        inside = (
            f" UNION ALL (SELECT d.title, 1 AS grp FROM {DOC} d WHERE d.kind = %s AND {conditions} LIMIT %s)"
        )
        params += [kind, *(f"%{word}%" for word in indexed), *(rf"\m{word}" for word in words),
                   SUGGEST_CANDIDATES]
    return _rows(
        f"WITH candidates AS MATERIALIZED (({starts}){inside})"
        f" SELECT title FROM candidates"
        f" ORDER BY grp, word_similarity(%s, title) DESC, length(title), title"
        f" LIMIT %s",
        [*params, text, limit * 3],
    )
