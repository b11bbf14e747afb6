"""Demo adoption register: ~3,000 made-up sites across the 15 networks and ~8,000 adoption records.

Sites: in each network, two to four ICBs; under each ICB a few NHS trusts and several primary care networks (PCNs);
under each PCN a handful of GP practices. Practices carry a population (2,000 to 25,000) and a deprivation decile
(drawn around a level set for their ICB, so some places are poorer than others); a PCN and an ICB serve the sum of
their practices; a trust serves a share of its ICB's people and has no decile (so equity is counted over practices).
ODS codes are in the real shapes (ICB "Q" + 2, trust "R" + 2, PCN "U" + 5, practice letter + 5 digits) but made up.

Adoption: each published Atlas innovation that spreads gets a Bass diffusion (innovation p, imitation q, eventual
market m) from its launch date, so the cumulative curves are S-shaped. Sites are drawn from the innovation's own
network first and then from others (co-diffusion), a little more often from less deprived places (the equity gap
the register is meant to show). Each adoption has a status history exploring → piloting → adopted (→ embedded);
some recent ones are still exploring or piloting, a few were discontinued with a reason.

Everything is written with bulk_create (seconds, not minutes) and goes on the public record as one summary entry,
as an import would.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import string
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from innovatorium.adoption.models import Adoption, AdoptionStatusChange, NationalProgramme, Site, SiteType, Status
from innovatorium.atlas.models import Innovation, PublicationStatus
from innovatorium.networks.defaults import REGIONAL_NETWORKS
from innovatorium.networks.models import Network
from innovatorium.record.services import record_append

SOURCE = "Demo data (made up)"
DISCONTINUE_REASONS = [
    "Funding for the licence ended.", "Staff who led it moved on.", "Replaced by a regional contract.",
    "Patients preferred the previous service.", "Did not fit the new clinical system.",
]
REGIONS = ["Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"]


@dataclass(frozen=True)
class DemoAdoption:
    sites: int
    adoptions: int
    changes: int
    innovations: int

    def __str__(self) -> str:
        return (f"{self.sites:,} sites, {self.adoptions:,} adoption records ({self.changes:,} status changes) "
                f"of {self.innovations:,} innovations")


def _bass_time(rng: random.Random, p: float, q: float) -> float:
    """A Bass adoption time in years (inverse of F(t) = (1 - e^-(p+q)t) / (1 + (q/p) e^-(p+q)t))."""
    u = rng.random() * 0.999
    return -math.log((1 - u) / (1 + u * q / p)) / (p + q)


def _sites(rng: random.Random, networks: list[Network], target: int) -> list[Site]:
    """Make about `target` sites, ICB → trusts and PCNs → practices, spread over the networks."""
    per_network = max(8, target // len(networks))
    letters = string.ascii_uppercase
    used: set[str] = set(Site.objects.values_list("ods_code", flat=True))

    def code(prefix: str, digits: int, alphabet: str = string.digits) -> str:
        while True:
            candidate = prefix + "".join(rng.choice(alphabet) for _ in range(digits))
            if candidate not in used:
                used.add(candidate)
                return candidate

    icbs: list[Site] = []
    plan: list[tuple[Site, int, float]] = []  # ICB, practices under it, its deprivation level
    for n, network in enumerate(networks):
        n_icbs = rng.randint(2, 4) if per_network >= 60 else 1
        for i in range(n_icbs):
            icb = Site(ods_code=code("Q", 2, letters + string.digits), type=SiteType.ICB, network=network,
                       name=f"NHS {network.name} ICB {i + 1}", region=REGIONS[n % len(REGIONS)],
                       population_source=SOURCE, opened_on=dt.date(2022, 7, 1))
            icbs.append(icb)
            plan.append((icb, 0, rng.uniform(2.5, 8.5)))
    Site.objects.bulk_create(icbs, batch_size=5000)
    # share the network's budget of sites among its ICBs: ~6% trusts, ~11% PCNs, the rest practices
    by_network: dict[int, list[int]] = {}
    for k, (icb, _, _) in enumerate(plan):
        by_network.setdefault(icb.network_id, []).append(k)
    for ks in by_network.values():
        budget = per_network - len(ks)
        for k in ks:
            plan[k] = (plan[k][0], max(3, budget // len(ks)), plan[k][2])
    middles: list[Site] = []
    layout: list[tuple[Site, list[Site]]] = []  # PCN → its practices (made after the PCNs have ids)
    for icb, size, level in plan:
        n_trusts = max(1, round(size * 0.06))
        n_pcns = max(1, round(size * 0.11))
        n_practices = max(1, size - n_trusts - n_pcns)
        for t in range(n_trusts):
            middles.append(Site(ods_code=code("R", 2, letters + string.digits), type=SiteType.TRUST, parent=icb,
                                network=icb.network, region=icb.region, population_source=SOURCE,
                                name=f"{icb.name.removeprefix('NHS ').removesuffix(' ICB ' + icb.name[-1])} "
                                     f"Hospitals NHS Trust {t + 1}",
                                opened_on=dt.date(rng.randint(1991, 2012), 4, 1)))
        pcns = []
        for p in range(n_pcns):
            pcn = Site(ods_code=code("U", 5), type=SiteType.PCN, parent=icb, network=icb.network,
                       region=icb.region, name=f"{icb.name.removeprefix('NHS ')} PCN {p + 1}",
                       population_source=SOURCE, opened_on=dt.date(2019, 7, 1))
            pcns.append(pcn)
            middles.append(pcn)
        practices: list[list[Site]] = [[] for _ in pcns]
        for g in range(n_practices):
            decile = min(10, max(1, round(rng.gauss(level, 2.0))))
            practices[g % len(pcns)].append(Site(
                ods_code=code(rng.choice("ABCDEFGHJKLMNPY"), 5), type=SiteType.GP_PRACTICE, network=icb.network,
                region=icb.region, name=f"{rng.choice(['The ', ''])}{rng.choice(STREETS)} "
                                        f"{rng.choice(['Surgery', 'Medical Centre', 'Health Centre', 'Practice'])}",
                population=rng.randint(2000, 25000), imd_decile=decile, population_source=SOURCE,
                opened_on=dt.date(rng.randint(1974, 2015), 4, 1)))
        layout.extend(zip(pcns, practices, strict=True))
    Site.objects.bulk_create(middles, batch_size=5000)
    leaves: list[Site] = []
    icb_population: dict[int, int] = {}
    for pcn, practices_of in layout:
        for practice in practices_of:
            practice.parent = pcn
            leaves.append(practice)
        pcn.population = sum(p.population or 0 for p in practices_of)
        icb_population[pcn.parent_id] = icb_population.get(pcn.parent_id, 0) + pcn.population
    Site.objects.bulk_create(leaves, batch_size=5000)
    for icb in icbs:
        icb.population = icb_population.get(icb.pk, 0)
    for site in middles:
        if site.type == SiteType.TRUST:
            site.population = round(icb_population.get(site.parent_id, 0) * rng.uniform(0.15, 0.45))
    Site.objects.bulk_update(icbs + middles, ["population"], batch_size=5000)
    return icbs + middles + leaves


STREETS = ["Market Street", "Church Lane", "Park Road", "Victoria", "Riverside", "Abbey", "Hillside", "Station Road",
           "Oak Tree", "Castle", "Meadow", "Bridge Street", "Queens Park", "Elm Grove", "Northgate", "Southfield",
           "Westway", "Eastgate", "Moorside", "Beacon", "Harbour", "Mill Lane", "Orchard", "Priory", "Greenbank"]


@transaction.atomic
def create_demo_adoption(rng: random.Random, count: int = 8000, *, sites: int | None = None) -> DemoAdoption:
    """Make ~3,000 sites (or `sites`) and ~`count` adoption records of the demo Atlas's published innovations."""
    slugs = [slug for slug, _, _ in REGIONAL_NETWORKS]
    by_slug = {n.slug: n for n in Network.objects.filter(slug__in=slugs)}
    networks = [by_slug[s] for s in slugs if s in by_slug] or list(Network.objects.order_by("slug"))
    if not networks:
        raise ValueError("The adoption demo needs networks: load them first.")
    site_target = sites if sites is not None else max(300, round(count * 3000 / 8000))
    made_sites = _sites(rng, networks, site_target)
    practices = [s for s in made_sites if s.type == SiteType.GP_PRACTICE]
    trusts = [s for s in made_sites if s.type == SiteType.TRUST]
    innovations = list(Innovation.objects.filter(status=PublicationStatus.PUBLISHED).order_by("pk"))
    if not innovations or not practices:
        return DemoAdoption(len(made_sites), 0, 0, 0)
    today = timezone.localdate()
    # how many sites each innovation eventually reaches: heavy-tailed, scaled so the total is ~count
    weights = [rng.lognormvariate(0, 1.1) for _ in innovations]
    scale = count * 1.33 / sum(weights)  # some fall after today or beyond a pool's cap
    adoptions: list[Adoption] = []
    histories: list[list[tuple[str, dt.date, str]]] = []
    touched: set[int] = set()
    for innovation, weight in zip(innovations, weights, strict=True):
        pool = trusts if (rng.random() < 0.25 and len(trusts) >= 10) else practices
        m = min(round(weight * scale), int(len(pool) * 0.8))
        if m < 1:
            continue
        touched.add(innovation.pk)
        p, q = rng.uniform(0.01, 0.04), rng.uniform(0.5, 1.0)
        launch = today - dt.timedelta(days=rng.randint(365 * 3, 365 * 10))
        home = innovation.network_id
        # home network first, then the rest; less deprived places a little more likely
        ranked = sorted(pool, key=lambda s: (s.network_id != home) * rng.uniform(0.5, 2.0)
                        + rng.random() * 1.5 + (10 - (s.imd_decile or 5)) * 0.025)
        times = sorted(_bass_time(rng, p, q) for _ in range(m))
        for site, years in zip(ranked[:m], times, strict=False):
            adopted_on = launch + dt.timedelta(days=round(years * 365.25))
            explored_on = adopted_on - dt.timedelta(days=rng.randint(60, 240))
            piloted_on = explored_on + dt.timedelta(days=rng.randint(20, 50))
            if explored_on > today:
                continue
            steps = [(Status.EXPLORING, explored_on, "")]
            if piloted_on <= today:
                steps.append((Status.PILOTING, piloted_on, ""))
            if adopted_on <= today and len(steps) == 2:
                steps.append((Status.ADOPTED, adopted_on, ""))
                embedded_on = adopted_on + dt.timedelta(days=rng.randint(300, 800))
                if embedded_on <= today and rng.random() < 0.6:
                    steps.append((Status.EMBEDDED, embedded_on, ""))
                elif rng.random() < 0.05:
                    stopped = adopted_on + dt.timedelta(days=rng.randint(90, 700))
                    if stopped <= today:
                        steps.append((Status.DISCONTINUED, stopped, rng.choice(DISCONTINUE_REASONS)))
            status, on, reason = steps[-1]
            population = site.population or 0
            covered = round(population * rng.uniform(0.6, 1.0)) if site.type == SiteType.GP_PRACTICE else None
            reached = round(population * rng.uniform(0.005, 0.08)) if status in (Status.ADOPTED,
                                                                                  Status.EMBEDDED) else None
            adoptions.append(Adoption(
                innovation=innovation, site=site, status=status, status_on=on, started_on=explored_on,
                reason=reason, population_covered=covered, population_source=SOURCE if covered else "",
                patients_reached=reached, patients_source=SOURCE if reached else "",
                verified=rng.random() < 0.7,
            ))
            histories.append(steps)
    Adoption.objects.bulk_create(adoptions, batch_size=5000)
    changes = [
        AdoptionStatusChange(adoption_id=a.pk, innovation_id=a.innovation_id, site_id=a.site_id, status=status,
                             changed_on=on, reason=reason, source=SOURCE)
        for a, steps in zip(adoptions, histories, strict=True) for status, on, reason in steps
    ]
    AdoptionStatusChange.objects.bulk_create(changes, batch_size=5000)
    programmes = _programmes(rng, adoptions, practices, today)
    result = DemoAdoption(len(made_sites), len(adoptions), len(changes), len(touched))
    record_append(
        action="adoption.records.imported", actor=None,
        payload={"rows": len(changes), "adoptions_created": len(adoptions), "adoptions_updated": 0,
                 "innovations": len(touched), "sites_created": len(made_sites), "source": SOURCE},
    )
    for programme in programmes:
        record_append(action="adoption.programme.created", actor=None, network=programme.innovation.network,
                      obj=programme, payload={"name": programme.name, "innovation": programme.innovation.slug,
                                              "targets": programme.target_sites.count(),
                                              "starts_on": programme.starts_on})
    return result


