"""The site's URLs plus `/bench/ceiling/`: the least a Django view can do (no database, no template), served by
the same server and middleware as every page, so page throughput can be read as a share of it. Bench only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import urlpatterns as site_urlpatterns
from innovatorium.core.permissions import public


@public
@require_GET
def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ceiling/", ceiling, name="bench_ceiling"), *site_urlpatterns]
