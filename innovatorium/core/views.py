"""Site-wide pages: the national home, privacy, and health checks."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from innovatorium.core.permissions import public
from innovatorium.networks import selectors as network_selectors


@public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    summaries = network_selectors.network_summaries()
    return render(
        request,
        "core/home.html",
        {
            "summaries": summaries,
            "totals": network_selectors.national_totals(summaries),
            "total_members": sum(s.members for s in summaries),
        },
    )


@public
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@public
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


@public
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means not ready
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
