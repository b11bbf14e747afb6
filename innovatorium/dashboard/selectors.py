"""The national dashboard's figures, for England and each network, each with its counting method and a link to the
records behind it. Everything is read from the other apps' public selectors:

* adoption (innovations introduced, adopting sites, population covered, patients reached): ``adoption.selectors``,
  two queries for the whole country, split by network in memory;
* money earned, saved, shared and reinvested: the benefits ledger (one grouped query, the same sums as
  ``benefits.selectors.benefit_totals``, which a test checks);
* investment leveraged and jobs created: this app's reported figures (one grouped query);
* involvement: ``projects.involvement.league_table`` (six queries).

About ten queries in all, however many networks there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from innovatorium.adoption import selectors as adoption
from innovatorium.benefits.models import EARNED_KINDS, SAVED_KINDS, AccountKind, PostingLine
from innovatorium.core.money import MoneySum
from innovatorium.dashboard.models import FigureKind, ReportedFigure
from innovatorium.networks.models import Network
from innovatorium.projects import involvement

ZERO = Decimal("0.00")

# key → (label, unit, group, counting method). Units: count, people, money, fte, hours, percent.
FIGURES: dict[str, tuple[str, str, str, str]] = {
    "innovations": ("Innovations introduced", "count", "Spread",
                    "Innovations with at least one site adopting them now (status adopted or embedded) in the area. "
                    "An innovation adopted in two networks counts once in each, and once for England."),
    "sites": ("Adopting sites", "count", "Spread",
              "Sites (NHS trusts, GP practices, care homes and others, by ODS code) adopting at least one innovation "
              "now. A site adopting three innovations counts once."),
    "population": ("Population covered, added up over innovations", "people", "Spread",
                   "Added up over innovations, so it can be larger than England's population (about 57 million): "
                   "it says how much access there is, not how many different people have it. For each innovation, the "
                   "people served by each adopting site (as the site reported, or the "
                   "population it serves), except where the site's parent organisation also adopts it, so nobody "
                   "is counted twice for one innovation. Someone reached by two innovations counts twice."),
    "patients": ("Patients reached", "people", "Spread",
                 "The sum of the patient numbers adopting sites reported, as reported: not checked for overlap."),
    "earned": ("Money earned", "money", "Benefits",
               "Licence income, royalties and grants posted to the benefits ledger under a benefit-sharing "
               "agreement, net of reversals."),
    "saved": ("Money saved", "money", "Benefits",
              "Cash-releasing savings posted to the benefits ledger under a benefit-sharing agreement, net of "
              "reversals."),
    "shared": ("Money shared with partners", "money", "Benefits",
               "What the ledger paid out to the parties of each agreement (patients, staff, organisations), net of "
               "reversals."),
    "reinvested": ("Money reinvested", "money", "Benefits",
                   "What the ledger put into the networks' community funds for reinvestment, net of reversals."),
    "investment": ("Investment leveraged", "money", "As reported",
                   "Investment that innovations or the network's work drew in, as reported by the network with its "
                   "source (a report, an accounts page). Summed as reported, not audited; withdrawn figures are "
                   "not counted."),
    "jobs": ("Jobs created", "fte", "As reported",
             "Jobs created, in full-time equivalents, as reported by the network with its source. Summed as "
             "reported, not audited; withdrawn figures are not counted."),
    "team_places": ("Places on co-production teams", "count", "Involvement",
                    "Every place on every co-production project team, whatever its depth (inform to lead). One "
                    "person on two teams counts twice."),
    "patient_share": ("Team places held by patients and the public", "percent", "Involvement",
                      "The share of team places held by the patients and public partner group."),
    "paid_hours": ("Paid involvement hours", "hours", "Involvement",
                   "Hours logged in the contributions log by team members who are paid for their involvement, net "
                   "of reversals."),
    "events": ("Events held", "count", "Involvement",
               "Published events (drafts are private and cancelled events did not happen)."),
    "events_patient_speaker": ("Events with a patient or public speaker", "count", "Involvement",
                               "Published events with at least one speaker from patients and the public."),
}
GROUPS = ["Spread", "Benefits", "As reported", "Involvement"]
# The national page's two tables by network (so each fits a laptop screen); every figure is in the downloads.
LEAGUE_TABLES = [
    ("Spread by network", ["innovations", "sites", "population", "patients"]),
    ("Money, jobs and involvement by network", ["earned", "shared", "investment", "jobs", "patient_share"]),
]


@dataclass
class Figure:
    key: str
    value: int | Decimal | None
    url: str = ""  # the records behind the figure (a page)
    rows_url: str = ""  # the same records as a download, where there is one

    @property
    def label(self) -> str:
        return FIGURES[self.key][0]

    @property
    def unit(self) -> str:
        return FIGURES[self.key][1]

    @property
    def group(self) -> str:
        return FIGURES[self.key][2]

    @property
    def method(self) -> str:
        return FIGURES[self.key][3]


@dataclass
class Scope:
    """England (``network`` None) or one network, with its figures in FIGURES order."""

    network: Network | None
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.network.name if self.network else "England"

    @property
    def slug(self) -> str:
        return self.network.slug if self.network else "england"

    def groups(self) -> list[tuple[str, list[Figure]]]:
        return [(g, [f for f in self.figures.values() if f.group == g]) for g in GROUPS]

    def row(self, keys: list[str]) -> list[Figure]:
        return [self.figures[k] for k in keys]


@dataclass
class Dashboard:
    england: Scope
    networks: list[Scope]


def _link(name: str, *args: Any, **query: Any) -> str:
    from urllib.parse import urlencode

    url = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v is not None}
    return url + ("?" + urlencode(query) if query else "")


def _benefits_by_network() -> dict[int, dict[str, Decimal]]:
    """The benefit totals of every network in one query (the sums of ``benefits.selectors.benefit_totals``)."""
    out: dict[int, dict[str, Decimal]] = {}
    for row in (
        PostingLine.objects.values("network_id").order_by().annotate(
            earned=MoneySum("amount", filter=Q(account_kind=AccountKind.SOURCE, event_kind__in=EARNED_KINDS)),
            saved=MoneySum("amount", filter=Q(account_kind=AccountKind.SOURCE, event_kind__in=SAVED_KINDS)),
            shared=MoneySum("amount", filter=Q(account_kind=AccountKind.PARTY)),
            reinvested=MoneySum("amount", filter=Q(account_kind=AccountKind.FUND)),
        )
    ):
        out[row["network_id"]] = {
            "earned": Decimal(row["earned"] or 0).quantize(ZERO) + ZERO,
            "saved": Decimal(row["saved"] or 0).quantize(ZERO) + ZERO,
            "shared": (-Decimal(row["shared"] or 0)).quantize(ZERO) + ZERO,
            "reinvested": (-Decimal(row["reinvested"] or 0)).quantize(ZERO) + ZERO,
        }
    return out


def _reported_by_network() -> dict[int, dict[str, Decimal]]:
    out: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"investment": ZERO, "jobs": ZERO})
    for network_id, kind, total in (
        ReportedFigure.objects.filter(withdrawn_at__isnull=True).values_list("network_id", "kind")
        .annotate(total=MoneySum("amount")).order_by()
    ):
        out[network_id][kind] = Decimal(total or 0).quantize(ZERO)
    return out


def _adoption_by_network(rows: np.ndarray, sites: adoption.SiteArrays) -> dict[int, adoption.Figures]:
    """Headline figures per network (adoption at the sites in its area), split from the national rows."""
    out: dict[int, adoption.Figures] = {}
    if len(rows) == 0:
        return out
    net = sites.network[sites.index(rows[:, 1])]
    for network_id in np.unique(net):
        if network_id:
            out[int(network_id)] = adoption.headline(rows[net == network_id], sites)
    return out


def _spread_figures(scope: Scope, figures: adoption.Figures | None) -> None:
    slug = scope.network.slug if scope.network else None
    page = _link("adoption:network", slug) if slug else _link("adoption:national")
    rows = _link("adoption:export_csv", network=slug, adopting=1)
    for key, anchor in (("innovations", "#innovations"), ("sites", ""), ("population", ""), ("patients", "")):
        value = getattr(figures, key) if figures is not None else 0
        scope.figures[key] = Figure(key, value, url=page + anchor, rows_url=rows)


def _money_figures(scope: Scope, benefits: dict[str, Decimal] | None, reported: dict[str, Decimal]) -> None:
    slug = scope.network.slug if scope.network else None
    for key in ("earned", "saved", "shared", "reinvested"):
        value = benefits[key] if benefits else ZERO
        scope.figures[key] = Figure(key, value, url=_benefits_url(slug))
    for key in ("investment", "jobs"):
        scope.figures[key] = Figure(
            key, reported.get(key, ZERO),
            url=(_link("dashboard:reported", slug, kind=key) if slug else _link("dashboard:reported_national",
                                                                                 kind=key)),
            rows_url=_link("dashboard:reported_csv", network=slug, kind=key),
        )


def _benefits_url(slug: str | None) -> str:
    """The benefits pages where they exist, else the ledger's entries on the public record."""
    from django.urls import NoReverseMatch

    for name, args in ((("benefits:network", [slug]) if slug else ("benefits:national", [])),):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            pass
    return (_link("record:network", slug, action="benefits.") if slug else _link("record:list", action="benefits."))


