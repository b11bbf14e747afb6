from __future__ import annotations

import math

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.1234 → '12.3%'; missing → '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.1%}"


@register.filter
def signed3(value: float | None) -> str:
    """A concentration index with its sign, or '–' when it cannot be worked out."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:+.3f}"
