from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def grouped(value: str, size: int = 8) -> str:
    """A receipt in groups of 8 characters, so it wraps on a phone and can be read out."""
    value = str(value)
    return " ".join(value[i: i + size] for i in range(0, len(value), size))


@register.filter
def votes(value: float | None) -> str:
    """A vote total: whole numbers plainly, fractions (balanced counts, STV transfers) to 2 decimal places."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
