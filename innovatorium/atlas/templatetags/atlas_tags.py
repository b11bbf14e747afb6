"""Template helpers for Atlas pages."""

from __future__ import annotations

from html import escape  # the standard library's: Django's adds a lazy-string check to every call
from typing import Any

from django import template
from django.template.defaultfilters import truncatechars
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


@register.simple_tag
def facet_groups(facets: list[tuple[str, str, list[Any]]], path: str, changed: str | None) -> str:
    """Every filter as a group that folds away (a phone would otherwise show dozens of boxes before any result).

    A group stays open while one of its boxes is ticked, or when the box just changed (htmx names it in
    HX-Trigger). Made here for the reason the checkboxes are: the template loop around them cost more than the
    boxes themselves.
    """
    group = (
        '<details class="nhsuk-details nhsuk-u-margin-bottom-3 inv-facet" id="facet-{name}"{open}>\n'
        '<summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{title}</span></summary>\n'
        '<div class="nhsuk-details__text">\n<fieldset class="nhsuk-fieldset">\n'
        '<legend class="nhsuk-fieldset__legend nhsuk-u-visually-hidden">{title}</legend>\n'
        '<div class="nhsuk-checkboxes nhsuk-checkboxes--small">\n{boxes}</div>\n</fieldset>\n</div>\n</details>\n'
    )
    changed = changed or ""
    return mark_safe("".join(  # noqa: S308 - name and title escaped here, the boxes by facet_checkboxes
        group.format(
            name=escape(name), title=escape(title), boxes=facet_checkboxes(name, counts, path),
            open=" open" if f"f-{name}-" in changed or any_selected(counts) else "",
        )
        for name, title, counts in facets
    ))


@register.simple_tag
def result_cards(hits: list[tuple[Any, Any]], kind: str, query: str) -> str:
    """A page of results as NHS.UK clickable cards.

    Made here rather than by a template loop for the same reason as the checkboxes: twenty cards of variable
    lookups were a quarter of an uncached search page's render. Every part is escaped except the snippet, which
    search made safe (its text escaped, only <mark> added).
    """
    card = (
        '<li class="nhsuk-card nhsuk-card--clickable">\n'
        '<div class="nhsuk-card__content">\n'
        '<h3 class="nhsuk-card__heading nhsuk-heading-s"><a class="nhsuk-card__link" href="{url}">{title}</a></h3>\n'
        '<p class="nhsuk-card__description">{description}</p>\n'
        '<p class="nhsuk-body-s nhsuk-u-margin-bottom-0">{network}{about}</p>\n'
        "</div>\n"
        "</li>\n"
    )
    cards = []
    for hit, obj in hits:
        if query or kind != "innovation":
            description = hit.snippet  # already safe HTML
        else:
            description = escape(truncatechars(obj.summary, 240))
        about = ""
        if kind == "innovation":
            about = (f' · <strong class="nhsuk-tag nhsuk-tag--blue">{escape(obj.get_stage_display())}</strong>'
                     f" · {escape(obj.get_innovation_type_display())}")
        cards.append(card.format(
            url=escape(obj.get_absolute_url()), title=escape(hit.title), description=description,
            network=escape(obj.network.name), about=about,
        ))
    return mark_safe("".join(cards))  # noqa: S308 - every part is escaped above, the snippet by search
