"""XmR limits, special-cause rules and icons: worked examples from public sources, then properties.

Sources reproduced (numbers copied from the public repositories' tests, not recomputed here):

- NHS-R ``NHSRplotthedots`` (MIT), ``tests/testthat/_snaps/ptd_spc_standard.md``: ``set.seed(123); rnorm(20)``
  gives mean 0.142, LPL -3.01, UPL 3.29 and no point outside the limits.
- NHS-R ``NHSRplotthedots``, ``tests/testthat/test-ptd_spc_standard.R``: alternating ±1 for 16 points with the
  last two set to 5.5 and -5.5 (near opposite limits) must stay common cause.
- NHS-R ``NHSRplotthedots``, ``tests/testthat/test-ptd_calculate_point_type.R``: the run and trend rules on small
  vectors (8 points on one side flag, 6 do not; 1..7 is a trend, 1,2,3,3,4,5,6 is not).
- NHS Python community ``nhspy-plotthedots`` (MIT), ``tests/unittests/test_pandas_spc_x_calc.py``: the example of
  NHS England's SPC tool video (values read off the screen by its authors): mean 76.67, LPL ≈ 57, UPL ≈ 96, only
  the 12th point (54) outside the limits.
- ``nhspy-plotthedots``, ``tests/unittests/test_limits_calculations.py``: mean, limits and near limits of five
  small series, given to full precision.

- NHS-R ``NHSRplotthedots``, vignette "Deviations from Excel defaults": the limits printed in its figure captions
  for the outlier-screening example, screened (4.6, 1.94, -0.72) and unscreened as MDC's Excel tool (6.95, 1.94,
  -3.06), with the one special-cause improvement point.

Hand-built (expected values computed in the test from the documented formulas, said so in each docstring):
two-of-three, baseline freezing, recalculation and the icons.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innovatorium.spc import LIMIT_FACTOR, MR_LIMIT_FACTOR, NEAR_LIMIT_FACTOR, xmr

RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
    -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
    0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip
"""R: set.seed(123); rnorm(20) — the data of NHSRplotthedots' ptd_spc_standard test."""


# ---------------------------------------------------------------- worked examples from public sources


def test_nhsrplotthedots_rnorm_snapshot():
    """NHSRplotthedots snapshot ptd_spc_standard.md: mean 0.142, lpl -3.01, upl 3.29 (printed to 3 s.f.)."""
    r = xmr(RNORM_123)
    seg = r.segments[0]
    assert round(seg.mean, 3) == 0.142
    assert round(seg.lpl, 2) == -3.01
    assert round(seg.upl, 2) == 3.29
    assert r.flagged("outside_limits") == []
    # the outlier screen removes no moving range here, so screening gives the same limits (as the snapshot shows)
    assert xmr(RNORM_123, screen_outliers=True).segments[0] == seg


def test_nhsrplotthedots_two_of_three_opposite_sides_is_common_cause():
    """NHSRplotthedots test-ptd_spc_standard.R: two near-limit points on opposite sides of the mean are no signal."""
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    r = xmr(data)
    seg = r.segments[0]
    assert seg.near_upl < 5.5 < seg.upl  # both really are near a limit
    assert [p.point_type for p in r.points[-2:]] == ["common_cause", "common_cause"]
    assert r.flagged() == []


@pytest.mark.parametrize(
    ("values", "flagged"),
    [
        ([1] * 6 + [0], []),  # six on one side: no shift
        ([1] * 6 + [-1] * 1, []),
        ([1] * 8 + [-1], list(range(8))),  # eight on one side: the whole run flags
        ([-1] * 8 + [1], list(range(8))),
        ([1] + [-1] * 8 + [1], list(range(1, 9))),
    ],
)
def test_nhsrplotthedots_shift_vectors(values, flagged):
    """NHSRplotthedots ptd_seven_point_one_side_mean / ptd_part_of_seven_trend: a run of 7+ flags every point.

    Their vectors are signs relative to the mean; here they are values whose mean sits between the two sides
    (a large pad keeps the limits wide so only the shift rule can fire).
    """
    r = xmr([*values, 100.0, -100.0])
    assert r.flagged("shift") == flagged


