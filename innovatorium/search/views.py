"""The site-wide search page: words and filters, working without JavaScript (htmx refreshes results as you
type when it is there)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from innovatorium.core.permissions import public
from innovatorium.search import selectors
from innovatorium.search.models import DocumentKind


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 10_000))
    except ValueError:
        return 1


@public
def search_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", DocumentKind.INNOVATION)
    if kind not in selectors.FACET_FIELDS:
        kind = DocumentKind.INNOVATION
    text = request.GET.get("q", "")[:200]
    filters = {name: request.GET.getlist(name) for name in selectors.FACET_FIELDS[kind]}
    results = selectors.search(
        kind=kind, query=text, filters=filters, page=_page_number(request.GET.get("page")),
        prefix_last=bool(request.htmx),
    )
    base_query = request.GET.copy()
    base_query.pop("page", None)
    context = {
        "results": results,
        "kinds": DocumentKind.choices,
        "kind": kind,
        "query_string": base_query.urlencode(),
    }
    template = "search/search.html#results" if request.htmx else "search/search.html"
    return render(request, template, context)


@public
def suggest(request: HttpRequest) -> HttpResponse:
    """Type-ahead titles as <option>s for the search box's <datalist> (fetched by htmx)."""
    kind = request.GET.get("kind", DocumentKind.INNOVATION)
    if kind not in selectors.FACET_FIELDS:
        kind = DocumentKind.INNOVATION
    titles = selectors.suggest(kind=kind, prefix=request.GET.get("q", "")[:200])
    return render(request, "search/suggestions.html", {"titles": titles})
