"""CSV importers: sites from the ODS layouts, populations and deprivation, and adoption records.

Each importer checks the whole file first and writes it all in one transaction: if any row is wrong nothing is
written, and every problem is reported with its line and column. Every import goes on the public record as one
entry (counts and the file's SHA-256, so anyone holding the file can check it is the one imported).

The register holds aggregate figures only: a file with anything shaped like a valid NHS number (10 digits passing
the modulus-11 check) in any cell is refused, with the line and column.

ODS layouts (NHS Organisation Data Service "etrust.csv", "epraccur.csv" and the ICB file) have no header row and are
accepted unchanged. Columns used, counting from 1: 1 organisation code, 2 name, 3 national grouping (NHS England
region), 4 high level health geography (the ICB), 5–9 address lines, 10 postcode, 11 open date, 12 close date
(YYYYMMDD); for GP practices also 15 commissioner. Other columns are ignored. Parents: a GP practice's parent is its
commissioner or, failing that, its ICB (column 4); a trust's is its ICB; an ICB has none. A parent is linked only
when it is already in the register or in the same file. A site takes the network given to the import or, failing
that, its parent's.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from innovatorium.adoption.models import STATUS_RANK, Adoption, AdoptionStatusChange, Site, SiteType, Status
from innovatorium.adoption.nhs_number import is_nhs_number
from innovatorium.atlas.models import Innovation
from innovatorium.networks.models import Network
from innovatorium.people.models import ODS_CODE_RE, Person
from innovatorium.record.services import record_append

Progress = Callable[[Iterable[Any]], Iterable[Any]]
MAX_ERRORS = 200  # problems listed; the count of all of them is still given

ODS_LAYOUTS: dict[str, SiteType] = {
    "trusts": SiteType.TRUST,
    "gp_practices": SiteType.GP_PRACTICE,
    "icbs": SiteType.ICB,
}
ODS_MIN_COLUMNS = 12
POPULATION_COLUMNS = ["ods_code", "population", "imd_decile"]
POPULATION_OPTIONAL = ["source"]
ADOPTION_REQUIRED = ["ods_code", "innovation", "status", "date"]
ADOPTION_OPTIONAL = ["reason", "population_covered", "patients_reached", "source", "verified"]
TRUE_WORDS, FALSE_WORDS = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}
STATUS_VALUES = {s.value for s in Status}


@dataclass(frozen=True, order=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column “{self.column}”" if self.column else "")
        return f"{where}: {self.reason}"


class ImportRejected(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, errors: list[RowError], total: int | None = None) -> None:
        self.errors = sorted(errors)[:MAX_ERRORS]
        self.total = total if total is not None else len(errors)
        super().__init__(f"{self.total} problem(s) in the file; nothing was imported.")


@dataclass(frozen=True)
class ImportResult:
    kind: str
    rows: int
    created: int
    updated: int


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.count = 0

    def add(self, line: int, column: str, reason: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS * 5:
            self.items.append(RowError(line, column, reason))

    def raise_if_any(self) -> None:
        if self.count:
            raise ImportRejected(self.items, self.count)


def _text(data: bytes | str) -> str:
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    return data.removeprefix("\ufeff")


def _sha256(data: bytes | str) -> str:
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()


def _check_nhs_numbers(errors: _Errors, line: int, row: list[str], names: list[str]) -> None:
    for i, cell in enumerate(row):
        if 9 < len(cell) < 15 and cell[-1:].isdigit() and is_nhs_number(cell):
            column = names[i] if i < len(names) else f"column {i + 1}"
            errors.add(line, column, "This looks like an NHS number. The register holds aggregate figures only: "
                                     "remove patient-level data and upload again.")


def _rows(reader: Any) -> Iterator[list[str]]:
    """The reader's rows; a file that is not well-formed CSV (a stray carriage return inside a cell, say) is refused
    with the line where the reader stopped, instead of failing with an error page."""
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportRejected([RowError(reader.line_num or 1, "", f"This is not a well-formed CSV file here ({exc}). "
                                                                 "Save it again as CSV and upload it.")]) from exc


def _ods_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    return dt.datetime.strptime(value, "%Y%m%d").date()  # noqa: DTZ007 - a calendar date, no time


# --- ODS sites -------------------------------------------------------------------------------------------------


def import_ods_sites(
    data: bytes | str,
    *,
    layout: str,
    actor: Person | None,
    network: Network | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import or update sites from an ODS file (``layout``: trusts, gp_practices or icbs)."""
    if layout not in ODS_LAYOUTS:
        raise ValueError(f"unknown ODS layout {layout!r}; use one of {', '.join(ODS_LAYOUTS)}")
    site_type = ODS_LAYOUTS[layout]
    text = _text(data)
    rows = list(_rows(csv.reader(io.StringIO(text))))
    errors = _Errors()
    names = ["organisation code", "name", "national grouping", "high level health geography"]
    parsed: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(progress(rows) if progress else rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        _check_nhs_numbers(errors, line, row, names)
        if len(row) < ODS_MIN_COLUMNS:
            errors.add(line, "", f"Wrong layout: {len(row)} columns, an ODS file has at least {ODS_MIN_COLUMNS} "
                                 "(code, name, national grouping, health geography, address, postcode, dates).")
            continue
        code = row[0].strip().upper()
        if line == 1 and not ODS_CODE_RE.match(code):
            errors.add(line, "organisation code", "Wrong layout: ODS files have no header row; the first column "
                                                  f"must be an organisation code, not “{row[0][:40]}”.")
            continue
        if not ODS_CODE_RE.match(code):
            errors.add(line, "organisation code", f"“{code[:20]}” is not an ODS code.")
            continue
        if code in seen:
            errors.add(line, "organisation code", f"{code} appears twice: also on line {seen[code]}.")
            continue
        seen[code] = line
        name = row[1].strip()
        if not name:
            errors.add(line, "name", "This cell is empty; it must have a value.")
        try:
            opened, closed = _ods_date(row[10]), _ods_date(row[11])
        except ValueError:
            errors.add(line, "open date", "Dates in ODS files are written YYYYMMDD, like 20130401.")
            continue
        parent = ""
        if site_type == SiteType.GP_PRACTICE and len(row) > 14:
            parent = row[14].strip().upper()
        candidates = [parent, row[3].strip().upper()] if site_type != SiteType.ICB else []
        parsed.append({
            "code": code, "name": name[:200], "region": row[2].strip()[:60], "postcode": row[9].strip()[:10],
            "opened_on": opened, "closed_on": closed, "parents": [c for c in candidates if c],
        })
    errors.raise_if_any()
    created = updated = 0
    with transaction.atomic():
        existing = {s.ods_code: s for s in Site.objects.filter(ods_code__in=[p["code"] for p in parsed])}
        parent_codes = {c for p in parsed for c in p["parents"]}
        known = {s.ods_code: s for s in Site.objects.filter(ods_code__in=parent_codes)}
        new_sites, changed = [], []
        for p in parsed:
            site = existing.get(p["code"])
            if site is None:
                site = Site(ods_code=p["code"], type=site_type)
                new_sites.append(site)
            else:
                changed.append(site)
            site.name, site.region, site.postcode = p["name"], p["region"], p["postcode"]
            site.opened_on, site.closed_on = p["opened_on"], p["closed_on"]
            if network is not None:
                site.network = network
        Site.objects.bulk_create(new_sites, batch_size=2000)
        created, updated = len(new_sites), len(changed)
        by_code = {**known, **{s.ods_code: s for s in new_sites}, **existing}
        linked = []
        for p in parsed:
            site = by_code[p["code"]]
            parent = next((by_code[c] for c in p["parents"] if c in by_code and c != p["code"]), None)
            if parent is not None:
                site.parent = parent
                if site.network_id is None and parent.network_id is not None:
                    site.network_id = parent.network_id
            linked.append(site)
        Site.objects.bulk_update(
            linked, ["name", "region", "postcode", "opened_on", "closed_on", "parent", "network"], batch_size=2000
        )
        record_append(
            action="adoption.sites.imported", actor=actor, network=network,
            payload={"layout": layout, "rows": len(parsed), "created": created, "updated": updated,
                     "sha256": _sha256(data)},
        )
    return ImportResult("sites", len(parsed), created, updated)


# --- population and deprivation ---------------------------------------------------------------------------------


def _header(errors: _Errors, header: list[str], required: list[str], optional: list[str]) -> list[str]:
    names = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in names]
    unknown = [c for c in names if c not in required and c not in optional]
    if missing:
        errors.add(1, "", f"Wrong layout: missing column(s) {', '.join(missing)}. The first row must name the "
                          f"columns: {', '.join(required)} (and optionally {', '.join(optional)}).")
    if unknown:
        errors.add(1, "", f"Unknown column(s) {', '.join(unknown[:10])}: the register takes only "
                          f"{', '.join(required + optional)}.")
    return names


