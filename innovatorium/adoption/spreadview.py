"""Spread of one innovation: its adoption curve and a Bass forecast (shared by the page and its chart)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from innovatorium import spread
from innovatorium.adoption.models import AdoptionStatusChange, Site

FORECAST_YEARS = 2


@dataclass
class Spread:
    points: list[dict]  # {"date", "sites", "adopting"}
    forecast: list[dict]  # {"date", "mean", "lower", "upper"}
    fit: spread.BassFit | None
    note: str


def innovation_spread(innovation_id: int) -> Spread:
    """Curve from the recorded status changes; a Bass fit when there are enough monthly points to fit."""
    events = [
        spread.AdoptionEvent(innovation_id, site, day, status)
        for site, day, status in AdoptionStatusChange.objects.filter(innovation_id=innovation_id)
        .order_by("changed_on", "id").values_list("site_id", "changed_on", "status")
    ]
    curve = spread.adoption_curves(events).get(innovation_id)
    if curve is None:
        return Spread([], [], None, "No site has adopted it yet, so there is no curve.")
    points = [{"date": d.isoformat(), "sites": e, "adopting": a}
              for d, e, a in zip(curve.dates, curve.ever_adopted, curve.adopting, strict=True)]
    fit = None
    forecast: list[dict] = []
    note = ""
    try:
        t, n, origin = spread.curve_series(curve)
        eligible = Site.objects.count()
        fit = spread.fit_bass(t, n, m_max=float(max(eligible, n.max())))
    except ValueError as exc:
        note = f"No forecast: {exc}."
    else:
        horizon = np.arange(1, int(np.ceil((t[-1] + FORECAST_YEARS) * 12)) + 1) / 12
        f = fit.forecast(horizon)
        forecast = [
            {"date": (origin + dt.timedelta(days=float(x) * 365.25)).isoformat(), "mean": float(m),
             "lower": float(lo), "upper": float(hi)}
            for x, m, lo, hi in zip(f.t, f.mean, f.lower, f.upper, strict=True)
        ]
    return Spread(points, forecast, fit, note)
