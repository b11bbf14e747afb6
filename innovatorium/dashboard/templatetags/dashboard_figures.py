"""Figures as people read them: £1,250,000, 12.5 jobs, 43%, 1,204."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


def _grouped(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


@register.filter
def figure_value(value: object, unit: str) -> str:
    if value is None:
        return "None yet"
    if unit == "money":
        return "£" + _grouped(Decimal(value))
    if unit in ("fte", "hours"):
        text = _grouped(Decimal(value))
        return text.rstrip("0").rstrip(".") if "." in text else text
    if unit == "percent":
        return f"{value}%"
    return f"{int(value):,}"
