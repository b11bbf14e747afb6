"""The Atlas's filter groups: folded unless in use, every value escaped."""

from __future__ import annotations

import re
from types import SimpleNamespace

from innovatorium.atlas.templatetags.atlas_tags import facet_groups


def box(value: str, label: str, count: int, selected: bool = False) -> SimpleNamespace:
    return SimpleNamespace(value=value, label=label, count=count, selected=selected)


FACETS = [
    ("stage", "Stage", [box("pilot", "Pilot", 4), box("adoption", "Adoption", 2)]),
    ("care_setting", "Care setting", [box("home", "Home", 3, selected=True)]),
    ("clinical_area", "Clinical <area>", [box('x"><script>', "<b>Bold</b>", 1)]),
]


def opened(html: str) -> list[str]:
    return re.findall(r'id="facet-([a-z_]+)" open', html)


def test_a_group_is_open_only_while_one_of_its_boxes_is_ticked_or_just_changed():
    assert opened(facet_groups(FACETS, "/atlas/", None)) == ["care_setting"]
    # htmx names the box that changed in HX-Trigger (its id, f-<name>-<value>): its group stays open
    assert opened(facet_groups(FACETS, "/atlas/", "f-stage-pilot")) == ["stage", "care_setting"]
    assert opened(facet_groups(FACETS, "/atlas/", "f-stag")) == ["care_setting"]


def test_every_name_label_value_and_path_is_escaped():
    html = facet_groups(FACETS, '/atlas/"><x>', None)
    assert "<script>" not in html and "<b>" not in html and "<area>" not in html and '"><x>' not in html
    assert "Clinical &lt;area&gt;" in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert html.count("<details") == 3 and html.count('type="checkbox"') == 4
    assert html.count(" checked") == 1
