"""Whole pages for signed-out visitors, kept in the shared cache until something is written.

Most visits are from people who are not signed in (a patient on a phone following a link, a journalist), and
for them a page depends only on its address: the same Atlas search, the same network page. Such a page is
rendered once and then served from Django's cache (in production the database cache every web process shares)
until one of two things happens:

* anything is written to the database (any INSERT, UPDATE or DELETE, seen by core/writes.py, so raw SQL and bulk
  loads count as much as model saves) — the page's version token changes when the transaction commits, and the
  next visitor gets a fresh page;
* `PAGE_CACHE_SECONDS` pass (a bound on how long time-dependent wording such as "closes in 2 days" can lag).

Votes and statements in a conversation arrive many times a second, so the deliberation tables have a version of
their own: they renew the conversation pages at once, and elsewhere (a network page's "people taking part") show
within `PAGE_CACHE_SECONDS`. Writes that never show on a page (the cache itself, sessions, the task queue, the
audit log) change nothing.

A request is served from the cache only when it is a GET or HEAD with no cookie but the CSRF one and no
Authorization header (so nobody signed in, and nothing of a visitor's own, such as a conversation participant's
token or a flash message, can be in it). A response is kept only when it is a plain 200 HTML page that set no
cookie and used no CSRF token (a form's token is per visitor). The page's CSP nonce is swapped for a fresh one on
every hit, in the page and in its policy header, so the policy stays strict.

The middleware sits just inside the security middleware, before the session, CSRF, authentication, messages and
CSP middleware: a hit needs none of them, and skipping them halved a hit's CPU (profiled in process on
PostgreSQL: 2.1 → 1.1 ms). So a kept page is stored with every header those middleware set on it, and a hit
replays them.

When several threads of one process miss the same page at once (a popular page just after a write), the first
renders it and the others wait for it (at most SAME_PAGE_WAIT_SECONDS), then serve it from the cache. Pages are
kept compressed (zlib, fastest level): an Atlas page of 58 KB is
kept in 7 KB, so a hit reads and decodes an eighth as much from the database cache (measured on PostgreSQL: a
hit on an Atlas search page took 1.25 ms in process, against 1.41 ms uncompressed).
"""

from __future__ import annotations

import base64
import hashlib
import os
import zlib
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from innovatorium.core import writes
from innovatorium.core.inflight import InFlight

SITE = "site"
DELIBERATION = "deliberation"
NAMESPACES = (SITE, DELIBERATION)

_NONCE_PLACEHOLDER = b"__innovatorium_csp_nonce__"
_HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Trigger-Name", "HX-Boosted", "HX-History-Restore-Request")
_SKIP_PREFIXES = ("/api/", "/admin/", "/accounts/", "/static/", "/healthz", "/readyz", "/bench/")
# Tables whose writes never show on a page: the cache itself (or every stored page would expire the others),
# sessions, the background task queue, the audit log, the rate limits' counters.
_SILENT_TABLE_PREFIXES = ("django_session", "django_tasks", "audit_", "django_cache", "core_ratecount")


def _version_key(namespace: str) -> str:
    return f"pages:version:{namespace}"


def _cache_tables() -> tuple[str, ...]:
    return tuple(
        conf["LOCATION"]
        for conf in settings.CACHES.values()
        if conf.get("BACKEND", "").endswith("DatabaseCache") and conf.get("LOCATION")
    )


def namespace_of_table(table: str) -> str | None:
    """Which page version a write to `table` (lower case, unquoted) renews (None: no page shows it)."""
    if table.startswith(_SILENT_TABLE_PREFIXES) or table in _cache_tables():
        return None
    if table.startswith("deliberation_"):
        return DELIBERATION
    return SITE


def bump(namespace: str) -> None:
    """Pages that depend on `namespace` are not served from the cache again."""
    cache.set(_version_key(namespace), uuid4().hex, timeout=None)


def _bump_site() -> None:
    bump(SITE)


def _bump_deliberation() -> None:
    bump(DELIBERATION)


def watch_tables() -> None:
    """Renew pages after writes (called once, by CoreConfig.ready): deliberation tables renew the conversation
    pages, every other table but the silent ones renews them all."""
    writes.watch(lambda table: namespace_of_table(table) == SITE, on_commit=_bump_site)
    writes.watch(lambda table: namespace_of_table(table) == DELIBERATION, on_commit=_bump_deliberation)


# --- the middleware ----------------------------------------------------------------------------------------


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in request.COOKIES):
        return False
    return not request.path_info.startswith(_SKIP_PREFIXES)


