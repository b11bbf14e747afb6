"""The national dashboard in the API (read-only, public): every figure for England and each network with its
counting method and links to the records behind it, and the reported figures (investment, jobs) with their sources.

Money and jobs are exact decimals, sent as strings ("1250000.00"). No personal data: who entered a reported figure
is not given.
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from innovatorium.dashboard import selectors
from innovatorium.dashboard.views import dashboard_json
from innovatorium.networks.models import Network

router = Router(tags=["dashboard"])
MAX_LIMIT = 500
MAX_OFFSET = 10**9  # beyond any real list; larger numbers would overflow the database's integer


class DashboardMethodOut(Schema):
    label: str
    unit: str = Field(description="count, people, money (pounds), fte (full-time equivalent jobs), hours or percent.")
    group: str
    method: str = Field(description="How the figure is counted.")


class DashboardFigureOut(Schema):
    key: str
    label: str
    unit: str
    group: str
    value: int | str | None = Field(
        description="Counts as integers; money, jobs and hours as exact decimal strings; null when there is "
                    "nothing to count (a share of no team places).")
    records_url: str | None = Field(description="A page listing the records behind the figure.")
    rows_url: str | None = Field(description="The same records as CSV, where there is a download.")


class DashboardScopeOut(Schema):
    scope: str = Field(description="'england' or the network's slug.")
    name: str
    figures: list[DashboardFigureOut]


class DashboardFiguresOut(Schema):
    generated_at: dt.datetime
    methods: dict[str, DashboardMethodOut]
    england: DashboardScopeOut
    networks: list[DashboardScopeOut]


class ReportedFigureOut(Schema):
    id: int
    network: str
    kind: str = Field(description="investment or jobs")
    amount: str = Field(description="Pounds, or full-time equivalent jobs; an exact decimal.")
    period_start: dt.date
    period_end: dt.date
    innovation: str | None = Field(description="network-slug/innovation-slug, or null for the network's work.")
    source: str
    source_url: str
    note: str
    counted: bool = Field(description="False once withdrawn.")
    withdrawn_reason: str


class ReportedFigurePageOut(Schema):
    items: list[ReportedFigureOut]
    count: int


@router.get("/figures", response=DashboardFiguresOut, summary="Every dashboard figure, for England and each network")
def figures(request: HttpRequest) -> dict:
    return dashboard_json(selectors.dashboard(), request)


@router.get("/reported", response=ReportedFigurePageOut, summary="Reported investment and jobs, with their sources")
def reported(request: HttpRequest, network: str | None = None, kind: Literal["investment", "jobs"] | None = None,
             limit: int = 100, offset: int = 0) -> dict:
    chosen = get_object_or_404(Network, slug=network) if network else None
    limit = max(1, min(limit, MAX_LIMIT))
    offset = min(max(0, offset), MAX_OFFSET)
    qs = selectors.reported_figures(network=chosen, kind=kind)
    items = [
        {"id": f.pk, "network": f.network.slug, "kind": f.kind, "amount": str(f.amount),
         "period_start": f.period_start, "period_end": f.period_end,
         "innovation": f"{f.innovation.network.slug}/{f.innovation.slug}" if f.innovation else None,
         "source": f.source, "source_url": f.source_url, "note": f.note, "counted": f.counted,
         "withdrawn_reason": f.withdrawn_reason}
        for f in qs[offset: offset + limit]
    ]
    return {"items": items, "count": qs.count()}
