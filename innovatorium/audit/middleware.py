"""Audit every staff write and every refusal, whichever view or API route handled it.

A write is any POST, PUT, PATCH or DELETE. Staff are site superusers, Django staff users, and the
facilitators and admins of any network. Refusals are 403 responses not already logged by the permission
decorator (CSRF failures, the API's own checks, services that refuse).

Sign-ins refused by allauth's rate limits (too many failed attempts) send no auth signal: allauth checks the
limit before it checks the password or code. They are recognised here, from the sign-in page's answer: a 429,
or the form's "too many failed attempts" error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from innovatorium.audit.models import EventKind
from innovatorium.audit.services import LOGGED_ATTR, _match, _person_of, person_for_login, record_event

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# allauth's pages where someone proves who they are, and the error code of its failed-attempts limit.
SIGN_IN_VIEWS = frozenset({"account_login", "mfa_authenticate", "account_reauthenticate", "mfa_reauthenticate"})
TOO_MANY_ATTEMPTS = "too_many_login_attempts"
BLOCKED = "blocked: too many failed attempts"


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
        blocked = _blocked_sign_in(request, response)
        if blocked is not None:
            record_event(
                kind=EventKind.SIGN_IN_FAILED, request=request, person=_who_tried(request, user, blocked),
                # A 429 is worth showing; a 200 (the form drawn again with its error) would read as success.
                detail=BLOCKED, status_code=429 if response.status_code == 429 else None,
            )
        elif response.status_code == 403:
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


def _blocked_sign_in(request: HttpRequest, response: HttpResponse) -> Any:
    """The sign-in form (or True without one) if this answer refused a sign-in for too many attempts, else None."""
    if request.method != "POST":
        return None
    match = _match(request)
    if match is None or match.view_name not in SIGN_IN_VIEWS:
        return None
    form = (getattr(response, "context_data", None) or {}).get("form")
    if response.status_code == 429:
        return form if form is not None else True
    # Only a form already cleaned when the page was drawn: reading `errors` of an uncleaned one would validate
    # it again, and count against the very limit being checked.
    errors = getattr(form, "_errors", None) if form is not None else None
    if not errors:
        return None
    codes = {error.code for field_errors in errors.as_data().values() for error in field_errors}
    return form if TOO_MANY_ATTEMPTS in codes else None


def _who_tried(request: HttpRequest, user: Any, form: Any) -> Any:
    """The account the blocked attempt was for: the signed-in person re-confirming, the person part-way through
    a two-factor sign-in, or the account of the address typed (looked up, never stored)."""
    person = _person_of(user)
    if person is not None:
        return person
    pending = getattr(form, "user", None)  # allauth's two-factor form knows whose sign-in it is finishing
    if pending is not None:
        return _person_of(pending)
    return person_for_login(request.POST.get("login", ""))
