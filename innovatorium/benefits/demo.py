"""Demo benefit sharing: five agreements (most in Eastern, so the demo logins take part), each with a year of
monthly postings, all adopted through the parties' own acceptance; one amended part way through the year, one
with shares from its project's contributions log, one posting reversed. Written through the services, so every
step is on the public record and the record verifies."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from innovatorium.atlas.models import Innovation
from innovatorium.benefits import services
from innovatorium.benefits.models import Agreement, Basis, EventKind, PartyKind
from innovatorium.demo.constants import DEMO_DOMAIN, DEMO_NETWORK_SLUG
from innovatorium.networks.models import Network
from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Organisation, Person
from innovatorium.projects.models import Contribution, Project

PAYERS = ["Anglia Health Tech Ltd", "Meridian Digital Care", "NHS Supply Chain", "Northgate Devices plc",
          "Harbour Health Analytics"]
GROUP_NAMES = ["Patient Voices group", "Carers' Circle", "Living Well community group"]


def _person(email: str) -> Person | None:
    return Person.objects.filter(user__email=email).first()


def _members(network: Network) -> list[Membership]:
    return list(Membership.objects.filter(network=network, verification__in=COUNTED_VERIFICATION)
                .select_related("person", "constituency").order_by("pk"))


def _adopt(version) -> None:  # noqa: ANN001
    services.version_propose(actor=None, version=version)
    for term in version.terms.select_related("party__representative"):
        services.version_accept(actor=term.party.representative, version=version, party=term.party)


def _month_ends(today: dt.date, months: int = 12) -> list[dt.date]:
    days = []
    for k in range(months, 0, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - k, 12)
        days.append(dt.date(year, month + 1, 28))
    return days


def _fixed_parties(rng: random.Random, network: Network, members: list[Membership], *, demo: bool) -> list[tuple]:
    """(kind, label, organisation, representative, share) rows summing to 100%."""
    orgs = list(Organisation.objects.filter(network=network).order_by("pk"))
    nhs = [o for o in orgs if o.type in ("nhs_trust", "icb")] or orgs
    by_kind: dict[str, list[Membership]] = {}
    for m in members:
        by_kind.setdefault(m.constituency.kind, []).append(m)

    def pick(kind: str) -> Person:
        pool = by_kind.get(kind) or members
        return rng.choice(pool).person

    patient = _person(f"patient@{DEMO_DOMAIN}") if demo else None
    industry = _person(f"industry@{DEMO_DOMAIN}") if demo else None
    trust = rng.choice(nhs) if nhs else None
    company = next((o for o in orgs if o.type == "company"), None)
    rows = [
        (PartyKind.ORGANISATION, trust.name if trust else "Local NHS trust", trust, pick("nhs"), Decimal("40")),
        (PartyKind.PATIENT_GROUP, f"{network.name} {rng.choice(GROUP_NAMES)}", None,
         patient or pick("patients_public"), Decimal("25")),
        (PartyKind.ORGANISATION, company.name if company else "The innovator's company", company,
         industry or pick("industry"), Decimal("30")),
        (PartyKind.INDIVIDUAL, "", None, pick("patients_public"), Decimal("5")),
    ]
    # two parties can not share one representative in a demo: fall back to anyone else
    seen: set[int] = set()
    out = []
    for kind, label, org, rep, share in rows:
        if rep.pk in seen:
            rep = next(m.person for m in members if m.person_id not in seen)
        seen.add(rep.pk)
        out.append((kind, label, org, rep, share))
    return out


def _post_months(rng: random.Random, agreement: Agreement, kinds: list[str], base: int,
                 days: list[dt.date]) -> int:
    posted = 0
    for k, day in enumerate(days):
        kind = kinds[k % len(kinds)]
        pence = rng.randint(base * 60, base * 140) + rng.randint(0, 99)
        services.event_record(
            actor=None, agreement=agreement, kind=kind, amount=Decimal(pence) / 100, occurred_on=day,
            idempotency_key=f"DEMO-{agreement.innovation_id}-{day:%Y-%m}", payer=rng.choice(PAYERS),
            description={"licence_income": "Monthly licence fee", "royalties": "Royalties on sales",
                         "cash_releasing_savings": "Beds released, agreed with finance",
                         "grant": "Spread and adoption grant"}[kind],
        )
        posted += 1
    return posted


def create_demo_benefits(rng: random.Random, count: int = 5) -> str:
    """`count` agreements (five at the default size) with a year of monthly postings. Returns what was made."""
    today = timezone.localdate()
    eastern = Network.objects.filter(slug=DEMO_NETWORK_SLUG).first()
    networks = [n for n in Network.objects.order_by("name") if len(_members(n)) >= 6]
    if not networks:
        return "no benefit-sharing agreements (no networks with members)"
    order = ([eastern] if eastern in networks else []) + [n for n in networks if n != eastern]
    plan = [order[0], order[0]] + [order[(k % max(1, len(order) - 1)) + 1] if len(order) > 1 else order[0]
                                    for k in range(max(0, count - 2))]
    used: set[int] = set()
    agreements = postings = amended = 0
    contribution_done = False
    for index, network in enumerate(plan[:count]):
        members = _members(network)
        project = None
        if not contribution_done and index >= 1:
            project = (Project.objects.filter(network=network, innovation__isnull=False)
                       .exclude(innovation_id__in=used).order_by("pk")
                       .filter(pk__in=Contribution.objects.values("project_id")).first())
        if project is not None:
            innovation = project.innovation
        else:
            innovation = (Innovation.objects.filter(network=network, status="published").exclude(pk__in=used)
                          .order_by("pk").first())
        if innovation is None:
            continue
        used.add(innovation.pk)
        version = services.version_draft(actor=None, innovation=innovation,
                                         summary="How this innovation's income and savings are shared.")
        agreement = version.agreement
        private = index == 3
        if project is not None:
            contribution_done = True
            services.version_set_terms(
                actor=None, version=version, basis=Basis.CONTRIBUTIONS, project=project, reinvestment_percent="10",
                public_party_names=True, public_party_amounts=True, public_event_details=True,
                summary="Shared in proportion to what each team member gave, at agreed rates per hour.")
            version.refresh_from_db()
            for kind, rate in (("time", "25"), ("lived_experience", "25"), ("expertise", "40"), ("data", "10"),
                               ("ip", "100")):
                services.rate_set(actor=None, version=version, kind=kind, rate=rate)
            for tm in project.team.select_related("person").order_by("pk"):
                if not Contribution.objects.filter(team_member=tm).exists():
                    continue
                services.party_add(actor=None, version=version, kind=PartyKind.INDIVIDUAL,
                                   representative=tm.person, team_members=[tm])
            first = Contribution.objects.filter(project=project).order_by("occurred_on").first()
            _adopt(version)
            days = [d for d in _month_ends(today) if d >= first.occurred_on]
            postings += _post_months(rng, agreement, ["royalties"], 900, days)
        else:
            services.version_set_terms(
                actor=None, version=version, basis=Basis.FIXED, reinvestment_percent="10",
                public_party_names=not private, public_party_amounts=not private, public_event_details=not private,
                summary="Fixed shares agreed at the start of the project."
                        + (" The parties keep their shares and who pays private." if private else ""))
            for kind, label, org, rep, share in _fixed_parties(rng, network, members, demo=network == eastern):
                services.party_add(actor=None, version=version, kind=kind, label=label, organisation=org,
                                   representative=rep, share_percent=share)
            _adopt(version)
            kinds = [[EventKind.LICENCE_INCOME], [EventKind.ROYALTIES],
                     [EventKind.CASH_RELEASING_SAVINGS, EventKind.LICENCE_INCOME],
                     [EventKind.LICENCE_INCOME, EventKind.GRANT], [EventKind.CASH_RELEASING_SAVINGS]][index % 5]
            if amended == 0:
                # Six months under version 1, then an amendment (more to the community fund) for the rest.
                year = _month_ends(today)
                postings += _post_months(rng, agreement, kinds, 1500, year[:6])
                amendment = services.version_draft(
                    actor=None, innovation=innovation,
                    summary="Amendment: 15% to the community fund (was 10%), agreed at the annual review.")
                services.version_set_terms(
                    actor=None, version=amendment, basis=Basis.FIXED, reinvestment_percent="15",
                    public_party_names=True, public_party_amounts=True, public_event_details=True,
                    summary=amendment.summary)
                _adopt(amendment)
                amended += 1
                postings += _post_months(rng, agreement, kinds, 1500, year[6:])
                first = agreement.events.order_by("occurred_on", "pk").first()
                services.posting_reverse(actor=None, posting=first.postings.get(),
                                         reason="Invoice raised twice by the licensee; the duplicate is reversed.")
                postings += 1
            else:
                postings += _post_months(rng, agreement, kinds, [800, 2500, 400, 1200][index % 4],
                                         _month_ends(today))
        agreements += 1
    return (f"{agreements} benefit-sharing agreements ({amended} amended) with {postings} postings over a year")
