"""Statistical process control the NHS England "Making Data Count" way: XmR charts, special-cause rules, icons.

A pure package (numpy only): ``xmr()`` computes, ``vega_lite_spec()`` and ``summary_text()`` describe. The Django
impact app renders the spec to SVG. See ``xmr.py`` for the formulas, the rules and where they come from.
"""

from __future__ import annotations

from .chart import summary_text, vega_lite_spec
from .xmr import (
    LIMIT_FACTOR,
    MIN_POINTS,
    MR_LIMIT_FACTOR,
    NEAR_LIMIT_FACTOR,
    RULES,
    Point,
    Segment,
    XmrResult,
    xmr,
)

__all__ = [
    "LIMIT_FACTOR",
    "MIN_POINTS",
    "MR_LIMIT_FACTOR",
    "NEAR_LIMIT_FACTOR",
    "RULES",
    "Point",
    "Segment",
    "XmrResult",
    "summary_text",
    "vega_lite_spec",
    "xmr",
]
