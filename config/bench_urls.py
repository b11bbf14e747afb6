"""The site's URLs plus `/bench/ceiling/`: the least a Django view can do (no database, no template), served by
the same server and middleware as every page, so page throughput can be read as a share of it; and
`/bench/forget/`, which drops the answering process's kept search results (a round of the search mix starts
without them) and builds its search indexes if they are not built (they are kept warm, as connections are).
Bench only."""

from __future__ import annotations

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import urlpatterns as site_urlpatterns
from innovatorium.core.permissions import public


@public
@require_GET
def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@public
@require_GET
def forget(request: HttpRequest) -> HttpResponse:
    """Forget this process's kept search results and warm its search indexes; answer with the process id (the
    bench asks every worker)."""
    from innovatorium.search.selectors import forget_kept_results, prepare_indexes

    forget_kept_results()
    prepare_indexes("innovation")
    return HttpResponse(str(os.getpid()), content_type="text/plain")


urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench_ceiling"),
    path("bench/forget/", forget, name="bench_forget"),
    *site_urlpatterns,
]
