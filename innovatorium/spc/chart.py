"""A Vega-Lite spec and a plain-language summary for an XmR chart.

Why a plain dict: the Django app renders it to SVG on the server (vl-convert) and may hand the same spec to a
browser; keeping this package free of Altair keeps it pure and quick to test. Why a text summary: an SVG chart
needs a ``<title>`` and ``<desc>`` for people who cannot see it, and the sentence should say what the chart
says (the mean, the limits, the signals and the icons), not merely that there is a chart.

Colours follow MDC and NHSRplotthedots: grey common cause, blue improvement, orange concern, purple special cause
where neither direction is better, a dark dashed line for process limits and red for the target. Special-cause
points also differ in shape, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .xmr import XmrResult

COLOURS = {
    "common_cause": "#7B7D7D",
    "improvement": "#289DE0",
    "concern": "#FAB428",
    "neither": "#361475",
}
SHAPES = {"common_cause": "circle", "improvement": "diamond", "concern": "square", "neither": "triangle-up"}
LIMIT_COLOUR = "#231F20"
TARGET_COLOUR = "#DE1B1B"
LABELS = {
    "common_cause": "Common cause",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neither": "Special cause (neither better nor worse)",
}
RULE_LABELS = {
    "outside_limits": "outside the process limits",
    "two_of_three": "two of three near a limit",
    "shift": "run on one side of the mean",
    "trend": "trend up or down",
}
VARIATION_LABELS = {
    "common_cause": "common cause variation only",
    "improvement_high": "special cause variation of an improving nature (higher)",
    "improvement_low": "special cause variation of an improving nature (lower)",
    "concern_high": "special cause variation of a concerning nature (higher)",
    "concern_low": "special cause variation of a concerning nature (lower)",
    "neither_high": "special cause variation, higher, neither improving nor concerning",
    "neither_low": "special cause variation, lower, neither improving nor concerning",
}
ASSURANCE_LABELS = {
    "consistently_passing": "the process will consistently pass the target",
    "consistently_failing": "the process will consistently fail the target unless it changes",
    "hit_and_miss": "the process will sometimes hit and sometimes miss the target",
}


def _fmt(x: float) -> str:
    return f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def summary_text(result: XmrResult, *, name: str = "the measure", labels: Sequence[str] | None = None) -> str:
    """A few sentences fit for an SVG ``<desc>``: what the latest limits are and what the rules found."""
    seg = result.latest
    n = len(result.points)
    parts = [f"XmR chart of {name}, {n} points."]
    if len(result.segments) > 1:
        parts.append(f"Limits recalculated {len(result.segments) - 1} time(s); the latest from point {seg.start + 1}.")
    if seg.mean_mr == seg.mean_mr:  # not NaN
        parts.append(f"Mean {_fmt(seg.mean)}; process limits {_fmt(seg.lpl)} to {_fmt(seg.upl)}.")
    else:
        parts.append(f"Mean {_fmt(seg.mean)}; too few points for process limits.")
    if seg.too_few_points:
        parts.append(f"The limits rest on {seg.baseline_points} points, fewer than the 12 advised.")
    if result.target is not None:
        parts.append(f"Target {_fmt(result.target)}.")
    flagged = [p for p in result.points if p.rules]
    if flagged:
        by_rule = {r: sum(r in p.rules for p in flagged) for r in RULE_LABELS}
        found = ", ".join(f"{RULE_LABELS[r]} ({k} point{'s' if k != 1 else ''})" for r, k in by_rule.items() if k)
        kinds = {t: sum(p.point_type == t for p in flagged) for t in ("improvement", "concern", "neither")}
        kinds_text = ", ".join(f"{k} {t}" for t, k in kinds.items() if k)
        parts.append(f"Special cause points: {len(flagged)} ({kinds_text}); rules: {found}.")
    else:
        parts.append("No special cause points.")
    last = result.points[-1]
    when = labels[-1] if labels else f"point {n}"
    parts.append(f"Latest value ({when}) {_fmt(last.value)}: {VARIATION_LABELS[result.variation]}.")
    if result.assurance:
        parts.append(f"Assurance: {ASSURANCE_LABELS[result.assurance]}.")
    return " ".join(parts)


def vega_lite_spec(
    result: XmrResult,
    *,
    labels: Sequence[str] | None = None,
    x_type: str = "ordinal",
    title: str = "",
    y_title: str = "Value",
    width: int | str = 640,
    height: int = 320,
) -> dict[str, Any]:
    """A Vega-Lite v5 spec: value line, mean and process limits per segment, target, coloured points.

    ``labels`` name the x positions (ISO dates with ``x_type="temporal"``, or period names); without them points
    are numbered from 1. Limit lines break at each recalculation because each segment is its own line.
    """
    if labels is not None and len(labels) != len(result.points):
        raise ValueError("labels must name every point")
    rows = []
    for p in result.points:
        rows.append(
            {
                "x": labels[p.index] if labels is not None else p.index + 1,
                "value": p.value,
                "mean": p.mean,
                "upl": p.upl if p.upl == p.upl else None,
                "lpl": p.lpl if p.lpl == p.lpl else None,
                "segment": p.segment,
                "type": p.point_type,
                "label": LABELS[p.point_type],
                "rules": ", ".join(RULE_LABELS[r] for r in RULE_LABELS if r in p.rules) or "none",
                "target": result.target,
            }
        )
    x = {"field": "x", "type": x_type, "title": None, "sort": None if x_type == "ordinal" else "ascending"}
    if x_type == "ordinal":
        x["axis"] = {"labelAngle": -45, "labelOverlap": True}
    types = [t for t in COLOURS if any(r["type"] == t for r in rows)] or ["common_cause"]

    def rule_line(fieldname: str, colour: str, dash: list[int] | None, label: str) -> dict[str, Any]:
        mark: dict[str, Any] = {"type": "line", "color": colour, "strokeWidth": 1.5, "interpolate": "step-after"}
        if dash:
            mark["strokeDash"] = dash
        return {
            "mark": mark,
            "encoding": {
                "x": x,
                "y": {"field": fieldname, "type": "quantitative"},
                "detail": {"field": "segment", "type": "nominal"},
                "tooltip": [{"field": fieldname, "type": "quantitative", "title": label, "format": ",.3~f"}],
            },
        }

    layers: list[dict[str, Any]] = [
        rule_line("upl", LIMIT_COLOUR, [6, 4], "Upper process limit"),
        rule_line("lpl", LIMIT_COLOUR, [6, 4], "Lower process limit"),
        rule_line("mean", LIMIT_COLOUR, None, "Mean"),
    ]
    if result.target is not None:
        layers.append(
            {
                "mark": {"type": "rule", "color": TARGET_COLOUR, "strokeDash": [2, 2], "strokeWidth": 1.5},
                "encoding": {"y": {"datum": result.target, "type": "quantitative"}},
            }
        )
    layers += [
        {
            "mark": {"type": "line", "color": COLOURS["common_cause"], "strokeWidth": 1.5},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative", "title": y_title, "scale": {"zero": False}},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 60, "opacity": 1},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative"},
                "color": {
                    "field": "type",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": types, "range": [COLOURS[t] for t in types]},
                    "legend": {"orient": "bottom", "labelExpr": _label_expr(types)},
                },
                "shape": {
                    "field": "type",
                    "type": "nominal",
                    "scale": {"domain": types, "range": [SHAPES[t] for t in types]},
                    "legend": None,
                },
                "tooltip": [
                    {"field": "x", "title": "When"},
                    {"field": "value", "type": "quantitative", "title": y_title, "format": ",.3~f"},
                    {"field": "label", "title": "Variation"},
                    {"field": "rules", "title": "Rules"},
                ],
            },
        },
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": summary_text(result, name=title or "the measure", labels=labels),
        "width": width,
        "height": height,
        "data": {"values": rows},
        "layer": layers,
        "config": {"font": "Arial, sans-serif", "view": {"stroke": None}},
    }


def _label_expr(types: list[str]) -> str:
    """Map the type codes to readable legend labels inside Vega (a spec cannot call Python)."""
    expr = "datum.label"
    for t in reversed(types):
        expr = f"datum.label === '{t}' ? '{LABELS[t]}' : ({expr})"
    return expr
