"""The report page's content from an analysis snapshot: statement texts put back in, and the opinion map.

The map is a Vega-Altair scatter rendered to SVG on the server with vl-convert (no JavaScript on the page), with
a <title> and <desc>; the page also gives the same information as a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from innovatorium.deliberation.models import AnalysisSnapshot, Statement

# NHS.UK colours that stay apart for the common colour-vision deficiencies, with marker shapes as a second cue.
GROUP_COLOURS = ["#005eb8", "#d5281b", "#007f3b", "#7c2855", "#ed8b00"]
GROUP_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross"]


@dataclass
class Row:
    text: str
    values: list[Any] = field(default_factory=list)


def _percent(p: float) -> str:
    return f"{round(100 * p)}%"


def _texts(snapshot: AnalysisSnapshot) -> dict[int, str]:
    ids = snapshot.statement_ids
    by_pk = dict(Statement.objects.filter(pk__in=ids).values_list("pk", "text"))
    return {index: by_pk.get(pk, "") for index, pk in enumerate(ids)}


def _tables(tables: dict | None, texts: dict[int, str], *, label: str) -> dict | None:
    if tables is None:
        return None
    names = [f"{label} {n}" if label else n for n in tables["names"]]
    groups = []
    for g, name in enumerate(names):
        groups.append({
            "name": name, "size": tables["sizes"][g],
            "agree": [{"text": texts[r["statement"]], "group": _percent(r["p_group"]), "rest": _percent(r["p_rest"])}
                      for r in tables["representative_agree"][g][:5]],
            "disagree": [{"text": texts[r["statement"]], "group": _percent(r["p_group"]),
                          "rest": _percent(r["p_rest"])} for r in tables["representative_disagree"][g][:5]],
        })
    return {
        "names": names,
        "groups": groups,
        "consensus_agree": [{"text": texts[c["statement"]], "overall": _percent(c["p_overall"])}
                            for c in tables["consensus_agree"][:5]],
        "consensus_disagree": [{"text": texts[c["statement"]], "overall": _percent(c["p_overall"])}
                               for c in tables["consensus_disagree"][:5]],
        "group_aware": [{"text": texts[c["statement"]], "score": f"{c['group_aware']:.2f}",
                         "by_group": [_percent(p) for p in c["group_p"]]}
                        for c in tables["group_aware_consensus"][:5]],
        "divisive": [{"text": texts[d["statement"]], "by_group": [_percent(p) for p in d["group_p_agree"]]}
                     for d in tables["divisive"][:5]],
        "suppressed": tables.get("suppressed", []),
        "unassigned": tables.get("unassigned", 0),
    }


def report_context(snapshot: AnalysisSnapshot) -> dict[str, Any]:
    result = snapshot.result
    texts = _texts(snapshot)
    clusters = _tables(result["clusters"], texts, label="Group")
    map_rows = []
    opinion_map = result["map"]
    for g, name in enumerate(clusters["names"] if clusters else []):
        members = [i for i, grp in enumerate(opinion_map["group"]) if grp == g]
        centre = result["map"]["centres"][g] if g < len(result["map"]["centres"]) else [0.0, 0.0]
        map_rows.append({"name": name, "drawn": len(members), "size": clusters["groups"][g]["size"],
                         "x": f"{centre[0]:.2f}", "y": f"{centre[1]:.2f}"})
    return {
        "snapshot": snapshot,
        "placed": len(result["participants"]),
        "k": result["k"],
        "min_votes": result["min_votes"],
        "clusters": clusters,
        "constituencies": _tables(result["constituencies"], texts, label=""),
        "map_rows": map_rows,
        "map_sampled": opinion_map["sampled"],
        "totals": [
            {"text": texts[i], "agree": result["statement_agree"][i], "disagree": result["statement_disagree"][i],
             "pass": result["statement_pass"][i]}
            for i in range(len(snapshot.statement_ids))
        ],
    }


def map_description(snapshot: AnalysisSnapshot) -> str:
    result = snapshot.result
    sizes = result["clusters"]["sizes"]
    names = result["clusters"]["names"]
    groups = ", ".join(
        f"group {name} has {size} {'person' if size == 1 else 'people'}"
        for name, size in zip(names, sizes, strict=True)
    )
    return (f"Each dot is a participant who voted on at least {result['min_votes']} statements, placed so that "
            f"people who voted alike are close together. {len(result['participants'])} participants form "
            f"{result['k']} opinion groups: {groups or 'none yet'}.")


def map_svg(snapshot: AnalysisSnapshot, *, title: str) -> str:
    """The opinion map as a standalone SVG document with <title> and <desc>."""
    import altair as alt
    import vl_convert

    opinion_map = snapshot.result["map"]
    names = snapshot.result["clusters"]["names"]
    values = [
        {"x": x, "y": y, "group": f"Group {names[g]}" if g < len(names) else "Unplaced"}
        for x, y, g in zip(opinion_map["x"], opinion_map["y"], opinion_map["group"], strict=True)
    ]
    domain = [f"Group {n}" for n in names]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_point(filled=True, size=40, opacity=0.7)
        .encode(
            x=alt.X("x:Q", title="First opinion axis", axis=alt.Axis(labels=False, ticks=False)),
            y=alt.Y("y:Q", title="Second opinion axis", axis=alt.Axis(labels=False, ticks=False)),
            color=alt.Color("group:N", title="Opinion group",
                            scale=alt.Scale(domain=domain, range=GROUP_COLOURS[: len(domain)] or GROUP_COLOURS[:1])),
            shape=alt.Shape("group:N", title="Opinion group",
                            scale=alt.Scale(domain=domain, range=GROUP_SHAPES[: len(domain)] or GROUP_SHAPES[:1])),
        )
        .properties(width=480, height=360)
        .configure(font="Arial")
        .configure_axis(labelFontSize=14, titleFontSize=14, titleColor="#212b32")
        .configure_legend(labelFontSize=14, titleFontSize=14, titleColor="#212b32", labelColor="#212b32")
    )
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    head = f"<title>{escape(title)}</title><desc>{escape(map_description(snapshot))}</desc>"
    svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + head, svg, count=1)
    return svg
