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

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable
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
    rows = list(csv.reader(io.StringIO(text)))
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
    reader = csv.reader(io.StringIO(_text(data)))
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


def _adoption_columns(
    body: list[list[str]], *, width: int, col: dict[str, int], sites: dict[str, tuple[int, int | None, int | None]],
    innovations: dict[str, int], innovation_network: dict[int, int], network: Network | None, today: dt.date,
) -> tuple[list, ...] | None:
    """The whole file checked column by column (each distinct value parsed once), for speed.

    Returns the rows' values when every row is clean, or None: then the row-by-row check runs and says exactly what
    is wrong where (and accepts what it can normalise, such as lower-case ODS codes).
    """
    n = len(body)
    if not n or any(len(row) != width for row in body):
        return None
    columns = list(zip(*body, strict=True))
    for column in columns:  # each distinct value once: any NHS number sends the file to the row-by-row check
        if any(9 < len(v) < 15 and v[-1:].isdigit() and is_nhs_number(v) for v in set(column)):
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
        date_of = {raw: dt.date.fromisoformat(raw) for raw in set(columns[col["date"]])}
    except ValueError:
        return None
    if max(date_of.values()) > today:
        return None
    days = list(map(date_of.__getitem__, columns[col["date"]]))

    def counts(name: str) -> list[int | None] | None:
        if name not in col:
            return [None] * n
        try:
            parsed = {raw: _parse_count(raw) for raw in set(columns[col[name]])}
        except ValueError:
            return None
        return list(map(parsed.__getitem__, columns[col[name]]))

    pops, pats = counts("population_covered"), counts("patients_reached")
    if pops is None or pats is None:
        return None
    if any(p is not None and s[1] is not None and p > s[1] for p, s in zip(pops, site_t, strict=True)):
        return None

    def texts(name: str, limit: int) -> list[str]:
        if name not in col:
            return [""] * n
        values = list(map(str.strip, columns[col[name]]))
        return [v[:limit] for v in values] if max(map(len, values)) > limit else values

    verified = [False] * n
    if "verified" in col:
        words = {raw: raw.strip().lower() for raw in set(columns[col["verified"]])}
        if not all(w in TRUE_WORDS or w in FALSE_WORDS for w in words.values()):
            return None
        truth = {raw: w in TRUE_WORDS for raw, w in words.items()}
        verified = list(map(truth.__getitem__, columns[col["verified"]]))
    return ([s[0] for s in site_t], innov, list(statuses), days, list(range(2, n + 2)), texts("reason", 500), pops,
            pats, texts("source", 200), verified)


