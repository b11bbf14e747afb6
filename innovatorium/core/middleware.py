"""Responses name no server software or version.

Django's development server (and `live_server` in tests) adds `Server: WSGIServer/0.2 CPython/3.x.y` unless the
application has already set the header, so we set a plain one. Front-end servers in production may add their
own; they should be configured not to disclose versions either.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

SERVER_NAME = "Innovatorium"
_DISCLOSING_HEADERS = ("X-Powered-By", "X-AspNet-Version", "X-Runtime")


class NoVersionDisclosureMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Server"] = SERVER_NAME
        for header in _DISCLOSING_HEADERS:
            if header in response:
                del response[header]
        return response
