"""Demo reported figures: investment leveraged and jobs created, per network and innovation, over the last three
financial years, each with a made-up source. One is withdrawn and replaced, as a real correction would be.
Written through the services, so each goes on the public record."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from innovatorium.atlas.models import Innovation, PublicationStatus
from innovatorium.dashboard import services
from innovatorium.dashboard.models import FigureKind
from innovatorium.networks.models import Network

SOURCES = [
    "Company accounts {fy}, note 7 (demo data, made up)",
    "Network annual report {fy}, p. 14 (demo data, made up)",
    "Grant award letter, {fy} (demo data, made up)",
    "Investor announcement, {fy} (demo data, made up)",
    "Innovator survey {fy} (demo data, made up)",
]


def _financial_years(today: dt.date, n: int) -> list[tuple[dt.date, dt.date, str]]:
    """The last n financial years (1 April to 31 March) that have ended."""
    last_end_year = today.year if today >= dt.date(today.year, 3, 31) else today.year - 1
    out = []
    for end_year in range(last_end_year, last_end_year - n, -1):
        out.append((dt.date(end_year - 1, 4, 1), dt.date(end_year, 3, 31), f"{end_year - 1}/{str(end_year)[2:]}"))
    return out


def create_demo_dashboard(rng: random.Random, count: int = 120) -> str:
    """Make about `count` reported figures across the networks. Returns what was made, in words."""
    networks = list(Network.objects.order_by("name"))
    if not networks:
        return "no networks, no figures"
    innovations: dict[int, list[Innovation]] = {}
    for innovation in Innovation.objects.filter(status=PublicationStatus.PUBLISHED).order_by("pk"):
        innovations.setdefault(innovation.network_id, []).append(innovation)
    years = _financial_years(timezone.localdate(), 3)
    made = 0
    first = None
    used: set[tuple] = set()
    per_network = max(1, count // len(networks))
    for network in networks:
        own = innovations.get(network.pk, [])
        for _ in range(per_network * 3):  # some draws repeat a (kind, innovation, year): skip those
            if made >= count or sum(1 for k in used if k[0] == network.pk) >= per_network:
                break
            start, end, fy = rng.choice(years)
            innovation = rng.choice(own) if own and rng.random() < 0.75 else None
            kind = FigureKind.INVESTMENT if rng.random() < 0.6 else FigureKind.JOBS
            key = (network.pk, kind, innovation.pk if innovation else None, start)
            if key in used:
                continue
            used.add(key)
            if kind == FigureKind.INVESTMENT:
                amount = Decimal(rng.choice([25, 50, 80, 120, 250, 400, 750, 1200, 2500])) * 1000
            else:
                amount = Decimal(rng.choice([1, 1, 2, 2, 3, 4, 5, 8, 12])) + (Decimal("0.5") if rng.random() < 0.3
                                                                               else 0)
            figure = services.reported_figure_add(
                network=network, actor=None, kind=kind, amount=amount, period_start=start, period_end=end,
                source=rng.choice(SOURCES).format(fy=fy), innovation=innovation,
                source_url="https://example.org/demo/reports/" + network.slug if rng.random() < 0.5 else "",
            )
            first = first or figure
            made += 1
    if first is not None:
        services.reported_figure_withdraw(figure=first, actor=None, reason="Replaced by the audited figure")
        services.reported_figure_add(
            network=first.network, actor=None, kind=first.kind, amount=first.amount * Decimal("0.9"),
            period_start=first.period_start, period_end=first.period_end, innovation=first.innovation,
            source="Audited accounts (demo data, made up)",
        )
        made += 1
    return f"{made} reported figures (investment and jobs), one withdrawn and replaced"
