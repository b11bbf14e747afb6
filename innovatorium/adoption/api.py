"""The adoption register in the API (read-only, public): headline figures with their counting methods, one
innovation's spread (curve, Bass fit and forecast) and equity of access, and the sites list.

Aggregate figures only: the register holds no patient-level data. Each figure comes with the method used to count
it and a link to the rows behind it (CSV), so anyone can check it.
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt
import math
from urllib.parse import urlencode

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema

from innovatorium.adoption import selectors
from innovatorium.adoption.models import Site, SiteType
from innovatorium.adoption.spreadview import innovation_spread
from innovatorium.atlas.models import Innovation
from innovatorium.core.pagination import MAX_OFFSET
from innovatorium.networks.models import Network

router = Router(tags=["adoption"])
MAX_LIMIT = 500

METHODS = {
    "innovations": "Innovations with at least one site adopting now (status adopted or embedded).",
    "sites": "Sites adopting at least one innovation now; a site adopting several counts once.",
    "population": (
        "Each person counted once per innovation: for each innovation, the population covered at each adopting site "
        "(as reported, or the population the site serves), except a site whose parent organisation (PCN, trust or "
        "ICB, or theirs) also adopts it, whose people are already in the parent's figure. Someone reached by two "
        "innovations counts once for each."
    ),
    "patients": "The sum of what adopting sites reported, as reported: not checked for overlap.",
}
LABELS = {"innovations": "Innovations introduced", "sites": "Adopting sites", "population": "Population covered",
          "patients": "Patients reached"}


class FigureOut(Schema):
    key: str
    label: str
    value: int
    method: str = Field(description="How the figure is counted.")
    rows_url: str = Field(description="The adoption rows behind the figure, as CSV.")


class EquityRowOut(Schema):
    decile: int = Field(description="IMD decile: 1 = most deprived 10%, 10 = least.")
    population: int
    covered: int
    share: float | None = Field(description="Covered / population; null when the decile has no population.")


class EquityOut(Schema):
    rows: list[EquityRowOut]
    concentration_index: float | None = Field(
        description="Negative when coverage favours the more deprived, positive when it favours the less deprived.")
    method: str


class FiguresOut(Schema):
    scope: str
    figures: list[FigureOut]
    adopting_rows: int
    counted_rows: int = Field(description="Adopting rows whose population is added (see the population method).")
    equity: EquityOut


class CurvePointOut(Schema):
    date: dt.date
    sites: int = Field(description="Sites that have ever adopted by this date.")
    adopting: int = Field(description="Sites adopting on this date (ever adopted less discontinued).")


class ForecastPointOut(Schema):
    date: dt.date
    mean: float
    lower: float
    upper: float


class BassOut(Schema):
    p: float = Field(description="Coefficient of innovation.")
    q: float = Field(description="Coefficient of imitation.")
    m: float = Field(description="Eventual number of adopting sites.")
    ci: dict[str, tuple[float, float]] = Field(description="95% intervals for p, q and m.")
    method: str


class SpreadOut(Schema):
    network: str
    innovation: str
    name: str
    figures: list[FigureOut]
    curve: list[CurvePointOut]
    bass: BassOut | None
    forecast: list[ForecastPointOut]
    note: str
    equity: EquityOut


class SiteOut(Schema):
    ods_code: str
    name: str
    type: str = Field(description="One of: " + ", ".join(SiteType.values))
    parent: str | None = Field(description="The parent organisation's ODS code.")
    network: str | None
    region: str
    population: int | None
    imd_decile: int | None
    population_source: str


class SitePageOut(Schema):
    items: list[SiteOut]
    count: int


EQUITY_METHOD = (
    "Population units are sites with no child sites that have a population and a deprivation decile (usually GP "
    "practices). An adopting site covers itself and every unit beneath it; each unit counts once. A decile's share is "
    "people covered / people in the decile."
)


def _rows_url(request: HttpRequest, **params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return request.build_absolute_uri(reverse("adoption:export_csv") + "?" + query)


def _figures(request: HttpRequest, figures: selectors.Figures, **params: object) -> list[dict]:
    url = _rows_url(request, adopting=1, **params)
    return [{"key": key, "label": LABELS[key], "value": getattr(figures, key), "method": METHODS[key],
             "rows_url": url} for key in LABELS]


def _equity(equity: selectors.Equity) -> dict:
    ci = equity.concentration_index
    return {"rows": equity.rows, "concentration_index": None if math.isnan(ci) else ci, "method": EQUITY_METHOD}


@router.get("/figures", response=FiguresOut, summary="Headline figures and the equity table")
def figures(request: HttpRequest, network: str | None = None) -> dict:
    """National figures, or one network's (adoption at the sites in its area) with `network=<slug>`."""
    sites = selectors.site_arrays()
    if network:
        chosen = get_object_or_404(Network, slug=network)
        rows = selectors.adopting_rows(network_id=chosen.pk)
        equity = selectors.equity_table(rows, selectors.site_arrays_in(sites, chosen.pk))
        scope = chosen.slug
    else:
        rows = selectors.adopting_rows()
        equity = selectors.equity_table(rows, sites)
        scope = "england"
    headline = selectors.headline(rows, sites)
    return {"scope": scope, "figures": _figures(request, headline, network=network),
            "adopting_rows": headline.adopting_rows, "counted_rows": headline.counted_rows,
            "equity": _equity(equity)}