def import_populations(data: bytes | str, *, actor: Person | None, progress: Progress | None = None) -> ImportResult:
    """Set sites' population served and IMD decile from a CSV with columns ods_code, population, imd_decile."""
    reader = _rows(csv.reader(io.StringIO(_text(data))))
    errors = _Errors()
    header = next(reader, [])
    names = _header(errors, header, POPULATION_COLUMNS, POPULATION_OPTIONAL)
    errors.raise_if_any()
    col = {n: i for i, n in enumerate(names)}
    sites = {s.ods_code: s for s in Site.objects.only("pk", "ods_code", "population", "imd_decile")}
    changed: dict[str, Site] = {}
    for line, row in enumerate(progress(reader) if progress else reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        _check_nhs_numbers(errors, line, row, names)
        if len(row) != len(names):
            errors.add(line, "", f"This row has {len(row)} cells; the header has {len(names)}.")
            continue
        code = row[col["ods_code"]].strip().upper()
        site = sites.get(code)
        if site is None:
            errors.add(line, "ods_code", f"No site has the ODS code “{code[:20]}”: import it from ODS first.")
            continue
        try:
            population = int(row[col["population"]].replace(",", "").strip())
            if population < 0:
                raise ValueError
        except ValueError:
            errors.add(line, "population", "Population must be a whole number of people, 0 or more.")
            continue
        raw = row[col["imd_decile"]].strip()
        try:
            decile = int(raw) if raw else None
            if decile is not None and not 1 <= decile <= 10:
                raise ValueError
        except ValueError:
            errors.add(line, "imd_decile", "The deprivation decile is a whole number from 1 (most deprived) to 10.")
            continue
        site.population, site.imd_decile = population, decile
        if "source" in col:
            site.population_source = row[col["source"]].strip()[:200]
        changed[code] = site
    errors.raise_if_any()
    with transaction.atomic():
        fields = ["population", "imd_decile"] + (["population_source"] if "source" in col else [])
        Site.objects.bulk_update(list(changed.values()), fields, batch_size=2000)
        record_append(action="adoption.populations.imported", actor=actor,
                      payload={"rows": len(changed), "sha256": _sha256(data)})
    return ImportResult("populations", len(changed), 0, len(changed))


# --- adoption records -------------------------------------------------------------------------------------------


def _innovation_lookup() -> tuple[dict[str, int], dict[int, int]]:
    """'network/slug' and unambiguous bare slugs → innovation id; and innovation id → network id."""
    lookup: dict[str, int] = {}
    bare: dict[str, list[int]] = {}
    networks: dict[int, int] = {}
    for pk, network_id, network_slug, slug in Innovation.objects.values_list(
        "pk", "network_id", "network__slug", "slug"
    ):
        lookup[f"{network_slug}/{slug}"] = pk
        bare.setdefault(slug, []).append(pk)
        networks[pk] = network_id
    for slug, pks in bare.items():
        if len(pks) == 1:
            lookup.setdefault(slug, pks[0])
    return lookup, networks


def _parse_count(value: str) -> int | None:
    value = value.replace(",", "")
    if not value.strip():
        return None
    number = int(value)
    if number < 0:
        raise ValueError
    return number


STATUS_LIST = [s.value for s in Status]
STATUS_CODE = {v: i for i, v in enumerate(STATUS_LIST)}
DISCONTINUED_CODE = STATUS_CODE[Status.DISCONTINUED]
CHUNK_ROWS = 50_000  # rows read, checked and held as compact arrays at a time (memory stays bounded)
INSERT_BATCH = 50_000
SQLITE_REBUILD_MIN_ROWS = int(os.environ.get("SQLITE_REBUILD_MIN_ROWS", 50_000))
PG_SET_ASIDE_MIN_ROWS = int(os.environ.get("PG_SET_ASIDE_MIN_ROWS", 50_000))


class _Chunk:
    """One chunk of checked rows as compact columns: ints in numpy arrays, texts as shared (deduplicated) strings."""

    __slots__ = ("days", "innov", "lines", "pats", "pops", "reasons", "sites", "sources", "status", "verified")

    def __init__(self, sites, innov, status, days, lines, reasons, pops, pats, sources, verified) -> None:  # noqa: ANN001
        self.sites = np.asarray(sites, dtype=np.int64)
        self.innov = np.asarray(innov, dtype=np.int64)
        self.status = np.asarray(status, dtype=np.int8)
        self.days = np.asarray(days, dtype=np.int32)
        self.lines = np.asarray(lines, dtype=np.int32)
        self.pops = np.asarray(pops, dtype=np.int64)
        self.pats = np.asarray(pats, dtype=np.int64)
        self.verified = np.asarray(verified, dtype=bool)
        self.reasons, self.sources = reasons, sources


def _shared(values: Iterable[str], pool: dict[str, str]) -> list[str]:
    """The same text in many rows is held once (a source repeated on a million rows costs one string)."""
    return [pool.setdefault(v, v) for v in values]


def _adoption_columns(
    body: list[list[str]], *, first_line: int, width: int, col: dict[str, int],
    sites: dict[str, tuple[int, int | None, int | None]], innovations: dict[str, int],
    innovation_network: dict[int, int], network: Network | None, today: dt.date, pool: dict[str, str],
) -> _Chunk | None:
    """A chunk checked column by column (each distinct value parsed once), for speed.

    Returns the rows' values when every row is clean, or None: then the row-by-row check runs and says exactly what
    is wrong where (and accepts what it can normalise, such as lower-case ODS codes).
    """
    n = len(body)
    if not n or any(len(row) != width for row in body):
        return None
    columns = list(zip(*body, strict=True))
    for column in columns:  # each distinct value once: any NHS number sends the chunk to the row-by-row check
        distinct = set(column)
        if any(9 < len(v) < 15 and v[-1:].isdigit() and is_nhs_number(v) for v in distinct):
            return None
    site_t = list(map(sites.get, columns[col["ods_code"]]))
    innov = list(map(innovations.get, columns[col["innovation"]]))
    if None in site_t or None in innov:
        return None
    if network is not None and any(s[2] != network.pk and innovation_network[i] != network.pk
                                   for s, i in zip(site_t, innov, strict=True)):
        return None
    statuses = columns[col["status"]]
    if not set(statuses) <= STATUS_VALUES:
        return None
    try:
        date_of = {raw: dt.date.fromisoformat(raw).toordinal() for raw in set(columns[col["date"]])}
    except ValueError:
        return None
    if max(date_of.values()) > today.toordinal():
        return None

    def counts(name: str) -> list[int] | None:
        if name not in col:
            return [-1] * n
        try:
            parsed = {raw: _parse_count(raw) for raw in set(columns[col[name]])}
        except ValueError:
            return None
        return [-1 if v is None else v for v in map(parsed.__getitem__, columns[col[name]])]

    pops, pats = counts("population_covered"), counts("patients_reached")
    if pops is None or pats is None:
        return None
    if any(p > s[1] for p, s in zip(pops, site_t, strict=True) if p >= 0 and s[1] is not None):
        return None

    def texts(name: str, limit: int) -> list[str]:
        if name not in col:
            return [""] * n
        clean = {raw: raw.strip()[:limit] for raw in set(columns[col[name]])}
        return _shared(map(clean.__getitem__, columns[col[name]]), pool)

    verified: list[bool] | np.ndarray = np.zeros(n, dtype=bool)
    if "verified" in col:
        words = {raw: raw.strip().lower() for raw in set(columns[col["verified"]])}
        if not all(w in TRUE_WORDS or w in FALSE_WORDS for w in words.values()):
            return None
        truth = {raw: w in TRUE_WORDS for raw, w in words.items()}
        verified = list(map(truth.__getitem__, columns[col["verified"]]))
    return _Chunk([s[0] for s in site_t], innov, list(map(STATUS_CODE.__getitem__, statuses)),
                  list(map(date_of.__getitem__, columns[col["date"]])), np.arange(first_line, first_line + n),
                  texts("reason", 500), pops, pats, texts("source", 200), verified)


@contextlib.contextmanager
def _sqlite_indexes_set_aside(cursor: Any, tables: list[str], expected: int) -> Iterator[None]:
    """On SQLite, a load that at least doubles a table drops its secondary indexes first and builds them again
    afterwards (one sort each instead of a B-tree insert per row), inside the import's transaction: if anything
    fails, the rollback brings the indexes back as they were. A unique index built again re-checks uniqueness."""
    rebuild: list[tuple[str, str]] = []
    if connection.vendor == "sqlite" and expected >= SQLITE_REBUILD_MIN_ROWS and connection.in_atomic_block:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed name
            if cursor.fetchone()[0] <= expected:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                               "AND sql IS NOT NULL", [table])
                rebuild += cursor.fetchall()
        for name, _ in rebuild:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in rebuild:
        cursor.execute(sql)