@pytest.mark.parametrize(
    ("values", "flagged"),
    [
        (list(range(1, 7)), []),  # six points rising: not a trend of seven
        ([1, 2, 3, 3, 4, 5, 6], []),  # a repeat breaks the trend
        (list(range(1, 8)), list(range(7))),
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], list(range(1, 8))),
        (list(range(7, 0, -1)), list(range(7))),
        ([2, 7, 6, 5, 4, 3, 2, 1, 3], list(range(1, 8))),
    ],
)
def test_nhsrplotthedots_trend_vectors(values, flagged):
    """NHSRplotthedots ptd_seven_point_trend tests: seven strictly rising (or falling) points flag, all of them."""
    assert xmr(values).flagged("trend") == flagged


def test_trend_length_six_option():
    """Some MDC material counts six points as a trend: ``trend_length=6`` gives that reading."""
    assert xmr(list(range(1, 7)), trend_length=6).flagged("trend") == list(range(6))


def test_nhs_england_spc_tool_video_example():
    """nhspy-plotthedots test_pandas_spc_x_calc.py, from NHS England's SPC tool video: mean 76.67, limits ≈ 57 and
    ≈ 96, the 12th point (54) alone outside the limits and the only special cause."""
    values = [89, 86, 75, 77, 81, 74, 72, 78, 76, 82, 77, 54, 66, 77, 86]
    r = xmr(values, direction="higher")
    seg = r.segments[0]
    assert seg.mean == pytest.approx(76.67, abs=0.005)
    assert round(seg.lpl) == 57
    assert round(seg.upl) == 96
    assert r.flagged() == [11]
    assert r.points[11].rules == {"outside_limits"}
    assert r.points[11].point_type == "concern"  # low, and higher is better
    assert r.variation == "common_cause"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (5.5, 2.84, 8.16, 3.7266666666666666, 7.273333333333333)),
        ([1, 2, 3, 4, 5, 4, 3, 2, 1, 2], (2.7, 0.040000000000000036, 5.36, 0.9266666666666667, 4.473333333333334)),
        ([1, 2, 3], (2.0, -0.6600000000000001, 4.66, 0.22666666666666657, 3.7733333333333334)),
        (
            [3, 1, 4, 1, 5, 9, 2],
            (3.5714285714285716, -6.625238095238096, 13.768095238095238, -3.2263492063492065, 10.36920634920635),
        ),
        (
            [1, 2, 3, 2, 1, 2, 3, 4, 5, 6, 7, 4, 3, 2, 1, 2],
            (3.0, -0.014666666666666828, 6.014666666666667, 0.9902222222222221, 5.009777777777778),
        ),
    ],
)
def test_nhspy_limits_calculations(values, expected):
    """nhspy-plotthedots test_limits_calculations.py: (mean, lpl, upl, near lpl, near upl) to full precision."""
    s = xmr(values).segments[0]
    assert (s.mean, s.lpl, s.upl, s.near_lpl, s.near_upl) == pytest.approx(expected, rel=1e-12, abs=1e-12)


# ---------------------------------------------------------------- hand-built examples (formula in the test)


