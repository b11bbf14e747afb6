"""The Vega-Lite spec and the text summary say what the numbers say."""

from __future__ import annotations

import json

import pytest

from innovatorium.spc import summary_text, vega_lite_spec, xmr
from innovatorium.spc.chart import COLOURS

VIDEO = [89, 86, 75, 77, 81, 74, 72, 78, 76, 82, 77, 54, 66, 77, 86]


def test_spec_carries_points_limits_and_colours():
    r = xmr(VIDEO, direction="higher", target=80)
    spec = vega_lite_spec(r, title="Patients seen", labels=[f"M{i}" for i in range(1, 16)])
    json.dumps(spec)  # plain JSON, nothing Python-only
    rows = spec["data"]["values"]
    assert len(rows) == 15
    assert rows[11]["type"] == "concern" and rows[11]["rules"] == "outside the process limits"
    assert rows[0]["x"] == "M1" and rows[0]["upl"] == pytest.approx(r.latest.upl)
    points = spec["layer"][-1]["encoding"]["color"]["scale"]
    assert dict(zip(points["domain"], points["range"], strict=True)) == {
        "common_cause": COLOURS["common_cause"],
        "concern": COLOURS["concern"],
    }
    assert any(layer["mark"]["type"] == "rule" for layer in spec["layer"])  # the target line
    assert "Mean 76.7" in spec["description"]


def test_summary_mentions_signals_icons_and_short_baseline():
    r = xmr([1, 3, 1, 3, 50, 60], baseline=4, direction="lower", target=-5)
    text = summary_text(r, name="waiting days")
    assert "waiting days" in text
    assert "fewer than the 12 advised" in text
    assert "outside the process limits (2 points)" in text
    assert "concerning nature (higher)" in text
    assert "consistently fail" in text


def test_summary_when_nothing_happens():
    text = summary_text(xmr([5.0] * 15))
    assert "No special cause points." in text and "common cause variation only" in text


def test_labels_must_match():
    with pytest.raises(ValueError):
        vega_lite_spec(xmr([1, 2, 3]), labels=["a"])


def test_spec_renders_to_svg():
    """The Django app renders with vl-convert; the spec must be one it accepts (limit lines break at a step)."""
    vlc = pytest.importorskip("vl_convert")
    r = xmr([9.0, 11.0] * 6 + [19.0, 21.0] * 6, direction="higher", recalculate_at=[12], target=15)
    labels = [f"2024-{m:02d}-01" for m in range(1, 13)] + [f"2025-{m:02d}-01" for m in range(1, 13)]
    svg = vlc.vegalite_to_svg(vega_lite_spec(r, labels=labels, x_type="temporal", title="Bed days"))
    assert svg.startswith("<svg") and "Bed days" in svg