def _insert(table: str, cols: str, rows: list[tuple]) -> None:
    """Insert many rows: COPY on PostgreSQL (several times faster than INSERTs), executemany elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * (cols.count(',') + 1))})",  # noqa: S608 - fixed names
                               rows)


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
    """
    today = today or timezone.localdate()
    text = _text(data)
    reader = csv.reader(io.StringIO(text))
    errors = _Errors()
    header = next(reader, [])
    names = _header(errors, header, ADOPTION_REQUIRED, ADOPTION_OPTIONAL)
    errors.raise_if_any()
    col = {n: i for i, n in enumerate(names)}
    width = len(names)
    i_ods, i_inn, i_status, i_date = (col[c] for c in ADOPTION_REQUIRED)
    i_reason, i_pop, i_pat, i_src, i_ver = (col.get(c) for c in ADOPTION_OPTIONAL)
    sites: dict[str, tuple[int, int | None, int | None]] = {
        code: (pk, pop, net) for pk, code, pop, net in Site.objects.values_list(
            "pk", "ods_code", "population", "network_id").iterator(chunk_size=10_000)
    }
    innovations, innovation_network = _innovation_lookup()
    dates: dict[str, dt.date | None] = {}
    site_ids: list[int] = []
    innov_ids: list[int] = []
    statuses: list[str] = []
    days: list[dt.date] = []
    lines: list[int] = []
    reasons: list[str] = []
    pops: list[int | None] = []
    pats: list[int | None] = []
    sources: list[str] = []
    verified: list[bool] = []
    body = list(progress(reader) if progress else reader)
    line = len(body) + 1
    fast = _adoption_columns(body, width=width, col=col, sites=sites, innovations=innovations,
                             innovation_network=innovation_network, network=network, today=today)
    if fast is not None:
        site_ids, innov_ids, statuses, days, lines, reasons, pops, pats, sources, verified = fast
    for line, row in enumerate(body if fast is None else (), start=2):
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
        pop = pat = None
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
        site_ids.append(site[0])  # type: ignore[index]
        innov_ids.append(innovation)  # type: ignore[arg-type]
        statuses.append(status)
        days.append(when)  # type: ignore[arg-type]
        lines.append(line)
        reasons.append(row[i_reason].strip()[:500] if i_reason is not None else "")
        pops.append(pop)
        pats.append(pat)
        sources.append(row[i_src].strip()[:200] if i_src is not None else "")
        verified.append(ver)
    errors.raise_if_any()
    if not site_ids:
        errors.add(line, "", "The file has no adoption rows.")
        errors.raise_if_any()
    n = len(site_ids)
    s_arr = np.fromiter(site_ids, dtype=np.int64, count=n)
    i_arr = np.fromiter(innov_ids, dtype=np.int64, count=n)
    d_arr = np.fromiter((d.toordinal() for d in days), dtype=np.int64, count=n)
    order = np.lexsort((np.arange(n), d_arr, s_arr, i_arr)).tolist()
    existing: dict[tuple[int, int], tuple[int, str]] = {}
    for pk, inn, site_id, status in Adoption.objects.filter(innovation_id__in=set(innov_ids)).values_list(
        "pk", "innovation_id", "site_id", "status"
    ).iterator(chunk_size=20_000):
        existing[(inn, site_id)] = (pk, status)
    width_key = int(s_arr.max()) + 1
    sorted_keys = (i_arr * width_key + s_arr)[order]
    # the common case, a file of new adoptions with one row each: no ladder to walk, each row is its final state
    one_each = bool((np.diff(sorted_keys) != 0).all()) and (
        not existing or existing.keys().isdisjoint(zip(innov_ids, site_ids, strict=True)))
    finals: dict[tuple[int, int], list[Any]] = {}
    if one_each:
        for k in order:
            if statuses[k] == Status.DISCONTINUED and not reasons[k]:
                errors.add(lines[k], "reason", "Discontinuing needs a reason.")
    prev_key: tuple[int, int] | None = None
    prev_status = ""
    for k in order if not one_each else ():
        key = (innov_ids[k], site_ids[k])
        if key != prev_key:
            prev_key = key
            prev_status = existing[key][1] if key in existing else ""
            finals[key] = [statuses[k], days[k], days[k], reasons[k], None, "", None, "", False]
        status = statuses[k]
        if not reasons[k] and (
            status == Status.DISCONTINUED
            or (prev_status in STATUS_RANK and STATUS_RANK[status] < STATUS_RANK[prev_status])  # type: ignore[index]
        ):
            what = "Discontinuing" if status == Status.DISCONTINUED else f"Going back from {prev_status} to {status}"
            errors.add(lines[k], "reason", f"{what} needs a reason.")
        prev_status = status
        f = finals[key]
        f[0], f[1], f[3] = status, days[k], reasons[k]
        if pops[k] is not None:
            f[4], f[5] = pops[k], sources[k]
        if pats[k] is not None:
            f[6], f[7] = pats[k], sources[k]
        f[8] = f[8] or verified[k]
    errors.raise_if_any()
    now = timezone.now()
    # SQLite stores dates as ISO text: converting each distinct date once here saves an adapter call per value
    iso: Callable[[Any], Any] = {d: d for d in set(days)}.__getitem__
    db_now: Any = now
    if connection.vendor == "sqlite":
        iso = {d: d.isoformat() for d in set(days)}.__getitem__
        db_now = connection.ops.adapt_datetimefield_value(now)
    created = updated = 0
    with transaction.atomic():
        adoption_table = Adoption._meta.db_table
        if one_each:
            new_rows = [
                (innov_ids[k], site_ids[k], statuses[k], iso(days[k]), iso(days[k]), reasons[k], pops[k],
                 sources[k] if pops[k] is not None else "", pats[k], sources[k] if pats[k] is not None else "",
                 verified[k], db_now)
                for k in order
            ]
        else:
            new_rows = [
                (inn, site, f[0], iso(f[1]), iso(f[2]), f[3], f[4], f[5], f[6], f[7], f[8], db_now)
                for (inn, site), f in finals.items() if (inn, site) not in existing
            ]
        cols = ("innovation_id, site_id, status, status_on, started_on, reason, population_covered, "
                "population_source, patients_reached, patients_source, verified, updated_at")
        if new_rows:
            _insert(adoption_table, cols, new_rows)
        to_update = [a for a in Adoption.objects.filter(innovation_id__in=set(innov_ids))
                     if (a.innovation_id, a.site_id) in finals] if len(finals) > len(new_rows) else []
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
        created, updated = len(new_rows), len(to_update)
        # every row's adoption id, by (innovation, site) key: one query, then a sorted search
        pairs = np.array(Adoption.objects.filter(innovation_id__in=set(innov_ids)).values_list(
            "pk", "innovation_id", "site_id"), dtype=np.int64).reshape(-1, 3)
        pairs = pairs[pairs[:, 2] < width_key]
        pair_keys = pairs[:, 1] * width_key + pairs[:, 2]
        by_key = np.argsort(pair_keys, kind="stable")
        adoption_ids = pairs[by_key[np.searchsorted(pair_keys[by_key], sorted_keys)], 0].tolist()
        changes = list(zip(
            adoption_ids, [innov_ids[k] for k in order], [site_ids[k] for k in order], [statuses[k] for k in order],
            [iso(days[k]) for k in order], [reasons[k] for k in order], [sources[k] for k in order], strict=True,
        ))
        _insert(AdoptionStatusChange._meta.db_table,
                "adoption_id, innovation_id, site_id, status, changed_on, reason, source", changes)
        record_append(
            action="adoption.records.imported", actor=actor, network=network,
            payload={"rows": n, "adoptions_created": created, "adoptions_updated": updated,
                     "innovations": len(set(innov_ids)), "sha256": _sha256(data)},
        )
    return ImportResult("adoptions", n, created, updated)
