"""Pol.is-style opinion analysis for deliberation conversations: a pure numpy/scipy package (no Django).

Use :func:`analyse`; the result is plain dataclasses a report page or a background task stores as JSON.
"""

from .analysis import OpinionAnalysis, OpinionMap, analyse, group_name
from .tables import (
    Z_90,
    ConsensusStatement,
    DivisiveStatement,
    GroupTables,
    RepresentativeStatement,
    StatementCounts,
)

__all__ = [
    "Z_90",
    "ConsensusStatement",
    "DivisiveStatement",
    "GroupTables",
    "OpinionAnalysis",
    "OpinionMap",
    "RepresentativeStatement",
    "StatementCounts",
    "analyse",
    "group_name",
]
