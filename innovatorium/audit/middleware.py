"""Audit every staff write and every refusal, whichever view or API route handled it.

A write is any POST, PUT, PATCH or DELETE. Staff are site superusers, Django staff users, and the
facilitators and admins of any network. Refusals are 403 responses not already logged by the permission
decorator (CSRF failures, the API's own checks, services that refuse).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from innovatorium.audit.models import EventKind
from innovatorium.audit.services import LOGGED_ATTR, _person_of, record_event

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_staff_user(user: object) -> bool:
    from innovatorium.people.rules import is_any_network_staff

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.is_staff or is_any_network_staff(user))  # type: ignore[attr-defined]


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, LOGGED_ATTR, False):
            return response
        user = getattr(request, "user", None)
        if response.status_code == 403:
            record_event(
                kind=EventKind.PERMISSION_DENIED, request=request, person=_person_of(user),
                detail="refused (403)", status_code=403,
            )
        elif request.method in UNSAFE and is_staff_user(user):
            record_event(
                kind=EventKind.STAFF_ACTION, request=request, person=_person_of(user),
                status_code=response.status_code,
            )
        return response