def _involvement_figures(scope: Scope, row: involvement.LeagueRow | None) -> None:
    slug = scope.network.slug if scope.network else None
    page = _link("projects:what_we_do", slug) if slug else _link("projects:what_we_do_national")
    team = row.team_members if row else 0
    patient = row.patient_public if row else 0
    scope.figures["team_places"] = Figure("team_places", team, url=page)
    scope.figures["patient_share"] = Figure("patient_share", round(100 * patient / team) if team else None, url=page)
    scope.figures["paid_hours"] = Figure("paid_hours", (row.paid_hours if row else Decimal(0)), url=page)
    events_url = _link("events:list", slug) if slug else page
    scope.figures["events"] = Figure("events", row.events if row else 0, url=events_url)
    scope.figures["events_patient_speaker"] = Figure("events_patient_speaker",
                                                     row.events_with_patient_speaker if row else 0, url=events_url)


# The figures read every adoption, membership and posting (1.9 s at national scale), so they are kept in the
# cache under the "dashboard" version, which a committed write to any table of COUNTED_APPS renews (see
# DashboardConfig.ready and core/writes.py; bulk loads included). CACHE_SECONDS bounds anything unseen.
FIGURES_NAMESPACE = "dashboard"
# Apps whose rows the dashboard counts: adoptions and sites, innovations, benefit postings, reported figures,
# events and speakers, networks and constituencies, memberships and people, projects and their teams; and the
# public record.
COUNTED_APPS = frozenset({"adoption", "atlas", "benefits", "dashboard", "events", "networks", "people", "projects",
                          "record"})
