"""The SPC chart of a measure as an SVG file: the spc package's Vega-Lite spec rendered by vl-convert."""

from __future__ import annotations

import re
from html import escape

from innovatorium.impact.models import Measure, Observation
from innovatorium.spc import XmrResult, summary_text, vega_lite_spec


def spc_svg(measure: Measure, observations: list[Observation], result: XmrResult) -> str:
    import vl_convert

    labels = [f"{o.period:%Y-%m-%d}" for o in observations]
    spec = vega_lite_spec(result, labels=labels, x_type="temporal", title="", y_title=measure.unit, width=600,
                          height=300)
    spec["config"].update({"axis": {"labelFontSize": 13, "titleFontSize": 13, "labelColor": "#212b32",
                                    "titleColor": "#212b32"},
                           "legend": {"labelFontSize": 13, "labelColor": "#212b32", "labelLimit": 400}})
    svg = vl_convert.vegalite_to_svg(spec)
    desc = summary_text(result, name=measure.name, labels=[f"{o.period:%B %Y}" for o in observations])
    head = f"<title>SPC chart: {escape(measure.name)}</title><desc>{escape(desc)}</desc>"
    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + head, svg, count=1)