def test_outlier_screening_deviations_vignette_data():
    """NHSRplotthedots vignette "Deviations from Excel defaults" (deviations.Rmd, published on CRAN): the figure
    captions give, for 1,2,1,2,10,1,2,... (18 points), UPL 4.6, mean 1.94, LPL -0.72 with outlier screening and
    UPL 6.95, mean 1.94, LPL -3.06 without (the Excel tool's way); both show the fifth point alone as a special
    cause improvement (higher is better by default there). By formula: unscreened mean MR = 32/17; screened, the
    two moving ranges of 8 (≥ 3.267 × 32/17) are dropped, leaving fifteen 1s."""
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    excel = xmr(data, direction="higher")
    seg = excel.segments[0]
    assert (round(seg.upl, 2), round(seg.mean, 2), round(seg.lpl, 2)) == (6.95, 1.94, -3.06)
    assert seg.mean_mr == pytest.approx(32 / 17)
    screened = xmr(data, direction="higher", screen_outliers=True)
    sseg = screened.segments[0]
    assert (round(sseg.upl, 2), round(sseg.mean, 2), round(sseg.lpl, 2)) == (4.6, 1.94, -0.72)
    assert 8 >= MR_LIMIT_FACTOR * 32 / 17 and sseg.mean_mr == pytest.approx(1.0)
    for r in (excel, screened):
        assert r.flagged() == [4]
        assert r.points[4].point_type == "improvement"


def test_two_of_three_same_side():
    """Hand-built: 20 points alternating 10 ± 1 (mean 10, mean MR 2, near limits 10 ± 3.547, limits 10 ± 5.32),
    then 14.5, 10.5, 14.5 — two of three beyond the near upper limit, all three above the mean."""
    base = [9.0, 11.0] * 10
    r = xmr([*base, 14.5, 10.5, 14.5], baseline=20)
    seg = r.segments[0]
    assert seg.mean == pytest.approx(10.0)
    assert seg.mean_mr == pytest.approx(2.0)
    assert seg.near_upl == pytest.approx(10 + NEAR_LIMIT_FACTOR * 2)
    assert r.flagged("two_of_three") == [20, 22]  # the middle point is not near the limit: not flagged
    assert r.flagged("outside_limits") == []
    assert r.points[20].point_type == "neither"
    assert r.variation == "neither_high"


def test_baseline_freezes_limits():
    """Hand-built: limits from the first 4 points (mean 2, MRs 2,2,2) apply to all; later points do not move them."""
    r = xmr([1, 3, 1, 3, 50, 60], baseline=4, direction="lower")
    seg = r.segments[0]
    assert (seg.mean, seg.mean_mr, seg.baseline_points) == (2.0, 2.0, 4)
    assert seg.upl == pytest.approx(2 + LIMIT_FACTOR * 2)
    assert r.flagged("outside_limits") == [4, 5]
    assert {r.points[4].point_type, r.points[5].point_type} == {"concern"}
    assert r.variation == "concern_high"
    assert seg.too_few_points


def test_recalculation_at_step_change():
    """Hand-built: a step from ~10 to ~20 at index 12; with recalculation each segment has its own mean and the rules
    never look across the step (no shift across it); without, the step is a run on each side of the mean."""
    low = [9.0, 11.0] * 6
    high = [19.0, 21.0] * 6
    whole = xmr(low + high, direction="higher")
    assert len(whole.flagged("shift")) == 24
    assert whole.variation == "improvement_high"
    split = xmr(low + high, direction="higher", recalculate_at=[12])
    assert [s.mean for s in split.segments] == [10.0, 20.0]
    assert [s.mean_mr for s in split.segments] == [2.0, 2.0]
    assert split.flagged() == []
    assert split.points[12].segment == 1 and split.points[12].mean == 20.0
    assert split.variation == "common_cause"


@pytest.mark.parametrize(
    ("direction", "target", "expected"),
    [
        ("higher", 4.0, "consistently_passing"),  # target below the lower limit: every value passes
        ("higher", 16.0, "consistently_failing"),
        ("higher", 15.0, "hit_and_miss"),
        ("lower", 4.0, "consistently_failing"),
        ("lower", 16.0, "consistently_passing"),
        ("lower", 5.0, "hit_and_miss"),
        ("neither", 4.0, None),
        ("higher", None, None),
    ],
)
def test_assurance(direction, target, expected):
    """Hand-built: 9, 11 repeated: mean 10, mean MR 2, limits 10 ± 2.66 × 2 = 4.68 and 15.32."""
    r = xmr([9.0, 11.0] * 8, direction=direction, target=target)
    assert (r.latest.lpl, r.latest.upl) == pytest.approx((4.68, 15.32))
    assert r.assurance == expected