def _page_key(request: HttpRequest) -> str:
    parts = [request.scheme, request.get_host(), request.get_full_path()]
    parts += [f"{name}={request.headers.get(name, '')}" for name in _HTMX_HEADERS]
    return "pages:zpage:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token: it is this visitor's
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    known = {"cookie", "accept-encoding"} | {name.lower() for name in _HTMX_HEADERS}
    if vary - known:
        return False
    return not any(name.startswith("_csp_") for name in vars(response))


class PageCacheMiddleware:
    """Serves signed-out visitors' pages from the cache (see the module's docstring).

    It sits just inside the security middleware and before the session, CSRF, authentication, messages and CSP
    middleware: a hit needs none of them (the request carries no session and no cookie of the visitor's own), and
    skipping them is most of what makes a hit cheap. A page is kept as those middleware left it, every header
    included; its CSP nonce is replaced by a fresh one, in the page and in the policy, on every hit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if seconds <= 0 or not _cacheable_request(request):
            return self.get_response(request)
        key = _page_key(request)
        found = cache.get_many([key, *_VERSION_KEYS])
        versions = _current_versions(found)
        entry = found.get(key)
        if _current(entry, versions):
            return _replay(entry)
        first = False
        if request.method == "GET":
            waited_for = _RENDERING.join(key)
            if waited_for is None:
                first = True  # this thread renders the page
            else:
                waited_for.wait(SAME_PAGE_WAIT_SECONDS)
                entry = cache.get(key)
                if _current(entry, versions):
                    return _replay(entry)
        try:
            return self._render(request, key, versions, seconds)
        finally:
            if first:  # let the threads waiting for this page go, stored or not
                _RENDERING.leave(key)

    def _render(self, request: HttpRequest, key: str, versions: dict[str, str], seconds: int) -> HttpResponse:
        request._page_namespaces = None  # type: ignore[attr-defined]  # set by process_view once a view is chosen
        response = self.get_response(request)
        namespaces = getattr(request, "_page_namespaces", None)
        if namespaces is None or request.method != "GET" or not _storable(request, response):
            return response
        content = response.content
        headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_KEPT]
        nonce = getattr(request, "_csp_nonce", None)
        has_nonce = isinstance(nonce, str) and nonce.encode() in content
        if has_nonce:
            content = content.replace(nonce.encode(), _NONCE_PLACEHOLDER)
            headers = [(name, value.replace(nonce, _NONCE_TEXT)) for name, value in headers]
        depends_on = tuple((namespace, versions[namespace]) for namespace in namespaces)
        cache.set(key, (depends_on, headers, zlib.compress(content, 1), has_nonce), timeout=seconds)
        response["X-Page-Cache"] = "miss"  # kept now; a page that may not be kept says nothing
        return response

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], *args: Any) -> None:
        if hasattr(request, "_page_namespaces"):
            module = getattr(view_func, "__module__", "") or ""
            request._page_namespaces = (  # type: ignore[attr-defined]
                NAMESPACES if module.startswith("innovatorium.deliberation") else (SITE,)
            )


_VERSION_KEYS = tuple(_version_key(namespace) for namespace in NAMESPACES)
_NOT_KEPT = frozenset({"content-length", "x-page-cache"})
_NONCE_TEXT = _NONCE_PLACEHOLDER.decode()


def _current_versions(found: dict[str, Any]) -> dict[str, str]:
    """Each namespace's version, as read with the page; a namespace never written yet is given one."""
    versions = {}
    for namespace, key in zip(NAMESPACES, _VERSION_KEYS, strict=True):
        version = found.get(key)
        if version is None:
            version = uuid4().hex
            if not cache.add(key, version, timeout=None):  # another process made one just now
                version = cache.get(key, version)
        versions[namespace] = version
    return versions


def _current(entry: Any, versions: dict[str, str]) -> bool:
    """Whether a kept page was rendered at the versions of the namespaces it shows. An entry of another shape (kept
    by an earlier release under the same key, which held bare version strings) is not current: it is rendered
    again, not misread."""
    if not (isinstance(entry, tuple) and len(entry) == 4 and isinstance(entry[0], tuple)):
        return False
    return all(
        isinstance(pair, tuple) and len(pair) == 2 and versions.get(pair[0]) == pair[1] for pair in entry[0]
    )


def _replay(entry: tuple[Any, ...]) -> HttpResponse:
    _, headers, kept, has_nonce = entry
    content = zlib.decompress(kept)
    if has_nonce:  # a fresh nonce, as the CSP middleware makes them
        nonce = base64.b64encode(os.urandom(16)).decode("ascii")
        content = content.replace(_NONCE_PLACEHOLDER, nonce.encode())
        headers = [(name, value.replace(_NONCE_TEXT, nonce)) for name, value in headers]
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))
    response["X-Page-Cache"] = "hit"
    return response


SAME_PAGE_WAIT_SECONDS = 5.0
_RENDERING = InFlight()