def _insert(table: str, cols: str, rows: Iterable[tuple], *, expected: int = 0) -> None:
    """Insert many rows: COPY on PostgreSQL (several times faster than INSERTs), executemany elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        with _sqlite_indexes_set_aside(cursor, [table], expected):
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * (cols.count(',') + 1))})",  # noqa: S608 - fixed names
                               rows)


STAGE = "adoption_import_stage"


@contextlib.contextmanager
def _pg_constraints_set_aside(cursor: Any, tables: list[str], expected: int) -> Iterator[None]:
    """On PostgreSQL, a load that at least doubles the tables drops their foreign keys and plain secondary indexes
    and adds them back afterwards: one join per foreign key and one sort per index instead of a trigger and a B-tree
    insert per row. DDL is transactional, so a failure restores them; adding a foreign key back checks every row.
    The tables are locked against readers until the import commits (big loads only)."""
    restore: list[str] = []
    if expected >= PG_SET_ASIDE_MIN_ROWS and connection.in_atomic_block:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed name
            if cursor.fetchone()[0] > expected:
                return_early = True
                break
        else:
            return_early = False
        if not return_early:
            # an earlier write in this transaction may have left deferred foreign key checks queued, which ALTER
            # TABLE refuses to run past: run them now (the import's own rows are checked when the keys come back)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in tables:
                cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                               "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
                for name, definition in cursor.fetchall():
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                    restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                cursor.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                               "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS ("
                               "SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [table])
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {name}")
                    restore.insert(0, definition)  # indexes first, so the foreign key checks can use them
    yield
    for sql in restore:
        cursor.execute(sql)


def _pg_staged_load(rows: Iterable[tuple], n: int, now: dt.datetime) -> None:
    """PostgreSQL, a file of new adoptions with one row each: COPY into a temporary table, then the server writes
    the adoptions and their first status changes from it (the ids found by a join, not sent back to Python)."""
    a, ch = Adoption._meta.db_table, AdoptionStatusChange._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {STAGE} (k serial, innovation_id bigint, site_id bigint, status text, "
                       "day date, reason text, pop integer, pat integer, source text, verified boolean) "
                       "ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY {STAGE} (innovation_id, site_id, status, day, reason, pop, pat, source, "
                                "verified) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        with _pg_constraints_set_aside(cursor, [a, ch], n):
            cursor.execute(
                f"INSERT INTO {a} (innovation_id, site_id, status, status_on, started_on, reason, "  # noqa: S608
                "population_covered, population_source, patients_reached, patients_source, verified, updated_at) "
                "SELECT innovation_id, site_id, status, day, day, reason, pop, "
                "CASE WHEN pop IS NULL THEN '' ELSE source END, pat, "
                "CASE WHEN pat IS NULL THEN '' ELSE source END, "
                f"verified, %s FROM {STAGE} ORDER BY k", [now])
            cursor.execute(
                f"INSERT INTO {ch} (adoption_id, innovation_id, site_id, status, changed_on, reason, source) "  # noqa: S608
                f"SELECT a.id, s.innovation_id, s.site_id, s.status, s.day, s.reason, s.source FROM {STAGE} s "
                f"JOIN {a} a ON a.innovation_id = s.innovation_id AND a.site_id = s.site_id ORDER BY s.k")
        cursor.execute(f"DROP TABLE {STAGE}")


def _sqlite_staged_load(rows: Iterable[tuple], n: int, db_now: str) -> None:
    """SQLite, a file of new adoptions with one row each: the rows go once through the driver into a temporary
    table, and SQLite itself writes both the adoptions and their first status changes from it (half the values
    passed from Python). Adoption ids are consecutive within the transaction (checked; otherwise joined)."""
    a, ch = Adoption._meta.db_table, AdoptionStatusChange._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {STAGE} (k INTEGER PRIMARY KEY, innovation_id INTEGER, site_id INTEGER, "
                       "status TEXT, day TEXT, reason TEXT, pop INTEGER, pat INTEGER, source TEXT, verified BOOL)")
        try:
            cursor.executemany(f"INSERT INTO {STAGE} (innovation_id, site_id, status, day, reason, pop, pat, "  # noqa: S608 - fixed names
                               "source, verified) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
            with _sqlite_indexes_set_aside(cursor, [a, ch], n):
                next_id = _sqlite_next_ids(a)
                cursor.execute(
                    f"INSERT INTO {a} (innovation_id, site_id, status, status_on, started_on, reason, "  # noqa: S608
                    "population_covered, population_source, patients_reached, patients_source, verified, updated_at) "
                    "SELECT innovation_id, site_id, status, day, day, reason, pop, "
                    "CASE WHEN pop IS NULL THEN '' ELSE source END, pat, "
                    "CASE WHEN pat IS NULL THEN '' ELSE source END, "
                    f"verified, %s FROM {STAGE} ORDER BY k", [db_now])
                change_cols = "adoption_id, innovation_id, site_id, status, changed_on, reason, source"
                picked = "s.innovation_id, s.site_id, s.status, s.day, s.reason, s.source"
                if _sqlite_next_ids(a) == next_id + n:  # consecutive: row k's adoption is next_id - 1 + k
                    cursor.execute(f"INSERT INTO {ch} ({change_cols}) SELECT %s - 1 + s.k, {picked} "  # noqa: S608
                                   f"FROM {STAGE} s ORDER BY s.k", [next_id])
                else:  # pragma: no cover - ids are consecutive under SQLite's single writer
                    cursor.execute(f"INSERT INTO {ch} ({change_cols}) SELECT a.id, {picked} FROM {STAGE} s "  # noqa: S608
                                   f"JOIN {a} a ON a.innovation_id = s.innovation_id AND a.site_id = s.site_id "
                                   "ORDER BY s.k")
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")


def _reader(data: bytes | str):  # noqa: ANN202 - a csv reader
    """A CSV reader that decodes as it goes (a large upload is not copied into one big string first)."""
    if isinstance(data, str):
        return csv.reader(io.StringIO(data.removeprefix("\ufeff")))
    try:
        data.decode("utf-8")  # checked once, then streamed
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    return csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline=""))


def _check_rows(
    body: list[list[str]], *, first_line: int, width: int, names: list[str], col: dict[str, int],
    sites: dict[str, tuple[int, int | None, int | None]], innovations: dict[str, int],
    innovation_network: dict[int, int], network: Network | None, today: dt.date, errors: _Errors,
    pool: dict[str, str],
) -> _Chunk:
    """The row-by-row check of a chunk: every problem with its line and column."""
    i_ods, i_inn, i_status, i_date = (col[c] for c in ADOPTION_REQUIRED)
    i_reason, i_pop, i_pat, i_src, i_ver = (col.get(c) for c in ADOPTION_OPTIONAL)
    dates: dict[str, dt.date | None] = {}
    out: list[list] = [[] for _ in range(10)]
    for line, row in enumerate(body, start=first_line):
        if len(row) != width:
            if not any(cell.strip() for cell in row):
                continue
            errors.add(line, "", f"This row has {len(row)} cells; the header has {width}.")
            continue
        _check_nhs_numbers(errors, line, row, names)
        ok = True
        site = sites.get(row[i_ods].strip().upper())
        if site is None:
            errors.add(line, "ods_code", f"No site has the ODS code “{row[i_ods][:20]}”.")
            ok = False
        innovation = innovations.get(row[i_inn].strip())
        if innovation is None:
            errors.add(line, "innovation", f"No innovation is known as “{row[i_inn][:80]}” (use network/slug).")
            ok = False
        elif network is not None and site is not None and site[2] != network.pk and \
                innovation_network[innovation] != network.pk:
            errors.add(line, "innovation", f"Neither this innovation nor this site belongs to {network.name}.")
            ok = False
        status = row[i_status].strip().lower()
        if status not in STATUS_VALUES:
            errors.add(line, "status", f"“{status[:20]}” is not a status: use {', '.join(sorted(STATUS_VALUES))}.")
            ok = False
        raw_date = row[i_date]
        when = dates.get(raw_date, dt.date.min)
        if when is dt.date.min:
            try:
                when = dt.date.fromisoformat(raw_date.strip())
            except ValueError:
                when = None
            dates[raw_date] = when
        if when is None:
            errors.add(line, "date", "Dates are written YYYY-MM-DD, like 2024-04-01.")
            ok = False
        elif when > today:
            errors.add(line, "date", f"{when.isoformat()} is in the future: record what has happened.")
            ok = False
        pop = pat = -1
        if i_pop is not None and row[i_pop].strip():
            try:
                pop = int(row[i_pop].replace(",", ""))
                if pop < 0:
                    raise ValueError
            except ValueError:
                errors.add(line, "population_covered", "Population covered must be a whole number, 0 or more.")
                ok = False
            else:
                if site is not None and site[1] is not None and pop > site[1]:
                    errors.add(line, "population_covered", f"{pop:,} is more than the {site[1]:,} people the site "
                                                           "serves.")
                    ok = False
        if i_pat is not None and row[i_pat].strip():
            try:
                pat = int(row[i_pat].replace(",", ""))
                if pat < 0:
                    raise ValueError
            except ValueError:
                errors.add(line, "patients_reached", "Patients reached must be a whole number, 0 or more.")
                ok = False
        ver = False
        if i_ver is not None:
            word = row[i_ver].strip().lower()
            if word in TRUE_WORDS:
                ver = True
            elif word not in FALSE_WORDS:
                errors.add(line, "verified", "Write yes or no.")
                ok = False
        if not ok or errors.count:
            continue
        reason = row[i_reason].strip()[:500] if i_reason is not None else ""
        source = row[i_src].strip()[:200] if i_src is not None else ""
        for k, v in enumerate((site[0], innovation, STATUS_CODE[status], when.toordinal(), line,  # type: ignore[index,union-attr]
                               pool.setdefault(reason, reason), pop, pat, pool.setdefault(source, source), ver)):
            out[k].append(v)
    return _Chunk(*out)


def _concat(chunks: list[_Chunk]) -> _Chunk:
    if len(chunks) == 1:
        return chunks[0]
    arrays = {name: np.concatenate([getattr(c, name) for c in chunks]) for name in
              ("sites", "innov", "status", "days", "lines", "pops", "pats", "verified")}
    reasons = [r for c in chunks for r in c.reasons]
    sources = [r for c in chunks for r in c.sources]
    return _Chunk(arrays["sites"], arrays["innov"], arrays["status"], arrays["days"], arrays["lines"], reasons,
                  arrays["pops"], arrays["pats"], sources, arrays["verified"])


def _sqlite_next_ids(table: str) -> int | None:
    """SQLite AUTOINCREMENT: the id the next row will get (ids are consecutive within our write transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - fixed name
        top = cursor.fetchone()[0]
    return max(row[0] if row else 0, top or 0) + 1


def import_adoptions(
    data: bytes | str,
    *,
    actor: Person | None,
    network: Network | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import adoption records: one row is one site's status for one innovation on a date.

    Columns: ods_code, innovation ("network-slug/innovation-slug", or the slug alone when no other network uses it),
    status, date (YYYY-MM-DD); optional reason, population_covered, patients_reached, source, verified (yes/no).
    Rows for one site and innovation are applied in date order; a move down the ladder (exploring → piloting →
    adopted → embedded) or to discontinued needs a reason. With ``network`` given, every innovation must be one of
    that network's or be adopted at one of its sites.

    The file is read and checked in chunks of ``CHUNK_ROWS`` rows kept as compact arrays, so memory grows by tens
    of bytes a row, not by the parsed text; it is written in one transaction after every row has passed.
    """
    today = today or timezone.localdate()
    reader = _rows(_reader(data))
    errors = _Errors()
    header = next(reader, [])
    names = _header(errors, header, ADOPTION_REQUIRED, ADOPTION_OPTIONAL)
    errors.raise_if_any()
    col = {n: i for i, n in enumerate(names)}
    width = len(names)
    sites: dict[str, tuple[int, int | None, int | None]] = {
        code: (pk, pop, net) for pk, code, pop, net in Site.objects.values_list(
            "pk", "ods_code", "population", "network_id").iterator(chunk_size=10_000)
    }
    innovations, innovation_network = _innovation_lookup()
    pool: dict[str, str] = {}
    chunks: list[_Chunk] = []
    rows = iter(progress(reader) if progress else reader)
    line = 1
    check = {"width": width, "col": col, "sites": sites, "innovations": innovations,
             "innovation_network": innovation_network, "network": network, "today": today, "pool": pool}
    while body := list(itertools.islice(rows, CHUNK_ROWS)):
        chunk = _adoption_columns(body, first_line=line + 1, **check)
        if chunk is None:
            chunk = _check_rows(body, first_line=line + 1, names=names, errors=errors, **check)
        line += len(body)
        del body
        if not errors.count:
            chunks.append(chunk)
    errors.raise_if_any()
    if not chunks or not sum(len(c.sites) for c in chunks):
        errors.add(line, "", "The file has no adoption rows.")
        errors.raise_if_any()
    c = _concat(chunks)
    del chunks
    n = len(c.sites)
    order = np.lexsort((np.arange(n), c.days, c.sites, c.innov))
    innov_set = [int(x) for x in np.unique(c.innov)]
    ex = np.array(Adoption.objects.filter(innovation_id__in=innov_set).values_list(
        "pk", "innovation_id", "site_id").order_by(), dtype=np.int64).reshape(-1, 3)
    width_key = int(max(c.sites.max(), ex[:, 2].max() if len(ex) else 0)) + 1
    sorted_keys = (c.innov * width_key + c.sites)[order]
    existing_keys = ex[:, 1] * width_key + ex[:, 2]
    # the common case, a file of new adoptions with one row each: no ladder to walk, each row is its final state
    one_each = bool((np.diff(sorted_keys) != 0).all()) and not np.isin(sorted_keys, existing_keys).any()
    finals: dict[tuple[int, int], list[Any]] = {}
    if one_each:
        no_reason = np.fromiter((not r for r in c.reasons), dtype=bool, count=n)
        for k in np.flatnonzero((c.status == DISCONTINUED_CODE) & no_reason)[:MAX_ERRORS].tolist():
            errors.add(int(c.lines[k]), "reason", "Discontinuing needs a reason.")
    else:
        existing_status = {(inn, site): status for inn, site, status in Adoption.objects.filter(
            innovation_id__in=innov_set).values_list("innovation_id", "site_id", "status").order_by()}
        prev_key: tuple[int, int] | None = None
        prev_status = ""
        innov_l, sites_l, status_l, days_l = c.innov.tolist(), c.sites.tolist(), c.status.tolist(), c.days.tolist()
        pops_l, pats_l, ver_l = c.pops.tolist(), c.pats.tolist(), c.verified.tolist()
        for k in order.tolist():
            key = (innov_l[k], sites_l[k])
            status = STATUS_LIST[status_l[k]]
            day = dt.date.fromordinal(days_l[k])
            if key != prev_key:
                prev_key = key
                prev_status = existing_status.get(key, "")
                finals[key] = [status, day, day, c.reasons[k], None, "", None, "", False]
            if not c.reasons[k] and (
                status == Status.DISCONTINUED
                or (prev_status in STATUS_RANK and STATUS_RANK[status] < STATUS_RANK[prev_status])  # type: ignore[index]
            ):
                what = "Discontinuing" if status == Status.DISCONTINUED else \
                    f"Going back from {prev_status} to {status}"
                errors.add(int(c.lines[k]), "reason", f"{what} needs a reason.")
            prev_status = status
            f = finals[key]
            f[0], f[1], f[3] = status, day, c.reasons[k]
            if pops_l[k] >= 0:
                f[4], f[5] = pops_l[k], c.sources[k]
            if pats_l[k] >= 0:
                f[6], f[7] = pats_l[k], c.sources[k]
            f[8] = f[8] or ver_l[k]
    errors.raise_if_any()
    now = timezone.now()
    sqlite = connection.vendor == "sqlite"
    # dates as the driver wants them, each distinct date converted once (SQLite stores ISO text)
    distinct_days = np.unique(c.days).tolist()
    day_value = {d: (dt.date.fromordinal(d).isoformat() if sqlite else dt.date.fromordinal(d)) for d in distinct_days}
    db_now: Any = connection.ops.adapt_datetimefield_value(now) if sqlite else now
    adoption_table = Adoption._meta.db_table
    cols = ("innovation_id, site_id, status, status_on, started_on, reason, population_covered, "
            "population_source, patients_reached, patients_source, verified, updated_at")

    def batches():  # (k's of one batch of rows in (innovation, site, date) order)
        for start in range(0, n, INSERT_BATCH):
            yield order[start:start + INSERT_BATCH]

    def nullable(a: np.ndarray) -> list[int | None]:
        return [None if v < 0 else v for v in a.tolist()]

    def new_adoption_rows():
        for idx in batches():
            k = idx.tolist()
            days = list(map(day_value.__getitem__, c.days[idx].tolist()))
            pops, pats = nullable(c.pops[idx]), nullable(c.pats[idx])
            srcs = [c.sources[j] for j in k]
            yield from zip(
                c.innov[idx].tolist(), c.sites[idx].tolist(), [STATUS_LIST[s] for s in c.status[idx].tolist()],
                days, days, [c.reasons[j] for j in k], pops, [s if p is not None else "" for s, p in zip(srcs, pops,
                                                                                                          strict=True)],
                pats, [s if p is not None else "" for s, p in zip(srcs, pats, strict=True)],
                c.verified[idx].tolist(), itertools.repeat(db_now, len(k)), strict=False,
            )

    def stage_rows():
        for idx in batches():
            k = idx.tolist()
            yield from zip(
                c.innov[idx].tolist(), c.sites[idx].tolist(), [STATUS_LIST[s] for s in c.status[idx].tolist()],
                list(map(day_value.__getitem__, c.days[idx].tolist())), [c.reasons[j] for j in k],
                nullable(c.pops[idx]), nullable(c.pats[idx]), [c.sources[j] for j in k], c.verified[idx].tolist(),
                strict=True,
            )

    created = updated = 0
    with transaction.atomic():
        staged = one_each and connection.vendor in ("sqlite", "postgresql")
        if staged:
            new_count = n
            if sqlite:
                _sqlite_staged_load(stage_rows(), n, db_now)
            else:
                _pg_staged_load(stage_rows(), n, now)
        elif one_each:
            new_count = n
            _insert(adoption_table, cols, new_adoption_rows(), expected=n)
        else:
            new_rows = [
                (inn, site, f[0], day_value[f[1].toordinal()], day_value[f[2].toordinal()], f[3], f[4], f[5], f[6],
                 f[7], f[8], db_now)
                for (inn, site), f in finals.items() if (inn, site) not in existing_status
            ]
            new_count = len(new_rows)
            if new_rows:
                _insert(adoption_table, cols, new_rows)
            del new_rows
        to_update = [a for a in Adoption.objects.filter(innovation_id__in=innov_set)
                     if (a.innovation_id, a.site_id) in finals] if len(finals) > new_count else []
        for adoption in to_update:
            f = finals[(adoption.innovation_id, adoption.site_id)]
            adoption.status, adoption.status_on, adoption.reason = f[0], f[1], f[3]
            if f[4] is not None:
                adoption.population_covered, adoption.population_source = f[4], f[5]
            if f[6] is not None:
                adoption.patients_reached, adoption.patients_source = f[6], f[7]
            adoption.verified = adoption.verified or f[8]
            adoption.updated_at = now
        Adoption.objects.bulk_update(to_update, [
            "status", "status_on", "reason", "population_covered", "population_source", "patients_reached",
            "patients_source", "verified", "updated_at"], batch_size=2000)
        created, updated = new_count, len(to_update)
        # every row's adoption id, in (innovation, site, date) order
        adoption_ids: np.ndarray | None = None
        if not staged:
            pairs = np.array(Adoption.objects.filter(innovation_id__in=innov_set).values_list(
                "pk", "innovation_id", "site_id").order_by(), dtype=np.int64).reshape(-1, 3)
            pairs = pairs[pairs[:, 2] < width_key]
            pair_keys = pairs[:, 1] * width_key + pairs[:, 2]
            by_key = np.argsort(pair_keys, kind="stable")
            adoption_ids = pairs[by_key[np.searchsorted(pair_keys[by_key], sorted_keys)], 0]

        def change_rows():
            for b, idx in enumerate(batches()):
                k = idx.tolist()
                yield from zip(
                    adoption_ids[b * INSERT_BATCH:b * INSERT_BATCH + len(k)].tolist(), c.innov[idx].tolist(),
                    c.sites[idx].tolist(), [STATUS_LIST[s] for s in c.status[idx].tolist()],
                    list(map(day_value.__getitem__, c.days[idx].tolist())), [c.reasons[j] for j in k],
                    [c.sources[j] for j in k], strict=True,
                )

        if not staged:
            _insert(AdoptionStatusChange._meta.db_table,
                    "adoption_id, innovation_id, site_id, status, changed_on, reason, source", change_rows(),
                    expected=n)
        record_append(
            action="adoption.records.imported", actor=actor, network=network,
            payload={"rows": n, "adoptions_created": created, "adoptions_updated": updated,
                     "innovations": len(innov_set), "sha256": _sha256(data)},
        )
    return ImportResult("adoptions", n, created, updated)
