"""Values every page needs: the main navigation and whether to show the Facilitate link."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import rules
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse


def _navigation(request: HttpRequest) -> list[dict[str, Any]]:
    match = request.resolver_match
    network_slug = match.kwargs.get("network_slug") if match else None
    path = request.path
    nav = []
    for label, href in _items(network_slug, get_script_prefix(), get_urlconf()):
        current = path == href or (href != "/" and path.startswith(href) and label != "What we do")
        nav.append({"label": label, "href": href, "current": current})
    return nav


@lru_cache(maxsize=256)
def _items(network_slug: str | None, script_prefix: str, urlconf: str | None) -> tuple[tuple[str, str], ...]:
    """The navigation's links, reversed once per network (and script prefix and URLconf, which reverse() reads):
    every page draws them."""
    if network_slug:
        kwargs = {"network_slug": network_slug}
        items = [
            ("What we do", reverse("networks:detail", kwargs=kwargs)),
            ("Atlas", reverse("atlas:network", kwargs=kwargs)),
            ("Needs", reverse("challenges:list", kwargs=kwargs)),
            ("Take part", reverse("networks:take_part", kwargs=kwargs)),
            ("Projects", reverse("projects:list", kwargs=kwargs)),
            ("Events", reverse("events:list", kwargs=kwargs)),
            ("Spread", reverse("adoption:network", kwargs=kwargs)),
            ("Impact", reverse("impact:network", kwargs=kwargs)),
            ("Governance", reverse("governance:index", kwargs=kwargs)),
            ("Record", reverse("record:network", kwargs=kwargs)),
        ]
    else:
        items = [
            ("Networks", reverse("core:home")),
            ("Atlas", reverse("atlas:search")),
            ("Search", reverse("search:search")),
            ("Spread", reverse("adoption:national")),
            ("Record", reverse("record:list")),
        ]
    return tuple(items)


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    # Ask django-rules directly: `user.has_perm` would fall through to ModelBackend on every page for people
    # without the rule, costing two permission-table queries that can never grant this.
    show_facilitate = bool(user and user.is_authenticated and rules.has_perm("people.view_facilitate_area", user))
    return {"main_navigation": _navigation(request), "show_facilitate": show_facilitate}
