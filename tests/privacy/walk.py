"""Crawl the site as a visitor would: every page, feed, export and chart reachable by links, and every API GET
reachable from the OpenAPI schema, filling path parameters from list responses. Nothing is listed by hand, so a
new app's pages, feeds and API are walked the day they are linked or registered."""

from __future__ import annotations

import json
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Never followed: signing out or in, the Django admin, account pages that change state.
SKIP_PREFIXES = ("/accounts/", "/admin/", "/static/", "/api/docs")
PER_ROUTE = 3  # distinct URLs per URL pattern: three innovation pages say what all 85 would
MAX_FETCHES = 1500


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "link": "href", "img": "src", "form": None}.get(tag, "")
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "get").lower() == "get" and values.get("action"):
            self.links.append(values["action"] or "")
        elif wanted and values.get(wanted):
            self.links.append(values[wanted] or "")


@dataclass
class Fetched:
    url: str
    status: int
    content_type: str
    body: bytes
    route: str


@dataclass
class Walk:
    fetched: list[Fetched] = field(default_factory=list)
    routes: Counter[str] = field(default_factory=Counter)

    def kinds(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for f in self.fetched:
            counts[kind_of(f)] += 1
        return counts


def kind_of(f: Fetched) -> str:
    ct = f.content_type
    if f.url.startswith("/api/"):
        return "api"
    if "atom" in ct or "rss" in ct or "calendar" in ct or f.url.endswith((".ics", ".atom", ".xml", "/feed/")):
        return "feed"
    if "csv" in ct or "zip" in ct or f.url.endswith((".csv", ".json", ".zip")) or "attachment" in ct:
        return "export"
    if ct.startswith("image/"):
        return "chart"
    if "json" in ct:
        return "export"
    return "page"


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route if match.route is not None else match.view_name


def crawl(client: Client, starts: list[str], walk: Walk) -> None:
    """Breadth-first over internal links from `starts`, GET only."""
    seen: set[str] = set()
    queue: deque[str] = deque(starts)
    while queue and len(walk.fetched) < MAX_FETCHES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        route = _route(url)
        if route is None or walk.routes[route] >= PER_ROUTE:
            continue
        walk.routes[route] += 1
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        fetched = Fetched(url, response.status_code, response.headers.get("Content-Type", ""), body, route)
        walk.fetched.append(fetched)
        if response.status_code in (301, 302) and response.headers.get("Location", "").startswith("/"):
            queue.append(response.headers["Location"])
        if "html" in fetched.content_type:
            queue.extend(_internal_links(url, body.decode("utf-8", errors="replace")))


def _internal_links(base: str, html: str) -> Iterator[str]:
    parser = _Links()
    parser.feed(html)
    for link in parser.links:
        link = urldefrag(link)[0]
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        path = parts.path if parts.path.startswith("/") else base.rsplit("/", 1)[0] + "/" + parts.path
        if path.startswith(SKIP_PREFIXES) or path.endswith("/logout/"):
            continue
        yield path


# --- The API -----------------------------------------------------------------------------------------------

_PARAM = re.compile(r"{(\w+)}")


def _items(payload: Any) -> list[dict[str, Any]]:
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, dict)]
    if isinstance(payload, dict):
        for key in ("items", "results", "entries", "data"):
            if isinstance(payload.get(key), list):
                return [p for p in payload[key] if isinstance(p, dict)]
    return []


def _candidates(param: str, item: dict[str, Any]) -> Any:
    """The value in a list item that fills a path parameter of the item's own URL."""
    names = [param]
    if param.endswith("_id") or param == "id":
        names += ["id", "pk"]
    if param.endswith("_slug") or param == "slug":
        names += ["slug"]
    if param in ("network", "network_slug"):
        names += ["network", "network_slug"]
    for name in names:
        value = item.get(name)
        if isinstance(value, dict):
            value = value.get("slug") or value.get("id")
        if isinstance(value, (str, int)) and value != "":
            return value
    return None


def walk_api(client: Client, schema: dict[str, Any], network_slugs: list[str], walk: Walk) -> list[str]:
    """GET every path of the schema; returns the templated paths no value could be found for."""
    paths = sorted(p for p, ops in schema["paths"].items() if "get" in ops)
    responses: dict[str, Any] = {}

    def get(url: str, template: str) -> None:
        response = client.get(url)
        body = response.content if not response.streaming else b"".join(response.streaming_content)
        walk.fetched.append(Fetched(url, response.status_code, response.headers.get("Content-Type", ""), body,
                                    template))
        walk.routes[template] += 1
        if "json" in response.headers.get("Content-Type", ""):
            try:
                responses[url.rstrip("/")] = json.loads(body)
            except ValueError:
                pass

    for template in [p for p in paths if not _PARAM.search(p)]:
        get(template, template)
    unfilled = []
    # Shorter templates first, so a list is fetched before the detail pages under it.
    for template in sorted((p for p in paths if _PARAM.search(p)), key=lambda p: p.count("/")):
        params = _PARAM.findall(template)
        prefix = template.split("{", 1)[0].rstrip("/")
        filled: list[str] = []
        # The list the detail belongs to: the prefix itself (/api/events for /api/events/{event_id}), or a
        # list named after an id parameter (/api/challenges for /api/exchange/challenges/{challenge_id}/...).
        lists = {prefix} | {f"/{p[:-3]}s" for p in params if p.endswith("_id")}
        for url, payload in list(responses.items()):
            if url != prefix and not any(url.endswith(name) for name in lists if name != prefix):
                continue
            for item in _items(payload)[:PER_ROUTE]:
                values = {p: _candidates(p, item) for p in params}
                # A parameter the item cannot fill that names a network: take the item's network or the first.
                if all(v is not None for v in values.values()):
                    filled.append(_PARAM.sub(lambda m, v=values: str(v[m.group(1)]), template))
        if not filled and set(params) <= {"slug", "network", "network_slug"}:
            filled = [_PARAM.sub(lambda m, s=s: s, template) for s in network_slugs[:2]]
        if not filled:
            # Values named like the parameter anywhere in a response seen so far (an id in a result, say).
            pools = [sorted({str(v) for payload in responses.values() for item in _items(payload)
                             if (v := _candidates(p, item)) is not None})[:PER_ROUTE] for p in params]
            if all(pools):
                combos = [dict(zip(params, combo, strict=True)) for combo in list(product(*pools))[:PER_ROUTE]]
                filled = [_PARAM.sub(lambda m, c=c: c[m.group(1)], template) for c in combos]
        if not filled:
            unfilled.append(template)
        for url in filled[:PER_ROUTE]:
            get(url, template)
    return unfilled
