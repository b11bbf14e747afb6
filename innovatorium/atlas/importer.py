"""CSV import of innovations and case studies: check the whole file first, then write it all in one transaction.

Every bad row is reported with its line number, column and reason. If anything is wrong nothing is written.
Text is stored exactly as given: HTML or script in a cell stays text and pages show it escaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from innovatorium.atlas import services, taxonomy
from innovatorium.atlas.models import CaseStudy, Innovation
from innovatorium.networks.models import Network
from innovatorium.people.models import ODS_CODE_RE, Organisation, OrganisationType, Person

TEXT_LIMIT = 20_000  # characters in a long text cell
MAX_ROWS = 50_000
INNOVATION_REQUIRED = ["network", "name", "summary", "innovation_type"]
INNOVATION_OPTIONAL = [
    "stage", "problem", "how_it_works", "value_proposition", "care_settings", "clinical_areas", "device_class",
    "dtac_status", "nice_guidance", "cqc_registered", "indicative_cost", "owner_organisation", "owner_ods_code",
]
CASE_STUDY_REQUIRED = ["network", "title", "what_was_done"]
CASE_STUDY_OPTIONAL = ["innovation", "challenge", "impact", "contact"]
LIMITS = {
    "name": 200, "summary": 500, "indicative_cost": 200, "nice_guidance": 40, "owner_organisation": 200,
    "owner_ods_code": 6, "title": 200, "contact": 200, "innovation": 200, "network": 120,
}
TRUE_WORDS, FALSE_WORDS = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}

Progress = Callable[[Iterable[Any]], Iterable[Any]]


@dataclass(frozen=True, order=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column “{self.column}”" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass
class ImportPlan:
    kind: str  # "innovations" or "case_studies"
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (line, cleaned values)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportResult:
    kind: str
    created: int
    published: int


class ImportRejected(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = sorted(errors)
        super().__init__(f"{len(self.errors)} problem(s) in the file; nothing was imported.")


def _split_terms(value: str) -> list[str]:
    return [part.strip().lower() for part in value.replace(",", ";").split(";") if part.strip()]


class _Checker:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.errors: list[RowError] = []
        self.networks: dict[str, Network] = {}
        for network in Network.objects.all():
            self.networks[network.slug.lower()] = network
            self.networks[network.name.lower()] = network
        self.seen: dict[tuple[int, str], int] = {}
        self.existing: set[tuple[int, str]] = set()
        if kind == "innovations":
            rows = Innovation.objects.values_list("network_id", "name")
        else:
            rows = CaseStudy.objects.values_list("network_id", "title")
        self.existing = {(network_id, name.casefold()) for network_id, name in rows}
        self.innovations: dict[tuple[int, str], Innovation] = {}
        if kind == "case_studies":
            for innovation in Innovation.objects.only("pk", "network_id", "name", "slug"):
                self.innovations[(innovation.network_id, innovation.slug.lower())] = innovation
                self.innovations[(innovation.network_id, innovation.name.casefold())] = innovation

    def error(self, line: int, column: str, reason: str) -> None:
        self.errors.append(RowError(line, column, reason))

    def text(self, line: int, row: dict[str, str], column: str, *, required: bool = False) -> str:
        value = (row.get(column) or "").strip()
        if required and not value:
            self.error(line, column, "This cell is empty; it must have a value.")
        limit = LIMITS.get(column, TEXT_LIMIT)
        if len(value) > limit:
            self.error(line, column, f"Too long: {len(value)} characters, the most allowed is {limit}.")
        return value

    def choice(self, line: int, row: dict[str, str], column: str, vocabulary: dict[str, str], default: str) -> str:
        value = (row.get(column) or "").strip().lower() or default
        if value not in vocabulary:
            self.error(line, column, f"“{value}” is not a known value. Use one of: {', '.join(vocabulary)}.")
        return value

    def terms(self, line: int, row: dict[str, str], column: str, vocabulary: dict[str, str]) -> list[str]:
        terms = _split_terms(row.get(column) or "")
        unknown = [t for t in terms if t not in vocabulary]
        if unknown:
            self.error(line, column, f"Unknown term(s): {', '.join(unknown)}. Known terms: {', '.join(vocabulary)}.")
        return terms

    def network(self, line: int, row: dict[str, str]) -> Network | None:
        value = self.text(line, row, "network", required=True)
        if not value:
            return None
        network = self.networks.get(value.lower())
        if network is None:
            self.error(line, "network", f"No network is called “{value}” (use its slug, such as “wessex”).")
        return network

    def unique_name(self, line: int, column: str, network: Network | None, name: str) -> None:
        if network is None or not name:
            return
        key = (network.pk, name.casefold())
        if key in self.seen:
            self.error(line, column, f"“{name}” appears twice in {network.name}: also on line {self.seen[key]}.")
        elif key in self.existing:
            self.error(line, column, f"{network.name} already has one called “{name}”.")
        else:
            self.seen[key] = line

    def innovation_row(self, line: int, row: dict[str, str]) -> dict[str, Any]:
        network = self.network(line, row)
        name = self.text(line, row, "name", required=True)
        self.unique_name(line, "name", network, name)
        ods_code = self.text(line, row, "owner_ods_code").upper()
        if ods_code and not ODS_CODE_RE.match(ods_code):
            self.error(line, "owner_ods_code", f"“{ods_code}” is not an ODS code (3 to 6 letters and digits).")
        cqc = (row.get("cqc_registered") or "").strip().lower()
        if cqc not in TRUE_WORDS | FALSE_WORDS:
            self.error(line, "cqc_registered", f"“{cqc}” is not yes or no.")
        return {
            "network": network, "name": name, "summary": self.text(line, row, "summary", required=True),
            "innovation_type": self.choice(line, row, "innovation_type", taxonomy.INNOVATION_TYPES, ""),
            "stage": self.choice(line, row, "stage", taxonomy.STAGES, "idea"),
            "problem": self.text(line, row, "problem"), "how_it_works": self.text(line, row, "how_it_works"),
            "value_proposition": self.text(line, row, "value_proposition"),
            "care_settings": self.terms(line, row, "care_settings", taxonomy.CARE_SETTINGS),
            "clinical_areas": self.terms(line, row, "clinical_areas", taxonomy.CLINICAL_AREAS),
            "device_class": self.choice(line, row, "device_class", taxonomy.DEVICE_CLASSES, "not-a-device"),
            "dtac_status": self.choice(line, row, "dtac_status", taxonomy.DTAC_STATUSES, "not-applicable"),
            "nice_guidance": self.text(line, row, "nice_guidance"),
            "cqc_registered": cqc in TRUE_WORDS,
            "indicative_cost": self.text(line, row, "indicative_cost"),
            "owner_organisation": self.text(line, row, "owner_organisation"),
            "owner_ods_code": ods_code,
        }

    def case_study_row(self, line: int, row: dict[str, str]) -> dict[str, Any]:
        network = self.network(line, row)
        title = self.text(line, row, "title", required=True)
        self.unique_name(line, "title", network, title)
        reference = self.text(line, row, "innovation")
        innovation = None
        if reference and network is not None:
            innovation = self.innovations.get((network.pk, reference.lower())) or self.innovations.get(
                (network.pk, reference.casefold()))
            if innovation is None:
                self.error(line, "innovation", f"{network.name} has no innovation called “{reference}”.")
        return {
            "network": network, "title": title, "innovation": innovation,
            "what_was_done": self.text(line, row, "what_was_done", required=True),
            "challenge_text": self.text(line, row, "challenge"), "impact": self.text(line, row, "impact"),
            "contact": self.text(line, row, "contact"),
        }


def _decode(data: bytes) -> tuple[str | None, RowError | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start: exc.start + 1].hex()
        return None, RowError(line, "", f"The file is not UTF-8 text (byte 0x{byte} cannot be read). "
                                        "Save it as “CSV UTF-8” and try again.")


def _detect_kind(header: list[str]) -> str | None:
    if "title" in header or "what_was_done" in header:
        return "case_studies"
    if "name" in header or "innovation_type" in header:
        return "innovations"
    return None


def validate(data: bytes, *, kind: str | None = None, progress: Progress | None = None) -> ImportPlan:
    """Check every row of the file and say what is wrong with each. Writes nothing."""
    text, problem = _decode(data)
    if problem is not None or text is None:
        return ImportPlan(kind=kind or "unknown", errors=[problem] if problem else [])
    if not text.strip():
        return ImportPlan(kind=kind or "unknown", errors=[RowError(1, "", "The file is empty.")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        return ImportPlan(kind=kind or "unknown", errors=[RowError(1, "", f"The heading row cannot be read: {exc}.")])
    kind = kind or _detect_kind(header)
    plan = ImportPlan(kind=kind or "unknown")
    if kind not in ("innovations", "case_studies"):
        plan.errors.append(RowError(1, "", "The headings are neither those of innovations (network, name, summary, "
                                           "innovation_type, …) nor of case studies (network, title, what_was_done, "
                                           "…)."))
        return plan
    required, optional = ((INNOVATION_REQUIRED, INNOVATION_OPTIONAL) if kind == "innovations"
                          else (CASE_STUDY_REQUIRED, CASE_STUDY_OPTIONAL))
    for column in required:
        if column not in header:
            plan.errors.append(RowError(1, column, "This column is missing."))
    for position, column in enumerate(header):
        if column not in required and column not in optional:
            plan.errors.append(RowError(1, column or f"#{position + 1}", f"Unknown column. Known columns: "
                                        f"{', '.join(required + optional)}."))
        elif header.index(column) != position:
            plan.errors.append(RowError(1, column, "This column appears twice."))
    if plan.errors:
        return plan
    checker = _Checker(kind)
    check_row = checker.innovation_row if kind == "innovations" else checker.case_study_row
    rows: Iterable[Any] = _records(reader, header, checker)
    if progress is not None:
        rows = progress(rows)
    for line, row in rows:
        if len(plan.rows) >= MAX_ROWS:
            checker.error(line, "", f"The file has more than {MAX_ROWS} rows; split it into smaller files.")
            break
        plan.rows.append((line, check_row(line, row)))
    plan.errors = sorted(checker.errors)
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(2, "", "The file has headings but no rows."))
    return plan


def _records(reader: Any, header: list[str], checker: _Checker) -> Iterable[tuple[int, dict[str, str]]]:
    """(line the record starts on, cells by column) for each non-blank record; bad records become errors."""
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            checker.error(reader.line_num or start, "", f"This line cannot be read as CSV: {exc}.")
            return
        previous_end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            checker.error(start, "", f"This row has {len(cells)} cells but there are {len(header)} headings "
                                     "(check for a stray comma or an unclosed quote).")
            continue
        broken = [column for column, cell in zip(header, cells, strict=True) if "\x00" in cell]
        for column in broken:
            checker.error(start, column, "This cell holds a NUL character: the file is not plain text.")
        if broken:
            continue
        yield start, dict(zip(header, cells, strict=True))


def _organisation(name: str, ods_code: str, network: Network) -> Organisation | None:
    if ods_code:
        found = Organisation.objects.filter(ods_code=ods_code).first()
        if found is not None:
            return found
    if not name:
        return None
    found = Organisation.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    return Organisation.objects.create(name=name, type=OrganisationType.OTHER, network=network,
                                       ods_code=ods_code or None)


def import_file(
    data: bytes, *, actor: Person | None, publish: bool = True, kind: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the whole file, or nothing: raises ImportRejected with every problem found."""
    plan = validate(data, kind=kind)
    if not plan.ok:
        raise ImportRejected(plan.errors)
    rows: Iterable[tuple[int, dict[str, Any]]] = plan.rows
    if progress is not None:
        rows = progress(rows)
    created = published = 0
    with transaction.atomic():
        for _line, values in rows:
            if plan.kind == "innovations":
                values = dict(values)
                owner = _organisation(values.pop("owner_organisation"), values.pop("owner_ods_code"),
                                      values["network"])
                innovation = services.innovation_create(actor=actor, owner_organisation=owner, **values)
                if publish:
                    services.innovation_publish(innovation=innovation, actor=actor)
                    published += 1
            else:
                services.case_study_create(actor=actor, publish=publish, **values)
                published += int(publish)
            created += 1
    return ImportResult(kind=plan.kind, created=created, published=published)
