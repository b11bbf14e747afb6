"""XmR (individuals and moving range) charts the NHS England "Making Data Count" (MDC) way.

Why XmR: most measures a partner group proposes arrive as one number per month (a rate, a count, a survey
score). The XmR chart needs no assumption about the distribution or the sample size, which is why MDC
recommends it as the default chart for board reports, and why NHS-R's ``NHSRplotthedots`` R package (which
states that it mimics the MDC Excel tools) implements exactly this chart. The rules below follow that package
(``R/ptd_spc_standard.R``, ``R/ptd_calculate_point_type.R``, ``R/ptd_calculate_assurance_type.R``), so a chart
here can be checked against one drawn by the NHS tools.

Limits
    mean          the mean of the baseline points of a segment
    MR_i          |x_i - x_{i-1}| (within the baseline), mean MR = their mean
    process limits  mean ± 2.66 × mean MR      (2.66 = 3 / d2, d2 = 1.128 for n = 2: the "3 sigma" limits)
    near limits   mean ± (2/3) × 2.66 × mean MR   (the "2 sigma" lines)
    MR chart upper limit  3.267 × mean MR      (D4 for n = 2)

    Optional outlier screening (Nelson 1982; Provost & Murray 2011) drops moving ranges ≥ 3.267 × mean MR before
    recomputing the mean MR. MDC's Excel tools do not screen (NHSRplotthedots does by default), so it is off here.

Segments
    ``recalculate_at`` lists the indices where a step change is accepted and limits are recalculated ("rebased");
    ``baseline`` freezes each segment's mean and limits on its first N points ("fix after N points"). Special-cause
    rules are evaluated within a segment, never across a recalculation.

Special-cause rules (each point gets the set of rules it takes part in)
    ``outside_limits``  a single point above the upper or below the lower process limit (strictly);
    ``shift``           a run of ``shift_length`` (7) or more consecutive points on the same side of the mean
                        (a point exactly on the mean breaks the run); every point of the run is flagged;
    ``trend``           a run of ``trend_length`` (7) or more consecutive points each strictly higher (or each
                        strictly lower) than the one before (an equal value breaks it); every point is flagged.
                        NHSRplotthedots uses 7 points (six rises); some MDC material and the run-chart literature
                        use 6 — the length is a parameter so either can be had;
    ``two_of_three``    two of three consecutive points between the near limit and the process limit, the three
                        all on the same side of the mean (as NHSRplotthedots); the near-limit points are flagged.

Improvement or concern
    Each rule points a way: up or down (outside/shift/two-of-three: the side of the mean; trend: its direction).
    A flagged point takes the way of its strongest rule (outside > two-of-three > shift > trend). With
    ``direction="higher"`` up is improvement (blue) and down concern (orange); ``"lower"`` is the reverse;
    ``"neither"`` gives neutral high/low (purple).

Icons
    variation: from the latest point — common cause, or special cause improvement/concern/neither, high or low;
    assurance: against a target, from the latest segment's limits — ``consistently_passing`` when the target is
    outside the limits on the bad side (every value the process will give passes), ``consistently_failing`` when it
    lies beyond the limits on the good side, ``hit_and_miss`` when it lies within them. No target, or a measure
    with no direction of good, gives no assurance icon.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

LIMIT_FACTOR = 2.66
"""Process limits sit 2.66 mean moving ranges from the mean (3 / 1.128: three sigma for an individuals chart)."""
NEAR_LIMIT_FACTOR = 2 * LIMIT_FACTOR / 3
"""The "2 sigma" line: two thirds of the way from the mean to each process limit."""
MR_LIMIT_FACTOR = 3.267
"""Upper limit of the moving-range chart (D4 for subgroups of two), also the outlier screen."""
MIN_POINTS = 12
"""MDC advises at least 12 points (ideally 20) before limits are trusted; fewer is reported, not refused."""

Direction = Literal["higher", "lower", "neither"]
RULES = ("outside_limits", "two_of_three", "shift", "trend")
"""Rule names in order of strength: a point flagged by several takes its improvement/concern from the first."""


@dataclass(frozen=True)
class Segment:
    """One stretch of the series with one set of limits (between recalculations)."""

    start: int
    stop: int  # exclusive
    baseline_points: int
    mean: float
    mean_mr: float
    upl: float
    lpl: float
    near_upl: float
    near_lpl: float
    mr_upl: float

    @property
    def too_few_points(self) -> bool:
        """True when the limits rest on fewer points than MDC advises."""
        return self.baseline_points < MIN_POINTS


@dataclass(frozen=True)
class Point:
    """One observation with the limits in force for it and what the rules say about it."""

    index: int
    value: float
    segment: int
    mean: float
    upl: float
    lpl: float
    moving_range: float | None
    rules: frozenset[str] = field(default_factory=frozenset)
    side: int = 0  # +1 high, -1 low, 0 common cause: the way the strongest rule points
    point_type: str = "common_cause"  # common_cause | improvement | concern | neither

    @property
    def special_cause(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class XmrResult:
    """Everything a chart, an icon or a sentence needs about one series."""

    points: tuple[Point, ...]
    segments: tuple[Segment, ...]
    direction: Direction
    target: float | None
    variation: str  # common_cause | improvement_high | improvement_low | concern_high | ... | neither_low
    assurance: str | None  # consistently_passing | consistently_failing | hit_and_miss | None

    @property
    def latest(self) -> Segment:
        return self.segments[-1]

    def flagged(self, rule: str | None = None) -> list[int]:
        """Indices of special-cause points (of one rule, if given)."""
        return [p.index for p in self.points if (p.rules and rule is None) or (rule in p.rules)]


def _segment_limits(y: np.ndarray, start: int, stop: int, baseline: int | None, screen_outliers: bool) -> Segment:
    fix = y[start:stop] if baseline is None else y[start : min(stop, start + baseline)]
    # measured from the first value and summed exactly, so a constant series has its mean exactly on its values
    # (a plain mean can land one rounding step beside them, and then every point would sit "above the mean")
    mean = float(fix[0]) + math.fsum(fix - fix[0]) / fix.size
    mrs = np.abs(np.diff(fix))
    if mrs.size == 0:
        mean_mr = math.nan  # one point has no moving range: no limits, only the mean
    else:
        mean_mr = math.fsum(mrs) / mrs.size
        if screen_outliers:
            kept = mrs[mrs < MR_LIMIT_FACTOR * mean_mr]
            mean_mr = math.fsum(kept) / kept.size if kept.size else mean_mr
    return Segment(
        start=start,
        stop=stop,
        baseline_points=int(fix.size),
        mean=mean,
        mean_mr=mean_mr,
        upl=mean + LIMIT_FACTOR * mean_mr,
        lpl=mean - LIMIT_FACTOR * mean_mr,
        near_upl=mean + NEAR_LIMIT_FACTOR * mean_mr,
        near_lpl=mean - NEAR_LIMIT_FACTOR * mean_mr,
        mr_upl=MR_LIMIT_FACTOR * mean_mr,
    )


def _runs(flags: np.ndarray, length: int) -> np.ndarray:
    """Mark every element of each run of ``length`` or more consecutive True values."""
    out = np.zeros(flags.size, dtype=bool)
    run = 0
    for i, f in enumerate(flags):
        run = run + 1 if f else 0
        if run == length:
            out[i - length + 1 : i + 1] = True
        elif run > length:
            out[i] = True
    return out


def _segment_rules(y: np.ndarray, seg: Segment, shift_length: int, trend_length: int) -> dict[str, np.ndarray]:
    """Per rule, a signed array: +1 where the point takes part in an upward signal, -1 downward, 0 none."""
    rel = np.sign(y - seg.mean).astype(int)
    outside = np.where(y > seg.upl, 1, np.where(y < seg.lpl, -1, 0))
    close = (outside == 0) & ((y > seg.near_upl) | (y < seg.near_lpl))

    shift = np.where(_runs(rel > 0, shift_length), 1, 0) + np.where(_runs(rel < 0, shift_length), -1, 0)

    steps = np.sign(np.diff(y)).astype(int)
    # a trend of n points is n-1 rises in a row; point i belongs to it when the step into or out of it does
    up_steps = _runs(steps > 0, trend_length - 1)
    down_steps = _runs(steps < 0, trend_length - 1)
    trend = np.zeros(y.size, dtype=int)
    for s, mark in ((up_steps, 1), (down_steps, -1)):
        idx = np.flatnonzero(s)
        trend[idx] = mark
        trend[idx + 1] = mark

    two3 = np.zeros(y.size, dtype=int)
    for i in range(y.size - 2):
        window = slice(i, i + 3)
        side = rel[window].sum()
        if abs(side) == 3 and close[window].sum() >= 2:
            hit = np.flatnonzero(close[window]) + i
            two3[hit] = int(np.sign(side))
    return {"outside_limits": outside, "two_of_three": two3, "shift": shift, "trend": trend}


def _point_type(side: int, direction: Direction) -> str:
    if side == 0:
        return "common_cause"
    if direction == "neither":
        return "neither"
    good = 1 if direction == "higher" else -1
    return "improvement" if side == good else "concern"


def _assurance(seg: Segment, target: float | None, direction: Direction) -> str | None:
    if target is None or direction == "neither" or math.isnan(seg.mean_mr):
        return None
    if target > seg.upl:
        return "consistently_failing" if direction == "higher" else "consistently_passing"
    if target < seg.lpl:
        return "consistently_passing" if direction == "higher" else "consistently_failing"
    return "hit_and_miss"


def xmr(
    values: Sequence[float],
    *,
    direction: Direction = "neither",
    target: float | None = None,
    baseline: int | None = None,
    recalculate_at: Sequence[int] = (),
    screen_outliers: bool = False,
    shift_length: int = 7,
    trend_length: int = 7,
) -> XmrResult:
    """Compute an XmR chart: limits per segment, the special-cause rules per point, and the two icons.

    ``values`` in time order, no gaps; ``direction`` says which way is good; ``target`` feeds the assurance icon;
    ``baseline`` freezes each segment's limits on its first N points; ``recalculate_at`` are the indices where
    a step change starts a new segment; ``screen_outliers`` drops outlying moving ranges (off, as MDC's tools).
    """
    if direction not in ("higher", "lower", "neither"):
        raise ValueError(f"direction must be higher, lower or neither, not {direction!r}")
    y = np.asarray(values, dtype=float)
    if y.ndim != 1 or y.size == 0:
        raise ValueError("xmr needs a non-empty sequence of numbers")
    if not np.all(np.isfinite(y)):
        raise ValueError("xmr needs finite numbers (leave missing periods out or fill them first)")
    if baseline is not None and baseline < 1:
        raise ValueError("baseline must be at least 1 point")
    if shift_length < 2 or trend_length < 2:
        raise ValueError("shift_length and trend_length must be at least 2")
    cuts = sorted({int(c) for c in recalculate_at if 0 < int(c) < y.size})
    bounds = list(zip([0, *cuts], [*cuts, y.size], strict=True))

    segments: list[Segment] = []
    points: list[Point] = []
    for s_no, (start, stop) in enumerate(bounds):
        seg = _segment_limits(y, start, stop, baseline, screen_outliers)
        segments.append(seg)
        ys = y[start:stop]
        rules = _segment_rules(ys, seg, shift_length, trend_length)
        for j, v in enumerate(ys):
            i = start + j
            hit = frozenset(r for r in RULES if rules[r][j] != 0)
            side = next((int(rules[r][j]) for r in RULES if rules[r][j] != 0), 0)
            mr = None if j == 0 else float(abs(ys[j] - ys[j - 1]))
            points.append(
                Point(
                    index=i,
                    value=float(v),
                    segment=s_no,
                    mean=seg.mean,
                    upl=seg.upl,
                    lpl=seg.lpl,
                    moving_range=mr,
                    rules=hit,
                    side=side,
                    point_type=_point_type(side, direction),
                )
            )

    last = points[-1]
    if last.point_type == "common_cause":
        variation = "common_cause"
    else:
        variation = f"{last.point_type}_{'high' if last.side > 0 else 'low'}"
    return XmrResult(
        points=tuple(points),
        segments=tuple(segments),
        direction=direction,
        target=target,
        variation=variation,
        assurance=_assurance(segments[-1], target, direction),
    )