def test_trend_direction_decides_improvement():
    """A trend flags by its direction: falling values when lower is better are an improvement."""
    r = xmr([20, 19, 18, 17, 16, 15, 14, 13], direction="lower")
    assert r.flagged("trend") == list(range(8))
    assert r.variation == "improvement_low"


def test_bad_input():
    with pytest.raises(ValueError):
        xmr([])
    with pytest.raises(ValueError):
        xmr([1.0, float("nan")])
    with pytest.raises(ValueError):
        xmr([1.0, 2.0], direction="up")  # type: ignore[arg-type]
    single = xmr([5.0])
    assert single.flagged() == [] and single.assurance is None


# ---------------------------------------------------------------- properties

series = st.lists(st.integers(min_value=-1000, max_value=1000), min_size=2, max_size=40)
directions = st.sampled_from(["higher", "lower", "neither"])


@settings(max_examples=60, deadline=None)
@given(series, directions)
def test_limits_symmetric_around_mean(values, direction):
    for s in xmr(values, direction=direction).segments:
        assert s.upl - s.mean == pytest.approx(s.mean - s.lpl, abs=1e-9)
        assert s.upl - s.mean == pytest.approx(LIMIT_FACTOR * s.mean_mr, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(min_value=1, max_value=40), directions)
def test_constant_series_has_no_special_cause(c, n, direction):
    r = xmr([c] * n, direction=direction)
    assert r.flagged() == []
    assert r.variation == "common_cause"


@settings(max_examples=60, deadline=None)
@given(series, st.integers(min_value=-10_000, max_value=10_000))
def test_shift_moves_mean_and_limits_equally(values, k):
    a = xmr(values).segments[0]
    b = xmr([v + k for v in values]).segments[0]
    assert b.mean == pytest.approx(a.mean + k, abs=1e-6)
    assert b.upl == pytest.approx(a.upl + k, abs=1e-6)
    assert b.lpl == pytest.approx(a.lpl + k, abs=1e-6)
    assert b.mean_mr == pytest.approx(a.mean_mr, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(series, st.sampled_from([0.25, 0.5, 2.0, 8.0, 1024.0]))
def test_scaling_scales_limits_and_keeps_flags(values, c):
    """Powers of two scale exactly in floating point, so even the flags must agree."""
    a = xmr(values, direction="higher")
    b = xmr([v * c for v in values], direction="higher")
    sa, sb = a.segments[0], b.segments[0]
    assert (sb.mean, sb.upl, sb.lpl) == pytest.approx((sa.mean * c, sa.upl * c, sa.lpl * c))
    assert [p.rules for p in a.points] == [p.rules for p in b.points]
    assert a.variation == b.variation


@settings(max_examples=30, deadline=None)
@given(series)
def test_negating_swaps_improvement_and_concern(values):
    a = xmr(values, direction="higher")
    b = xmr([-v for v in values], direction="lower")
    assert [p.point_type for p in a.points] == [p.point_type for p in b.points]


@settings(max_examples=60, deadline=None)
@given(series, st.sampled_from([-1, 1]), directions)
def test_far_point_flags_rule_one(values, sign, direction):
    """Limits from a baseline; a later point far beyond them is outside, whatever the series."""
    r0 = xmr(values, baseline=len(values)).segments[0]
    far = r0.mean + sign * (abs(r0.upl - r0.mean) * 2 + 1)
    r = xmr([*values, far], baseline=len(values), direction=direction)
    assert len(values) in r.flagged("outside_limits")
    assert r.points[-1].side == sign
