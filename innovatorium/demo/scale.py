"""Demo data at national scale: `manage.py demo_data --scale national` (or `--scale small` for tests).

National use means 15 networks, ~200,000 members, ~100,000 innovation records, ~1,000,000 adoption records
and a conversation with 100,000 participants. Writing that through the services one row at a time would take
hours, so this module bulk-creates rows in batches, in the same shapes the services write, and puts one
summary entry per chunk on the public record (counts only, never personal data), as an import would. The
ordinary demo load (the documented logins, every network's staff) runs first, through the services.

The load is split into phases (members, innovations, sites, conversation, adoptions), and the big phases into
chunks. Each chunk runs in its own transaction and ends by appending a `demo.scale.chunk` entry, so a chunk is
either all there (with its entry) or not there at all. A rerun reads those entries, skips what is finished and
resumes at the first missing chunk. Every chunk draws from its own seeded `random.Random` (seed, phase, chunk)
and never from the clock, so an interrupted and resumed load holds exactly what an uninterrupted one does.

A load that wrote anything ends with `ANALYZE` (SQLite and PostgreSQL alike), as does a rerun on a database
without planner statistics: bulk inserts leave the query planner guessing at row counts (SQLite without
sqlite_stat1 walked the status index over 100,000 innovations for one Atlas search page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify

from innovatorium.demo import data
from innovatorium.demo.constants import DEMO_NETWORK_SLUG, DEMO_PASSWORD
from innovatorium.networks.defaults import REGIONAL_NETWORKS
from innovatorium.networks.models import Constituency, Network
from innovatorium.people.models import (
    COUNTED_VERIFICATION,
    Membership,
    Organisation,
    Person,
    Role,
    User,
    Verification,
)
from innovatorium.record.models import RecordEntry
from innovatorium.record.services import record_append

SCALE_ACTION = "demo.scale.chunk"
SCALE_DOMAIN = "scale.demo.innovatorium.org"
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as people.models.new_pseudonym
# Dates are drawn from a fixed window (never the clock), so two loads on different days hold the same rows.
EPOCH = dt.datetime(2023, 4, 1, tzinfo=dt.UTC)
EPOCH_DAYS = 3 * 365
TODAY = dt.date(2026, 4, 1)


@dataclass(frozen=True)
class Scale:
    name: str
    members: int
    innovations: int
    sites: int
    adoptions: int
    participants: int
    base_people: int  # the ordinary demo load that runs first (logins, staff, a few members)
    base_content: bool  # whether that load includes the other apps' demo content
    chunk: int  # rows of the phase's main table per chunk (one transaction each)

    def plan(self) -> list[tuple[str, int, int]]:
        """(phase, chunks, rows per chunk) in load order."""
        def chunks(total: int, per: int) -> int:
            return max(1, math.ceil(total / per)) if total else 0

        return [
            ("members", chunks(self.members, self.chunk), self.chunk),
            ("innovations", chunks(self.innovations, self.chunk // 2), self.chunk // 2),
            ("sites", 1 if self.sites else 0, self.sites),
            # the conversation: opening it, then the participants in chunks, then its analysis
            ("conversation", chunks(self.participants, self.chunk) + 2 if self.participants else 0, self.chunk),
            # last, as the biggest: a bench can use a database whose adoption phase has not finished
            ("adoptions", chunks(self.innovations, self.chunk // 2) if self.adoptions else 0, self.chunk // 2),
        ]


SCALES: dict[str, Scale] = {
    "national": Scale("national", members=200_000, innovations=100_000, sites=8_000, adoptions=1_000_000,
                      participants=100_000, base_people=300, base_content=True, chunk=20_000),
    "regional": Scale("regional", members=20_000, innovations=10_000, sites=3_000, adoptions=100_000,
                      participants=10_000, base_people=300, base_content=True, chunk=5_000),
    "small": Scale("small", members=600, innovations=240, sites=300, adoptions=2_400, participants=500,
                   base_people=80, base_content=False, chunk=200),
}


@dataclass
class PhaseReport:
    phase: str
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    skipped_chunks: int = 0
    chunks: int = 0
    summary: str = ""  # said instead of the rows, for a step that makes none

    def __str__(self) -> str:
        rows = self.summary or ", ".join(f"{n:,} {what}" for what, n in self.rows.items()) or "nothing new"
        resumed = f" ({self.skipped_chunks} of {self.chunks} chunks already done)" if self.skipped_chunks else ""
        return f"{self.phase}: {rows} in {self.seconds:.1f} s{resumed}"


# progress(phase, total_chunks) -> advance(n) called after each chunk
ProgressFactory = Callable[[str, int], Callable[[int], None]]


def planner_statistics_missing() -> bool:
    """Whether the database has never been analysed (SQLite: no sqlite_stat1; PostgreSQL: no pg_stats rows
    for the innovations table, which autovacuum would have analysed by now if it had got round to it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_stats WHERE schemaname = current_schema() "
                           "AND tablename = 'atlas_innovation' LIMIT 1")
        else:
            return False
        return cursor.fetchone() is None