@router.get("/innovations/{network_slug}/{innovation_slug}", response=SpreadOut,
            summary="One innovation's spread, forecast and equity of access")
def innovation(request: HttpRequest, network_slug: str, innovation_slug: str) -> dict:
    found = get_object_or_404(Innovation.objects.select_related("network"), network__slug=network_slug,
                              slug=innovation_slug, status="published")
    sites = selectors.site_arrays()
    rows = selectors.adopting_rows(innovation_id=found.pk)
    result = innovation_spread(found.pk)
    bass = None
    if result.fit is not None:
        fit = result.fit
        bass = {"p": fit.p, "q": fit.q, "m": fit.m, "method": fit.method,
                "ci": {k: (float(lo), float(hi)) for k, (lo, hi) in fit.ci.items()}}
    return {
        "network": found.network.slug, "innovation": found.slug, "name": found.name,
        "figures": _figures(request, selectors.headline(rows, sites), innovation=found.pk),
        "curve": result.points, "bass": bass, "forecast": result.forecast, "note": result.note,
        "equity": _equity(selectors.equity_table(rows, sites)),
    }


@router.get("/sites", response=SitePageOut, summary="Sites in the register")
def sites(request: HttpRequest, network: str | None = None, type: str | None = None, parent: str | None = None,  # noqa: A002
          limit: int = 100, offset: int = 0) -> dict:
    """Sites by ODS code, with parent, population served and deprivation decile; filter by network slug, type or
    parent ODS code."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = min(max(0, offset), MAX_OFFSET)  # beyond the database's integers would answer 500
    qs = Site.objects.select_related("parent", "network").order_by("ods_code")
    if network:
        qs = qs.filter(network__slug=network)
    if type:
        qs = qs.filter(type=type)
    if parent:
        qs = qs.filter(parent__ods_code=parent.upper())
    items = [
        {"ods_code": s.ods_code, "name": s.name, "type": s.type, "parent": s.parent.ods_code if s.parent else None,
         "network": s.network.slug if s.network else None, "region": s.region, "population": s.population,
         "imd_decile": s.imd_decile, "population_source": s.population_source}
        for s in qs[offset: offset + limit]
    ]
    return {"items": items, "count": qs.count()}


class FlowOut(Schema):
    from_network: str = Field(description="Slug of the network whose site adopted the innovation first.")
    to_network: str = Field(description="Slug of a network that adopted it strictly later.")
    innovations: int


class OriginOut(Schema):
    network: str
    first_adopted: int = Field(description="Innovations this network adopted before any other (ties share).")
    then_spread: int = Field(description="Of those, how many another network adopted later.")


class StepOut(Schema):
    k: int = Field(description="The k-th network an innovation reached (2 = the first after its origin).")
    innovations: int
    median_days: float
    lower_quartile_days: float
    upper_quartile_days: float


class FlowsOut(Schema):
    method: str
    flows: list[FlowOut]
    origins: list[OriginOut]
    steps: list[StepOut]


FLOWS_METHOD = (
    "An innovation's first network is the one whose site adopted it first (status adopted or embedded, from the "
    "recorded status changes); networks adopting on the same first day share it. Each network adopting it later "
    "counts one flow from each first network, however many of its sites adopt. Steps: days from the first adoption "
    "anywhere to the first adoption in a k-th network."
)


@router.get("/flows", response=FlowsOut, summary="Co-diffusion: flows between networks and time to each next one")
def flows(request: HttpRequest) -> dict:
    networks = list(Network.objects.order_by("name"))
    f = selectors.flows(selectors.network_firsts(), networks)
    return {
        "method": FLOWS_METHOD,
        "flows": [{"from_network": a.slug, "to_network": b.slug, "innovations": c} for a, b, c in f.rows],
        "origins": [{"network": n.slug, "first_adopted": first, "then_spread": spread}
                    for n, first, spread in f.originated],
        "steps": [{"k": s.k, "innovations": s.innovations, "median_days": s.median_days,
                   "lower_quartile_days": s.lower_quartile_days, "upper_quartile_days": s.upper_quartile_days}
                  for s in f.steps],
    }


class ProgrammeOut(Schema):
    slug: str
    name: str
    innovation: str = Field(description="network-slug/innovation-slug")
    starts_on: dt.date
    ends_on: dt.date | None
    targets: int
    adopting_now: int = Field(description="Target sites whose status today is adopted or embedded.")
    ever_adopted: int
    share: float | None = Field(description="adopting_now / targets.")


@router.get("/programmes", response=list[ProgrammeOut], summary="National adoption programmes and their progress")
def programmes(request: HttpRequest) -> list[dict]:
    from django.utils import timezone

    from innovatorium.adoption.models import NationalProgramme

    today = timezone.localdate()
    out = []
    for p in NationalProgramme.objects.select_related("innovation__network").order_by("name")[:100]:
        progress = selectors.programme_progress(p, as_of=today)
        out.append({"slug": p.slug, "name": p.name, "innovation": f"{p.innovation.network.slug}/{p.innovation.slug}",
                    "starts_on": p.starts_on, "ends_on": p.ends_on, "targets": progress.targets,
                    "adopting_now": progress.adopting_now, "ever_adopted": progress.ever_adopted,
                    "share": progress.share})
    return out
