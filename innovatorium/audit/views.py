"""The audit log page, for site superusers and network admins."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from innovatorium.audit import selectors
from innovatorium.audit.forms import AuditFilterForm
from innovatorium.core.permissions import requires
from innovatorium.networks.models import Network

PAGE_SIZE = 100


@requires("audit.view_log")
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    scoped = selectors.readable_networks(user=request.user)
    networks = scoped if scoped is not None else Network.objects.order_by("name")
    form = AuditFilterForm(request.GET or None, networks=[(n.slug, n.name) for n in networks])
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = selectors.audit_events(user=request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {
        "form": form, "page": page, "events": page.object_list, "query": query.urlencode(),
        "all_networks": scoped is None, "filtered": bool(filters and any(filters.values())),
    })
