"""The Making Data Count icons in words: every code xmr() can give has an icon, and the icons say the right thing."""

from __future__ import annotations

import pytest

from innovatorium.spc import xmr
from innovatorium.spc.chart import ASSURANCE_LABELS, VARIATION_LABELS
from innovatorium.spc.icons import ASSURANCE_ICONS, VARIATION_ICONS, assurance_icon, variation_icon


def test_every_variation_and_assurance_code_has_an_icon():
    assert set(VARIATION_ICONS) == set(VARIATION_LABELS)
    assert set(ASSURANCE_ICONS) == set(ASSURANCE_LABELS)
    assert assurance_icon(None) is None


@pytest.mark.parametrize(("values", "direction", "code", "colour", "letter"), [
    ([10.0] * 12 + [30.0], "higher", "improvement_high", "blue", "H"),
    ([10.0, 11.0] * 6 + [30.0], "lower", "concern_high", "orange", "H"),
    ([10.0, 11.0] * 6 + [-10.0], "lower", "improvement_low", "blue", "L"),
    ([10.0, 11.0] * 6 + [-10.0], "neither", "neither_low", "purple", "L"),
    ([10.0, 11.0] * 6 + [10.5], "higher", "common_cause", "grey", ""),
])
def test_the_variation_icon_of_the_latest_point(values, direction, code, colour, letter):
    icon = variation_icon(xmr(values, direction=direction).variation)
    assert (icon.code, icon.colour, icon.letter) == (code, colour, letter)


@pytest.mark.parametrize(("target", "direction", "code", "letter"), [
    (5.0, "higher", "consistently_passing", "P"),   # every value the process gives is above 5
    (20.0, "higher", "consistently_failing", "F"),  # the target is above the upper limit
    (10.5, "higher", "hit_and_miss", "?"),
    (20.0, "lower", "consistently_passing", "P"),
])
def test_the_assurance_icon_against_a_target(target, direction, code, letter):
    """Hand-built: 10, 11 alternating (mean 10.5, limits 10.5 ± 2.66) against targets outside and inside them."""
    icon = assurance_icon(xmr([10.0, 11.0] * 8, direction=direction, target=target).assurance)
    assert (icon.code, icon.letter) == (code, letter)
    assert icon.sentence
