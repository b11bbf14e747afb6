"""Atom feeds for Atlas collections."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from innovatorium.atlas import selectors
from innovatorium.atlas.models import Collection, CollectionItem


class CollectionFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, collection_slug: str) -> Collection:
        return get_object_or_404(Collection, slug=collection_slug)

    def title(self, obj: Collection) -> str:
        return f"{obj.title} – Innovatorium Atlas"

    def link(self, obj: Collection) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Collection) -> str:
        return obj.introduction[:500]

    def items(self, obj: Collection) -> list[CollectionItem]:
        # Newest additions first, as feed readers expect.
        return sorted(selectors.collection_items(collection=obj), key=lambda item: item.added_at, reverse=True)

    def item_title(self, item: CollectionItem) -> str:
        return f"{item.position}. {item.innovation.name}"

    def item_description(self, item: CollectionItem) -> str:
        return escape(item.note or item.innovation.summary)

    def item_link(self, item: CollectionItem) -> str:
        return item.innovation.get_absolute_url()

    def item_guid(self, item: CollectionItem) -> str:
        return f"innovatorium:collection-item:{item.pk}"

    def item_pubdate(self, item: CollectionItem):  # noqa: ANN201 - a datetime
        return item.added_at

    def item_updateddate(self, item: CollectionItem):  # noqa: ANN201
        return item.added_at