def analyze() -> float:
    """`ANALYZE` the whole database, so query plans see the real row counts; returns the seconds it took."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


class Interrupted(Exception):  # noqa: N818 - a test hook: stop after N chunks, as a kill would
    """Raised by `scale_load(stop_after=N)` after N chunks have committed (tests of resuming)."""


def finished_chunks(scale: str, seed: int) -> set[tuple[str, int]]:
    """The chunks of this scale and seed already on the public record (so already in the database)."""
    done: set[tuple[str, int]] = set()
    for payload in RecordEntry.objects.filter(action=SCALE_ACTION).values_list("payload", flat=True):
        if payload.get("scale") == scale and payload.get("seed") == seed:
            done.add((payload["phase"], payload["chunk"]))
    return done


def scale_load(
    *,
    scale: str,
    seed: int,
    progress: ProgressFactory | None = None,
    stop_after: int | None = None,
) -> list[PhaseReport]:
    """Load (or finish loading) the demo data at `scale`. Returns what each phase made and how long it took."""
    from innovatorium.demo.selectors import demo_data_marker
    from innovatorium.demo.services import demo_data_load

    size = SCALES[scale]
    progress = progress or (lambda _phase, _total: (lambda _n: None))
    reports: list[PhaseReport] = []
    started = time.perf_counter()
    base = PhaseReport("base demo load")
    if demo_data_marker() is None:
        result = demo_data_load(people=size.base_people, seed=seed, content=size.base_content)
        base.rows = {"people": result.people, "memberships": result.memberships}
    base.seconds = time.perf_counter() - started
    reports.append(base)

    done = finished_chunks(scale, seed)
    loader = _ScaleLoader(size=size, seed=seed)
    committed = 0
    for phase, chunks, per in size.plan():
        report = PhaseReport(phase, chunks=chunks)
        advance = progress(phase, chunks)
        started = time.perf_counter()
        for chunk in range(chunks):
            if (phase, chunk) in done:
                report.skipped_chunks += 1
                advance(1)
                continue
            if stop_after is not None and committed >= stop_after:
                raise Interrupted(f"stopped after {committed} chunks")
            with transaction.atomic():
                rows = getattr(loader, f"phase_{phase}")(chunk=chunk, per=per, chunks=chunks)
                record_append(
                    action=SCALE_ACTION, actor=None,
                    payload={"scale": scale, "seed": seed, "phase": phase, "chunk": chunk, "of": chunks,
                             "rows": rows,
                             "note": "Made-up demo data at scale, bulk-created; counts only."},
                )
            committed += 1
            for what, n in rows.items():
                report.rows[what] = report.rows.get(what, 0) + n
            advance(1)
        report.seconds = time.perf_counter() - started
        reports.append(report)
    if committed or planner_statistics_missing():
        seconds = analyze()
        reports.append(PhaseReport("ANALYZE", seconds=seconds,
                                   summary="planner statistics refreshed for the rows just loaded"))
    return reports


def _weighted(rng: random.Random, cumulative: list[float]) -> int:
    """Index drawn with these cumulative weights (bisect: fast enough for millions of draws)."""
    from bisect import bisect

    return bisect(cumulative, rng.random() * cumulative[-1])


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for weight in weights:
        total += weight
        out.append(total)
    return out


class _ScaleLoader:
    def __init__(self, *, size: Scale, seed: int) -> None:
        self.size = size
        self.seed = seed
        slugs = [slug for slug, _, _ in REGIONAL_NETWORKS]
        by_slug = {n.slug: n for n in Network.objects.filter(slug__in=slugs)}
        self.networks = [by_slug[s] for s in slugs if s in by_slug]
        self._password_hash: str | None = None
        self._organisations: list[Organisation] | None = None

    def rng(self, phase: str, chunk: int) -> random.Random:
        return random.Random(f"{self.seed}:scale:{self.size.name}:{phase}:{chunk}")  # noqa: S311 - made-up data

    @property
    def password_hash(self) -> str:
        # One PBKDF2 run for 200,000 people (each hash of the same password would cost ~0.5 s).
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD, salt="scaledemo")
        return self._password_hash

    @property
    def organisations(self) -> list[Organisation]:
        if self._organisations is None:
            self._organisations = list(Organisation.objects.order_by("pk"))
        return self._organisations

    # --- members -----------------------------------------------------------------------------------

    def phase_members(self, *, chunk: int, per: int, chunks: int) -> dict[str, int]:
        rng = self.rng("members", chunk)
        first = chunk * per
        count = min(per, self.size.members - first)
        constituencies: dict[tuple[int, str], Constituency] = {}
        for c in Constituency.objects.filter(network__in=self.networks, is_active=True).order_by(
            "network_id", "position", "pk"
        ):
            constituencies.setdefault((c.network_id, c.kind), c)
        facilitators = dict(
            Membership.objects.filter(network__in=self.networks, role__in=[Role.FACILITATOR, Role.ADMIN])
            .order_by("role", "pk").values_list("network_id", "person_id")
        )
        orgs_by_kind: dict[str, list[Organisation]] = {}
        for kind, types in data.ORGANISATION_TYPES_FOR_KIND.items():
            orgs_by_kind[kind] = [o for o in self.organisations if o.type in types]
        pseudonyms = set(Person.objects.values_list("pseudonym", flat=True))
        network_weights = _cumulative([3.0 if n.slug == DEMO_NETWORK_SLUG else 1.0 for n in self.networks])
        kinds = list(data.CONSTITUENCY_WEIGHTS)
        kind_weights = _cumulative([float(w) for w in data.CONSTITUENCY_WEIGHTS.values()])

        users: list[User] = []
        people: list[Person] = []
        plans: list[list[tuple[Network, str]]] = []
        for i in range(first, first + count):
            name = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
            joined = EPOCH + dt.timedelta(seconds=rng.randrange(EPOCH_DAYS * 86400))
            local = "".join(ch for ch in name.lower().replace(" ", ".") if ch.isalnum() or ch == ".")
            users.append(User(email=f"{local}.{i + 1}@{SCALE_DOMAIN}", password=self.password_hash,
                              date_joined=joined))
            while True:
                pseudonym = "Member " + "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(8))
                if pseudonym not in pseudonyms:
                    pseudonyms.add(pseudonym)
                    break
            people.append(Person(
                display_name=name, show_name_publicly=rng.random() < 0.4, contact_consent=rng.random() < 0.5,
                access_needs=rng.choice(data.ACCESS_NEEDS) if rng.random() < 0.05 else "",
                pseudonym=pseudonym, created_at=joined,
            ))
            network = self.networks[_weighted(rng, network_weights)]
            kind = kinds[_weighted(rng, kind_weights)]
            joins = [(network, kind)]
            if rng.random() < 0.1:  # some take part in two regions
                joins.append((rng.choice([n for n in self.networks if n != network]), kind))
            plans.append(joins)
        User.objects.bulk_create(users, batch_size=2000)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=2000
        )
        for person, user in zip(people, users, strict=True):
            person.user = user
        Person.objects.bulk_create(people, batch_size=2000)
        memberships: list[Membership] = []
        for person, joins in zip(people, plans, strict=True):
            for network, kind in joins:
                constituency = constituencies.get((network.pk, kind)) or constituencies[(network.pk, "patients_public")]
                organisation = None
                candidates = orgs_by_kind.get(constituency.kind) or []
                if candidates and (constituency.kind != "patients_public" or rng.random() < 0.3):
                    organisation = rng.choice(candidates)
                verification, verified_at, verified_by, note = Verification.NOT_REQUIRED, None, None, ""
                joined_at = person.created_at + dt.timedelta(minutes=rng.randint(1, 600))
                if constituency.requires_verification:
                    roll = rng.random()
                    if roll < 0.8:
                        verification = Verification.VERIFIED
                    elif roll < 0.95:
                        verification = Verification.PENDING
                    else:
                        verification, note = Verification.REJECTED, rng.choice(data.REJECTION_NOTES)
                    if verification != Verification.PENDING:
                        verified_at = joined_at + dt.timedelta(days=rng.randint(1, 20))
                        verified_by = facilitators.get(network.pk)
                memberships.append(Membership(
                    person=person, network=network, constituency=constituency, organisation=organisation,
                    verification=verification, joined_at=joined_at, verified_at=verified_at,
                    verified_by_id=verified_by, verification_note=note,
                ))
        Membership.objects.bulk_create(memberships, batch_size=2000)
        return {"people": len(people), "memberships": len(memberships)}

    # --- innovations -------------------------------------------------------------------------------

    def phase_innovations(self, *, chunk: int, per: int, chunks: int) -> dict[str, int]:
        from innovatorium.atlas import taxonomy
        from innovatorium.atlas.demo import AUTHORS, BRANDS, CONCEPTS, EVIDENCE_TITLES, JOURNALS, PLACES
        from innovatorium.atlas.models import EvidenceItem, Innovation, PublicationStatus, TaxonomyTerm
        from innovatorium.search.models import DocumentKind, SearchDocument, SearchFacet
        from innovatorium.search.query import clean_text

        rng = self.rng("innovations", chunk)
        first = chunk * per
        count = min(per, self.size.innovations - first)
        terms = {(t.vocabulary, t.slug): t for t in TaxonomyTerm.objects.all()}
        stages = list(taxonomy.STAGES)
        stage_weights = _cumulative([6, 12, 14, 18, 20, 16, 14])
        companies = [o for o in self.organisations if o.type == "company"] or self.organisations
        nhs = [o for o in self.organisations if o.type in ("nhs_trust", "icb")] or self.organisations
        innovations: list[Innovation] = []
        extras: list[tuple[tuple[str, ...], tuple[str, ...], list[tuple[str, str, bool]]]] = []
        for i in range(first, first + count):
            network = self.networks[i % len(self.networks)]
            stem, summary, problem, how, value, kind, settings, areas, device = rng.choice(CONCEPTS)
            place = rng.choice(PLACES.get(network.slug, ["the region"]))
            brand = rng.choice(BRANDS)
            name = rng.choice([f"{brand}: {stem.lower()} in {place}", f"{place} {stem.lower()} ({brand})",
                               f"{stem} ({brand}, {place})"])
            slug = f"{slugify(name)[:90]}-{i + 1}"
            name = f"{name[0].upper()}{name[1:]} #{i + 1}"
            published = EPOCH - dt.timedelta(days=365 * 9) + dt.timedelta(
                seconds=rng.randrange((365 * 12) * 86400))
            dtac = ("passed" if rng.random() < 0.5 else "in-progress") if kind == "digital" else "not-applicable"
            innovations.append(Innovation(
                network=network, slug=slug, name=name[:200],
                summary=f"{summary} Developed in {place}."[:500], problem=problem, how_it_works=how,
                value_proposition=value, innovation_type=kind, stage=stages[_weighted(rng, stage_weights)],
                device_class=device, dtac_status=dtac, cqc_registered=kind == "pathway" and rng.random() < 0.2,
                indicative_cost=rng.choice(["", "Under £10,000 a year", "£2 to £5 per patient", "Staff time only"]),
                owner_organisation=rng.choice(companies if kind in ("digital", "device", "diagnostic") else nhs),
                status=PublicationStatus.PUBLISHED, created_at=published, updated_at=published,
                published_at=published,
            ))
            evidence = []
            for _ in range(rng.choices([0, 1, 2], weights=[3, 5, 2])[0]):
                evidence_type = rng.choice(list(EVIDENCE_TITLES))
                title = EVIDENCE_TITLES[evidence_type].format(name=name.split(":")[0], place=place)
                evidence.append((evidence_type, f"{rng.choice(AUTHORS)} et al. ({rng.randint(2014, 2025)}). "
                                                f"{title[0].upper() + title[1:]}. {rng.choice(JOURNALS)}."[:500],
                                 evidence_type in ("rct", "health-economic") or rng.random() < 0.4))
            extras.append((settings, areas, evidence))
        Innovation.objects.bulk_create(innovations, batch_size=2000)
        setting_through = Innovation.care_settings.through
        area_through = Innovation.clinical_areas.through
        settings_rows, areas_rows, evidence_rows, documents = [], [], [], []
        facets_for: list[list[tuple[str, str, str]]] = []
        for innovation, (settings, areas, evidence) in zip(innovations, extras, strict=True):
            setting_terms = [terms[("care_setting", s)] for s in settings if ("care_setting", s) in terms]
            area_terms = [terms[("clinical_area", a)] for a in areas if ("clinical_area", a) in terms]
            settings_rows += [setting_through(innovation_id=innovation.pk, taxonomyterm_id=t.pk) for t in setting_terms]
            areas_rows += [area_through(innovation_id=innovation.pk, taxonomyterm_id=t.pk) for t in area_terms]
            evidence_rows += [EvidenceItem(innovation=innovation, evidence_type=e, citation=c, independent=ind)
                              for e, c, ind in evidence]
            try:
                url = reverse("atlas:innovation", kwargs={"network_slug": innovation.network.slug,
                                                          "innovation_slug": innovation.slug})
            except NoReverseMatch:
                url = ""
            organisation = innovation.owner_organisation.name if innovation.owner_organisation else ""
            body = "\n".join(clean_text(p).strip() for p in [
                innovation.summary, innovation.problem, innovation.how_it_works, innovation.value_proposition,
                organisation, *(c for _, c, _ in evidence)] if p and p.strip())
            documents.append(SearchDocument(
                kind=DocumentKind.INNOVATION, object_id=innovation.pk, network=innovation.network,
                title=clean_text(innovation.name).strip()[:300], body=body, url=url,
                published_at=innovation.published_at, updated_at=innovation.published_at,
            ))
            facets = [
                ("stage", innovation.stage, taxonomy.STAGES.get(innovation.stage, innovation.stage)),
                ("innovation_type", innovation.innovation_type, taxonomy.INNOVATION_TYPES[innovation.innovation_type]),
                ("network", innovation.network.slug, innovation.network.name),
                ("device_class", innovation.device_class,
                 taxonomy.DEVICE_CLASSES.get(innovation.device_class, innovation.device_class)),
                ("dtac_status", innovation.dtac_status,
                 taxonomy.DTAC_STATUSES.get(innovation.dtac_status, innovation.dtac_status)),
                *(("care_setting", t.slug, t.name) for t in setting_terms),
                *(("clinical_area", t.slug, t.name) for t in area_terms),
                *(("evidence_type", e, taxonomy.EVIDENCE_TYPES.get(e, e)) for e in dict.fromkeys(
                    e for e, _, _ in evidence)),
            ]
            facets_for.append(facets)
        setting_through.objects.bulk_create(settings_rows, batch_size=5000)
        area_through.objects.bulk_create(areas_rows, batch_size=5000)
        EvidenceItem.objects.bulk_create(evidence_rows, batch_size=2000)
        SearchDocument.objects.bulk_create(documents, batch_size=1000)
        facet_rows = [
            SearchFacet(document=document, kind=DocumentKind.INNOVATION, field=f, value=v[:80], label=label[:200])
            for document, facets in zip(documents, facets_for, strict=True)
            for f, v, label in dict.fromkeys(facets) if v
        ]
        SearchFacet.objects.bulk_create(facet_rows, batch_size=5000)
        return {"innovations": len(innovations), "evidence": len(evidence_rows), "search documents": len(documents)}

    # --- adoption ----------------------------------------------------------------------------------

    def phase_sites(self, *, chunk: int, per: int, chunks: int) -> dict[str, int]:
        from innovatorium.adoption.demo import _sites

        made = _sites(self.rng("sites", chunk), self.networks, per)
        return {"sites": len(made)}

    def phase_adoptions(self, *, chunk: int, per: int, chunks: int) -> dict[str, int]:
        from innovatorium.adoption.demo import DISCONTINUE_REASONS, SOURCE
        from innovatorium.adoption.models import Adoption, AdoptionStatusChange, Site, SiteType, Status
        from innovatorium.atlas.models import Innovation

        rng = self.rng("adoptions", chunk)
        # This chunk's innovations: the scale load's own, in the order they were made.
        innovations = list(
            Innovation.objects.filter(name__contains=" #").order_by("pk")
            .values_list("pk", "network_id")[chunk * per:(chunk + 1) * per]
        )
        sites = list(Site.objects.filter(type__in=[SiteType.GP_PRACTICE, SiteType.TRUST]).order_by("pk")
                     .values_list("pk", "type", "network_id", "population"))
        practices = [s for s in sites if s[1] == SiteType.GP_PRACTICE]
        trusts = [s for s in sites if s[1] == SiteType.TRUST]
        if not innovations or not practices:
            return {"adoptions": 0, "status changes": 0}
        # lognormal(0, 1.1) has mean e^0.605; a third more, as some fall after today or beyond a pool's cap
        mean = 1.3 * self.size.adoptions / self.size.innovations / math.exp(1.1 ** 2 / 2)
        adoptions: list[Adoption] = []
        histories: list[list[tuple[str, dt.date, str]]] = []
        for innovation_id, _network_id in innovations:
            pool = trusts if (rng.random() < 0.2 and len(trusts) >= 10) else practices
            m = min(round(rng.lognormvariate(0, 1.1) * mean), int(len(pool) * 0.8))
            if m < 1:
                continue
            p, q = rng.uniform(0.01, 0.04), rng.uniform(0.5, 1.0)
            launch = TODAY - dt.timedelta(days=rng.randint(365 * 3, 365 * 10))
            for site in rng.sample(pool, m):
                u = rng.random() * 0.999
                years = -math.log((1 - u) / (1 + u * q / p)) / (p + q)
                adopted_on = launch + dt.timedelta(days=round(years * 365.25))
                explored_on = adopted_on - dt.timedelta(days=rng.randint(60, 240))
                piloted_on = explored_on + dt.timedelta(days=rng.randint(20, 50))
                if explored_on > TODAY:
                    continue
                steps = [(Status.EXPLORING, explored_on, "")]
                if piloted_on <= TODAY:
                    steps.append((Status.PILOTING, piloted_on, ""))
                if adopted_on <= TODAY and len(steps) == 2:
                    steps.append((Status.ADOPTED, adopted_on, ""))
                    embedded_on = adopted_on + dt.timedelta(days=rng.randint(300, 800))
                    if embedded_on <= TODAY and rng.random() < 0.6:
                        steps.append((Status.EMBEDDED, embedded_on, ""))
                    elif rng.random() < 0.05:
                        stopped = adopted_on + dt.timedelta(days=rng.randint(90, 700))
                        if stopped <= TODAY:
                            steps.append((Status.DISCONTINUED, stopped, rng.choice(DISCONTINUE_REASONS)))
                status, on, reason = steps[-1]
                population = site[3] or 0
                covered = round(population * rng.uniform(0.6, 1.0)) if site[1] == SiteType.GP_PRACTICE else None
                reached = (round(population * rng.uniform(0.005, 0.08))
                           if status in (Status.ADOPTED, Status.EMBEDDED) else None)
                adoptions.append(Adoption(
                    innovation_id=innovation_id, site_id=site[0], status=status, status_on=on,
                    started_on=explored_on, reason=reason, population_covered=covered,
                    population_source=SOURCE if covered else "", patients_reached=reached,
                    patients_source=SOURCE if reached else "", verified=rng.random() < 0.7,
                    updated_at=EPOCH,
                ))
                histories.append(steps)
        Adoption.objects.bulk_create(adoptions, batch_size=2000)
        changes = [
            AdoptionStatusChange(adoption_id=a.pk, innovation_id=a.innovation_id, site_id=a.site_id, status=s,
                                 changed_on=on, reason=reason, source=SOURCE)
            for a, steps in zip(adoptions, histories, strict=True) for s, on, reason in steps
        ]
        AdoptionStatusChange.objects.bulk_create(changes, batch_size=2000)
        return {"adoptions": len(adoptions), "status changes": len(changes)}

    # --- a national conversation -------------------------------------------------------------------

    QUESTION = "National conversation: what should every network tackle next in diabetes care?"

    def phase_conversation(self, *, chunk: int, per: int, chunks: int) -> dict[str, int]:
        from innovatorium.deliberation import services
        from innovatorium.deliberation.demo import CAMP_WEIGHTS, KIND_CAMP_WEIGHTS, STATEMENTS, _vote
        from innovatorium.deliberation.models import Conversation, Participant, Statement, Vote

        network = next(n for n in self.networks if n.slug == DEMO_NETWORK_SLUG)
        if chunk == 0:
            services.conversation_open(
                network=network, actor=None, question=self.QUESTION, allow_anonymous=True,
                description="Every network's members and visitors are asked the same statements, so the "
                            "regions can be compared. Vote on each statement; add your own if one is missing.",
                seed_statements=[text for text, *_ in STATEMENTS],
            )
            return {"conversations": 1}
        conversation = Conversation.objects.get(network=network, question=self.QUESTION)
        if chunk == chunks - 1:
            # The last chunk: the opinion groups for the report (the worker would do this after votes).
            snapshot = services.analysis_refresh(conversation_id=conversation.pk, force=True)
            return {"analysis snapshots": 1 if snapshot else 0}
        rng = self.rng("conversation", chunk)
        statements = list(Statement.objects.filter(conversation=conversation).order_by("pk"))
        stances = {s.pk: STATEMENTS[i][1:] for i, s in enumerate(statements)}
        first = (chunk - 1) * per
        count = min(per, self.size.participants - first)
        # Members of the network take part first (in the order they joined), then pseudonymous browsers.
        members = list(
            Membership.objects.filter(network=network, verification__in=COUNTED_VERIFICATION)
            .order_by("pk").values_list("person_id", "constituency_id", "constituency__kind")[first:first + count]
        )
        when = EPOCH + dt.timedelta(days=EPOCH_DAYS - 30)
        participants: list[Participant] = []
        camps: list[int] = []
        for person_id, constituency_id, kind in members:
            participants.append(Participant(conversation=conversation, person_id=person_id,
                                            constituency_id=constituency_id, constituency_kind=kind, created_at=when))
            camps.append(rng.choices(range(3), KIND_CAMP_WEIGHTS.get(kind, CAMP_WEIGHTS))[0])
        for i in range(first + len(participants), first + count):
            token = f"scale:{self.seed}:{self.size.name}:{i}"  # never a primary key: those differ between loads
            participants.append(Participant(conversation=conversation, created_at=when,
                                            anonymous_hash=hashlib.sha256(token.encode()).hexdigest()))
            camps.append(rng.choices(range(3), CAMP_WEIGHTS)[0])
        Participant.objects.bulk_create(participants, batch_size=2000)
        votes: list[Vote] = []
        for participant, camp in zip(participants, camps, strict=True):
            for statement in rng.sample(statements, rng.randint(4, 16)):
                votes.append(Vote(conversation=conversation, participant=participant, statement=statement,
                                  value=_vote(rng, stances[statement.pk][camp]), created_at=when, updated_at=when))
        Vote.objects.bulk_create(votes, batch_size=5000)
        Conversation.objects.filter(pk=conversation.pk).update(last_vote_at=when)
        return {"participants": len(participants), "votes": len(votes)}
