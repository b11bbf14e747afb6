"""Charts drawn server-side as SVG (Vega-Altair + vl-convert), each with <title> and <desc>; pages also show tables."""

from __future__ import annotations

import re
from html import escape

import altair as alt

INK = "#212b32"


def _svg(chart: alt.TopLevelMixin, *, title: str, description: str) -> str:
    import vl_convert

    chart = chart.configure_axis(labelFontSize=13, titleFontSize=13, titleColor=INK, labelColor=INK).configure_legend(
        labelFontSize=13, titleFontSize=13, titleColor=INK, labelColor=INK)
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    head = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + head, svg, count=1)


def curve_svg(points: list[dict], forecast: list[dict], *, title: str, description: str) -> str:
    """Sites ever adopted (observed) and the Bass forecast with its 95% band."""
    observed = alt.Chart(alt.Data(values=points)).mark_line(interpolate="step-after", color="#005eb8").encode(
        x=alt.X("date:T", title="Date"), y=alt.Y("sites:Q", title="Sites that have adopted"))
    layers = [observed]
    if forecast:
        data = alt.Data(values=forecast)
        layers.insert(0, alt.Chart(data).mark_area(color="#aeb7bd", opacity=0.5).encode(
            x="date:T", y="lower:Q", y2="upper:Q"))
        layers.append(alt.Chart(data).mark_line(color="#330072", strokeDash=[6, 4]).encode(x="date:T", y="mean:Q"))
    return _svg(alt.layer(*layers).properties(width=560, height=280), title=title, description=description)


def equity_svg(rows: list[dict], *, title: str, description: str) -> str:
    """Share of each deprivation decile's people covered (decile 1 = most deprived)."""
    values = [{"decile": str(r["decile"]), "share": r["share"] or 0.0} for r in rows]
    chart = alt.Chart(alt.Data(values=values)).mark_bar(color="#005eb8").encode(
        x=alt.X("decile:O", title="Deprivation decile (1 = most deprived)", sort=[str(d) for d in range(1, 11)]),
        y=alt.Y("share:Q", title="Share of people covered", axis=alt.Axis(format="%")),
    ).properties(width=560, height=240)
    return _svg(chart, title=title, description=description)