PROGRAMME_NAMES = ["Spread at scale", "National rollout", "Adoption accelerator"]


def _programmes(rng: random.Random, adoptions: list[Adoption], practices: list[Site],
                today: dt.date) -> list[NationalProgramme]:
    """Three national programmes: the innovations adopted most widely, each aiming at its adopters so far plus as
    many practices again that have not adopted it (so progress is part-way)."""
    by_innovation: dict[int, list[Adoption]] = {}
    for a in adoptions:
        by_innovation.setdefault(a.innovation_id, []).append(a)
    chosen = sorted(by_innovation.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:3]
    made = []
    for (innovation_id, its), label in zip(chosen, PROGRAMME_NAMES, strict=False):
        innovation = its[0].innovation
        have = {a.site_id for a in its}
        others = [p for p in practices if p.pk not in have]
        targets = [a.site for a in its if a.site.type == SiteType.GP_PRACTICE][:60]
        targets += rng.sample(others, min(len(others), max(10, len(targets))))
        starts = today - dt.timedelta(days=rng.randint(365, 3 * 365))
        programme = NationalProgramme.objects.create(
            name=f"{label}: {innovation.name}"[:200], slug=f"{slugify(label)}-{innovation.slug}"[:120],
            innovation_id=innovation_id, starts_on=starts, ends_on=starts + dt.timedelta(days=5 * 365))
        programme.target_sites.set(targets)
        made.append(programme)
    return made
