"""Atlas pages: search (national and per network), innovations, case studies, collections, review, export."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovatorium.atlas import export, selectors, services, taxonomy
from innovatorium.atlas.feeds import CollectionFeed
from innovatorium.atlas.forms import StageForm
from innovatorium.atlas.models import CaseStudy, Collection, Innovation
from innovatorium.core.permissions import public, requires
from innovatorium.networks.models import Network

PER_PAGE = 20
MAX_QUERY = 200


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _innovation(request: HttpRequest, network_slug: str, innovation_slug: str) -> Innovation:
    return get_object_or_404(Innovation.objects.select_related("network"), network__slug=network_slug,
                             slug=innovation_slug)


def _case_study(request: HttpRequest, network_slug: str, case_study_slug: str) -> CaseStudy:
    return get_object_or_404(CaseStudy.objects.select_related("network"), network__slug=network_slug,
                             slug=case_study_slug)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _search_page(request: HttpRequest, *, kind: str, network: Network | None) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    facet_titles = selectors.INNOVATION_FACETS if kind == "innovation" else selectors.CASE_STUDY_FACETS
    if network is not None:
        facet_titles = {name: title for name, title in facet_titles.items() if name != "network"}
    filters = {name: [v[:60] for v in request.GET.getlist(name)][:20] for name in facet_titles
               if request.GET.getlist(name)}
    page = _page_number(request)
    results = selectors.run_search(kind=kind, query=query, filters=filters,
                                   network_slug=network.slug if network else None, page=page, per_page=PER_PAGE)
    objects = selectors.objects_for_hits(kind=kind, hits=results.hits)
    hits = [(hit, objects[hit.object_id]) for hit in results.hits if hit.object_id in objects]
    params: list[tuple[str, str]] = [("q", query)] if query else []
    params += [(name, value) for name, values in filters.items() for value in values]
    last_page = max(1, -(-results.total // PER_PAGE))
    context: dict[str, Any] = {
        "kind": kind,
        "network": network,
        "query": query,
        "results": results,
        "hits": hits,
        "facets": [(name, title, results.facets.get(name, [])) for name, title in facet_titles.items()
                   if results.facets.get(name)],
        "selected_count": sum(len(v) for v in filters.values()),
        "page": page,
        "last_page": last_page,
        "previous_url": f"?{urlencode([*params, ('page', page - 1)])}" if page > 1 else None,
        "next_url": f"?{urlencode([*params, ('page', page + 1)])}" if page < last_page else None,
        "clear_url": request.path,
    }
    template = "atlas/partials/results.html" if getattr(request, "htmx", False) else "atlas/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@public
@require_GET
def atlas_search(request: HttpRequest) -> HttpResponse:
    return _search_page(request, kind="innovation", network=None)


@public
@require_GET
def case_study_search(request: HttpRequest) -> HttpResponse:
    return _search_page(request, kind="case_study", network=None)


@public
@require_GET
def network_atlas(request: HttpRequest, network_slug: str) -> HttpResponse:
    return _search_page(request, kind="innovation", network=_network(request, network_slug))


@public
@require_GET
def network_case_studies(request: HttpRequest, network_slug: str) -> HttpResponse:
    return _search_page(request, kind="case_study", network=_network(request, network_slug))


@public
@require_GET
def innovation_detail(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    innovation = selectors.innovation_with_details(network_slug=network_slug, innovation_slug=innovation_slug)
    # Drafts and submissions are hidden from everyone but their author and the network's facilitators.
    if innovation is None or not request.user.has_perm("atlas.view_innovation", innovation):
        raise Http404("No innovation here.")
    return render(request, "atlas/innovation.html", {
        "innovation": innovation,
        "network": innovation.network,
        "history": selectors.innovation_history(innovation=innovation),
        "can_facilitate": request.user.has_perm("atlas.change_stage", innovation),
        "constituency_names": export.CONSTITUENCY_NAMES,
        "stage_labels": taxonomy.STAGES,
        "stages": [(code, label, code == innovation.stage) for code, label in taxonomy.STAGES.items()],
        "crumbs": [("Atlas", reverse("atlas:search")),
                   (innovation.network.name, reverse("atlas:network", args=[innovation.network.slug]))],
    })


@public
@require_GET
def case_study_detail(request: HttpRequest, network_slug: str, case_study_slug: str) -> HttpResponse:
    case_study = selectors.case_study_with_details(network_slug=network_slug, case_study_slug=case_study_slug)
    if case_study is None or not request.user.has_perm("atlas.view_case_study", case_study):
        raise Http404("No case study here.")
    innovation = case_study.innovation if case_study.innovation and case_study.innovation.is_published else None
    return render(request, "atlas/case_study.html", {
        "case_study": case_study,
        "innovation": innovation,
        "network": case_study.network,
        "can_facilitate": request.user.has_perm("atlas.publish_case_study", case_study),
        "crumbs": [("Atlas", reverse("atlas:search")),
                   (f"{case_study.network.name} case studies",
                    reverse("atlas:network_case_studies", args=[case_study.network.slug]))],
    })


@requires("atlas.change_stage", obj=_innovation)
@require_http_methods(["GET", "POST"])
def innovation_stage(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    innovation = _innovation(request, network_slug, innovation_slug)
    form = StageForm(request.POST or None, initial={"stage": innovation.stage})
    if request.method == "POST" and form.is_valid():
        try:
            services.innovation_set_stage(innovation=innovation, actor=request.user.person,
                                          stage=form.cleaned_data["stage"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"“{innovation.name}” is now at the stage: "
                                      f"{taxonomy.STAGES[innovation.stage]}.")
            return redirect(innovation)
    return render(request, "atlas/stage.html", {"innovation": innovation, "network": innovation.network,
                                                "form": form})


@requires("atlas.publish_innovation", obj=_innovation)
@require_POST
def innovation_publish(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    innovation = _innovation(request, network_slug, innovation_slug)
    try:
        services.innovation_publish(innovation=innovation, actor=request.user.person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise
    else:
        messages.success(request, f"Published “{innovation.name}” to the Atlas.")
    return redirect("atlas:review", network_slug=network_slug)


@requires("atlas.publish_case_study", obj=_case_study)
@require_POST
def case_study_publish(request: HttpRequest, network_slug: str, case_study_slug: str) -> HttpResponse:
    case_study = _case_study(request, network_slug, case_study_slug)
    try:
        services.case_study_publish(case_study=case_study, actor=request.user.person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Published the case study “{case_study.title}”.")
    return redirect("atlas:review", network_slug=network_slug)


@requires("atlas.review_network", obj=_network)
@require_GET
def review_queue(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    return render(request, "atlas/review.html", {"network": network, **selectors.review_queue(network=network)})


@public
@require_GET
def collection_list(request: HttpRequest) -> HttpResponse:
    return render(request, "atlas/collections.html", {"collections": selectors.collections()})


@public
@require_GET
def collection_detail(request: HttpRequest, collection_slug: str) -> HttpResponse:
    collection = get_object_or_404(Collection.objects.select_related("network"), slug=collection_slug)
    return render(request, "atlas/collection.html", {
        "collection": collection, "items": selectors.collection_items(collection=collection),
        "crumbs": [("Atlas", reverse("atlas:search")), ("Collections", reverse("atlas:collections"))],
    })


_collection_feed = CollectionFeed()


@public
@require_GET
def collection_feed(request: HttpRequest, collection_slug: str) -> HttpResponse:
    return _collection_feed(request, collection_slug=collection_slug)


@public
@require_GET
def export_zip(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export.export_zip(), content_type="application/zip")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="innovatorium-atlas-{stamp}.zip"'
    return response


@public
@require_GET
def export_datapackage(request: HttpRequest) -> HttpResponse:
    return JsonResponse(export.datapackage(), json_dumps_params={"indent": 1})
