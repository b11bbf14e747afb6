"""Spread analytics for the adoption register (pure: no Django).

``curves``: adoption events → adopting / ever-adopted curves, programme progress, region arrivals, co-diffusion
flows. ``bass``: Bass diffusion fit with uncertainty and forecast bands. ``coverage``: population covered once per
innovation, equity by deprivation decile and the concentration index. ``arrays``: the same rules on numpy arrays
for whole-register figures.
"""

from __future__ import annotations

from .arrays import (
    STATUS_CODES,
    adopting_pairs,
    concentration_index_deciles,
    cumulative_curves,
    encode_status,
    equity_arrays,
)
from .bass import BassFit, Forecast, bass_cumulative, curve_series, fit_bass, fit_curve
from .coverage import (
    EquityTable,
    concentration_index,
    counted_sites_hierarchical,
    covered_units,
    equity_from_deciles,
    equity_table,
    population_covered,
    population_covered_hierarchical,
)
from .curves import (
    ADOPTING,
    AdoptionCurve,
    AdoptionEvent,
    ArrivalStep,
    CoDiffusion,
    ProgrammeProgress,
    RegionArrival,
    Status,
    adoption_curves,
    arrival_steps,
    arrivals_from_firsts,
    codiffusion_flows,
    codiffusion_from_firsts,
    first_adoptions,
    network_first_adoptions,
    programme_progress,
    region_arrivals,
)

__all__ = [
    "ADOPTING",
    "STATUS_CODES",
    "AdoptionCurve",
    "AdoptionEvent",
    "ArrivalStep",
    "BassFit",
    "CoDiffusion",
    "EquityTable",
    "Forecast",
    "ProgrammeProgress",
    "RegionArrival",
    "Status",
    "adopting_pairs",
    "adoption_curves",
    "arrival_steps",
    "arrivals_from_firsts",
    "bass_cumulative",
    "codiffusion_flows",
    "codiffusion_from_firsts",
    "concentration_index",
    "concentration_index_deciles",
    "counted_sites_hierarchical",
    "covered_units",
    "cumulative_curves",
    "curve_series",
    "encode_status",
    "equity_arrays",
    "equity_from_deciles",
    "equity_table",
    "first_adoptions",
    "network_first_adoptions",
    "fit_bass",
    "fit_curve",
    "population_covered",
    "population_covered_hierarchical",
    "programme_progress",
    "region_arrivals",
]
