from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def breakable_path(path: str) -> SafeString:
    """A path that may wrap after each slash on a phone (each piece escaped)."""
    return mark_safe("/<wbr>".join(escape(piece) for piece in str(path).split("/")))  # noqa: S308 - escaped
