"""Public record pages: the national and per-network lists, and verification."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from innovatorium.core.permissions import public
from innovatorium.networks.models import Network
from innovatorium.record import selectors

PAGE_SIZE = 50


def _render_list(request: HttpRequest, network: Network | None) -> HttpResponse:
    action = request.GET.get("action", "").strip()[:80]
    slug = network.slug if network else None
    entries = selectors.record_entries(network_slug=slug, action=action or None)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    crumbs = [("Home", reverse("core:home"))]
    if network is not None:
        crumbs.append((network.name, network.get_absolute_url()))
    return render(
        request,
        "record/list.html",
        {
            "network": network,
            "page": page,
            "action": action,
            "actions": selectors.record_actions(network_slug=slug),
            "crumbs": crumbs,
        },
    )


@public
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request, None)


@public
@require_GET
def record_network(request: HttpRequest, network_slug: str) -> HttpResponse:
    return _render_list(request, get_object_or_404(Network, slug=network_slug))


@public
@require_GET
def record_verify(request: HttpRequest) -> HttpResponse:
    crumbs = [("Home", reverse("core:home")), ("Public record", reverse("record:list"))]
    return render(request, "record/verify.html", {"result": selectors.record_verify(), "crumbs": crumbs})
