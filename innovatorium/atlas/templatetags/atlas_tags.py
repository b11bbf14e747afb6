"""Template helpers for Atlas pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`{{ labels|get_item:code }}`: a dictionary lookup by a variable key (None when absent)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.simple_tag
def facet_checkboxes(name: str, counts: list[Any], path: str) -> str:
    """One filter's checkboxes (NHS.UK small checkboxes; htmx refreshes the results on change).

    Made here rather than by a template loop: a national Atlas shows hundreds of boxes, and the loop's
    variable lookups were a third of a search page's render time.
    """
    # Every value is escaped: facet values and labels come from the data, the path from the request.
    item = (
        '<div class="nhsuk-checkboxes__item">\n'
        '<input class="nhsuk-checkboxes__input" id="f-{name}-{value}" name="{name}" type="checkbox" value="{value}"'
        '{checked}\n       hx-get="{path}" hx-trigger="change" hx-target="#atlas-results" hx-include="#atlas-search"'
        ' hx-push-url="true">\n'
        '<label class="nhsuk-label nhsuk-checkboxes__label" for="f-{name}-{value}">{label}'
        ' <span class="nhsuk-u-secondary-text-colour">({count})</span></label>\n'
        "</div>\n"
    )
    name_, path_ = escape(name), escape(path)
    return mark_safe("".join(  # noqa: S308 - every part is escaped above or below
        item.format(name=name_, value=escape(facet.value), checked=" checked" if facet.selected else "",
                    path=path_, label=escape(facet.label), count=int(facet.count))
        for facet in counts
    ))


@register.filter
def any_selected(counts: list[Any]) -> bool:
    """Whether any of a filter's values is ticked (its group then stays open)."""
    return any(facet.selected for facet in counts)
