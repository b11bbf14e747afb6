"""How each partner group weighs the measures, and where the groups agree and differ. Plain Python, no Django.

Why the median: a partner group's weight for a measure is the median of its members' weights (0 to 10). One
member cannot pull a group's weight far by voting 0 or 10, and a group of three weighs its measures as fairly as
a group of three hundred. The mean is kept alongside for anyone who wants to check.

A group's *weighted view* turns the SPC signal of each measure (+1 improving, 0 no change, -1 concerning; see
``innovatorium.spc``) into one number between -1 and +1: the weighted mean of the signals, weighted by that group's
weights. Measures without enough data or with no direction of good count as "no change" and say so.

Two groups *agree* on a measure when their weights differ by ``AGREE_WITHIN`` points or fewer, and *differ* when
they are ``DIFFER_BY`` points or more apart. Between the two is "some difference".
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

AGREE_WITHIN = 2.0
DIFFER_BY = 4.0


def group_weight(weights: Iterable[int | float]) -> float | None:
    """The partner group's weight for a measure: the median of its members' weights, None when nobody voted."""
    values = list(weights)
    return float(statistics.median(values)) if values else None


def group_mean(weights: Iterable[int | float]) -> float | None:
    values = list(weights)
    return math.fsum(values) / len(values) if values else None


def weighted_view(signals: Mapping[int, int], weights: Mapping[int, float | None]) -> float | None:
    """A group's view of the subject: the mean of the measures' signals (-1, 0, +1) weighted by its weights.

    None when the group has weighted no measure (or weighted every measure 0): it has not said what matters to it.
    """
    total = math.fsum(w for m, w in weights.items() if w and m in signals)
    if total == 0:
        return None
    return math.fsum(signals[m] * w for m, w in weights.items() if w and m in signals) / total


def view_words(score: float | None) -> str:
    """Plain words for a weighted view."""
    if score is None:
        return "has not weighted these measures yet"
    if score >= 0.5:
        return "sees clear improvement, by its own weights"
    if score > 0.1:
        return "sees some improvement, by its own weights"
    if score <= -0.5:
        return "sees clear cause for concern, by its own weights"
    if score < -0.1:
        return "sees some cause for concern, by its own weights"
    return "sees no clear change, by its own weights"


@dataclass(frozen=True)
class Comparison:
    measure: int
    kind: str  # agree | some | differ | unweighted
    high_group: str | None
    high: float | None
    low_group: str | None
    low: float | None

    @property
    def spread(self) -> float | None:
        return None if self.high is None or self.low is None else self.high - self.low


def compare(measure_weights: Mapping[int, Mapping[str, float | None]]) -> list[Comparison]:
    """Per measure, whether the partner groups that weighted it agree on how much it matters.

    ``measure_weights[measure][group]`` is that group's weight (None: not weighted). A measure weighted by fewer
    than two groups is "unweighted" for comparison: there is nothing to compare.
    """
    out = []
    for measure, by_group in measure_weights.items():
        given = [(w, g) for g, w in by_group.items() if w is not None]
        if len(given) < 2:
            out.append(Comparison(measure, "unweighted", None, None, None, None))
            continue
        high_w, high_g = max(given, key=lambda t: (t[0], t[1]))
        low_w, low_g = min(given, key=lambda t: (t[0], t[1]))
        spread = high_w - low_w
        kind = "agree" if spread <= AGREE_WITHIN else "differ" if spread >= DIFFER_BY else "some"
        out.append(Comparison(measure, kind, high_g, high_w, low_g, low_w))
    return out


def signal_of(variation: str | None) -> int:
    """The SPC variation icon's code as a signal: +1 improving, -1 concerning, 0 otherwise (or no data)."""
    if not variation:
        return 0
    if variation.startswith("improvement"):
        return 1
    if variation.startswith("concern"):
        return -1
    return 0
