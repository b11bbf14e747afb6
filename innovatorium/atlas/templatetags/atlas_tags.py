"""Template helpers for Atlas pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`{{ labels|get_item:code }}`: a dictionary lookup by a variable key (None when absent)."""
    return mapping.get(key) if isinstance(mapping, dict) else None
