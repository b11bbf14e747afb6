"""The involvement report pages ("what we do"), their charts as SVG files, the national league table and a feed."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from innovatorium.core.permissions import public
from innovatorium.networks.models import Network
from innovatorium.projects import involvement


def _network(network_slug: str) -> Network:
    return get_object_or_404(Network, slug=network_slug)


@public
@require_GET
def network_report(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(network_slug)
    report = involvement.network_report(network=network)
    return render(request, "projects/involvement_report.html", {
        "network": network, "report": report, "crumbs": [(network.name, network.get_absolute_url())],
    })


def _svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@public
@require_GET
def depth_chart(request: HttpRequest, network_slug: str) -> HttpResponse:
    report = involvement.network_report(network=_network(network_slug), with_who=False)
    return _svg_response(involvement.depth_chart_svg(report))


@public
@require_GET
def trend_chart(request: HttpRequest, network_slug: str) -> HttpResponse:
    report = involvement.network_report(network=_network(network_slug), with_who=False)
    return _svg_response(involvement.trend_chart_svg(report))


@public
@require_GET
def national_report(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/involvement_national.html", {"rows": involvement.league_table()})


class ActivityFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, network_slug: str) -> Network:
        return _network(network_slug)

    def title(self, obj: Network) -> str:
        return f"What {obj.name} did – Innovatorium"

    def link(self, obj: Network) -> str:
        return reverse("projects:what_we_do", kwargs={"network_slug": obj.slug})

    def subtitle(self, obj: Network) -> str:
        return f"Projects started, events published and innovations published in {obj.name}."

    def items(self, obj: Network) -> list[involvement.FeedItem]:
        return involvement.network_activity(network=obj)

    def item_title(self, item: involvement.FeedItem) -> str:
        return item.title

    def item_description(self, item: involvement.FeedItem) -> str:
        return item.description[:1000]

    def item_link(self, item: involvement.FeedItem) -> str:
        return item.url

    def item_guid(self, item: involvement.FeedItem) -> str:
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item: involvement.FeedItem):  # noqa: ANN201 - a datetime
        return item.when

    def item_updateddate(self, item: involvement.FeedItem):  # noqa: ANN201
        return item.when


_activity_feed = ActivityFeed()


@public
@require_GET
def activity_feed(request: HttpRequest, network_slug: str) -> HttpResponse:
    return _activity_feed(request, network_slug=network_slug)