CACHE_SECONDS = 60


def dashboard() -> Dashboard:
    """England and every network: from the cache, or counted afresh in about ten queries."""
    from innovatorium.core import figures

    return figures.cached(FIGURES_NAMESPACE, "national", _dashboard, timeout=CACHE_SECONDS)


def _dashboard() -> Dashboard:
    """England and every network, in about ten queries."""
    sites = adoption.site_arrays()
    rows = adoption.adopting_rows()
    by_network = _adoption_by_network(rows, sites)
    benefits = _benefits_by_network()
    reported = _reported_by_network()
    league = {r.network.pk: r for r in involvement.league_table()}
    networks = sorted((r.network for r in league.values()), key=lambda n: n.name)

    scopes = []
    for network in networks:
        scope = Scope(network)
        _spread_figures(scope, by_network.get(network.pk))
        _money_figures(scope, benefits.get(network.pk), reported.get(network.pk, {}))
        _involvement_figures(scope, league.get(network.pk))
        scopes.append(scope)

    england = Scope(None)
    _spread_figures(england, adoption.headline(rows, sites))
    money = {k: sum((b[k] for b in benefits.values()), ZERO) for k in ("earned", "saved", "shared", "reinvested")}
    rep = {k: sum((r[k] for r in reported.values()), ZERO) for k in ("investment", "jobs")}
    _money_figures(england, money, rep)
    total = involvement.LeagueRow(network=None)  # type: ignore[arg-type]
    for r in league.values():
        total.team_members += r.team_members
        total.patient_public += r.patient_public
        total.paid_hours += r.paid_hours
        total.events += r.events
        total.events_with_patient_speaker += r.events_with_patient_speaker
    _involvement_figures(england, total)
    return Dashboard(england=england, networks=scopes)


def network_dashboard(*, network: Network) -> Scope:
    """One network's figures (the same numbers as its row in the national table)."""
    for scope in dashboard().networks:
        if scope.network.pk == network.pk:
            return scope
    raise Network.DoesNotExist  # pragma: no cover - the network was deleted meanwhile


def reported_figures(*, network: Network | None = None, kind: str | None = None,
                     include_withdrawn: bool = True) -> QuerySet[ReportedFigure]:
    """Reported figures, newest period first, with their network and innovation (no N+1)."""
    qs = ReportedFigure.objects.select_related("network", "innovation__network")
    if network is not None:
        qs = qs.filter(network=network)
    if kind in FigureKind.values:
        qs = qs.filter(kind=kind)
    if not include_withdrawn:
        qs = qs.filter(withdrawn_at__isnull=True)
    return qs.order_by("-period_end", "-pk")


def reported_summary(qs: QuerySet[ReportedFigure]) -> dict[str, Any]:
    """Counted totals of a reported-figures queryset, and how many are withdrawn."""
    sums = qs.aggregate(
        investment=MoneySum("amount", filter=Q(kind=FigureKind.INVESTMENT, withdrawn_at__isnull=True)),
        jobs=MoneySum("amount", filter=Q(kind=FigureKind.JOBS, withdrawn_at__isnull=True)),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
        n=Count("pk"),
    )
    return {"investment": Decimal(sums["investment"] or 0).quantize(ZERO),
            "jobs": Decimal(sums["jobs"] or 0).quantize(ZERO), "withdrawn": sums["withdrawn"], "count": sums["n"]}
