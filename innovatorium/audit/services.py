"""Writing audit events. Called from auth signals, the permission decorator, the staff-action middleware and
data-changing management commands (innovatorium.audit.commands)."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import Resolver404, resolve

from innovatorium.audit.models import AuditEvent, EventKind

# URL arguments that are secrets (allauth's password-reset and email-confirmation keys): never stored.
SECRET_URL_ARGS = frozenset({"key", "uidb36", "uidb64", "token"})
HIDDEN = "[hidden]"
# Marks a request whose event is already written, so the middleware does not write a second one.
LOGGED_ATTR = "_innovatorium_audit_logged"
# A server command's detail starts with who ran it: "OS user deploy; took 2.0 s[; stopped by CommandError]".
COMMAND_USER_PREFIX = "OS user "


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or the right proxy's X-Forwarded-For entry behind trusted proxies."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _match(request: HttpRequest) -> Any:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match


def safe_path(request: HttpRequest, match: Any = None) -> str:
    """The request's path without its query string, with secret URL arguments blanked out."""
    path = request.path
    match = match if match is not None else _match(request)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_URL_ARGS and value:
                path = path.replace(str(value), HIDDEN)
    return path[:300]


def _person_of(user: Any) -> Any:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


def person_for_login(login: object) -> Any:
    """The person whose account has this sign-in address, or None. The address is looked up, never stored."""
    if not isinstance(login, str) or not login.strip():
        return None
    user = get_user_model().objects.filter(email__iexact=login.strip()).select_related("person").first()
    return getattr(user, "person", None) if user is not None else None


def record_event(
    *, kind: EventKind, request: HttpRequest | None = None, person: Any = None, detail: str = "",
    status_code: int | None = None,
) -> AuditEvent:
    """Append one audit event. `detail` must never hold a secret or form content: pass a code or a rule name."""
    fields: dict[str, Any] = {"kind": kind, "person": person, "detail": detail[:200], "status_code": status_code}
    if request is not None:
        match = _match(request)
        fields.update(
            method=request.method or "",
            path=safe_path(request, match),
            view_name=(match.view_name if match is not None else "")[:120],
            network_slug=(str(match.kwargs.get("network_slug", "")) if match is not None else "")[:60],
            ip_address=client_ip(request),
        )
        setattr(request, LOGGED_ATTR, True)
    return AuditEvent.objects.create(**fields)


def record_denial(request: HttpRequest, permission: str) -> AuditEvent:
    """A signed-in person was refused by a view's permission rule."""
    return record_event(
        kind=EventKind.PERMISSION_DENIED, request=request, person=_person_of(request.user), detail=permission,
        status_code=403,
    )


def record_command(
    *, name: str, options: list[str], os_user: str, succeeded: bool, started_at: Any, seconds: float,
    network_slug: str = "", failure: str = "",
) -> AuditEvent:
    """A data-changing `manage.py` command was run on the server.

    `options` are the option NAMES given (e.g. "--network", "<file>"), never their values. `failure` is the
    exception's class name, never its message (messages can quote the file's rows).
    """
    command_line = " ".join(["manage.py", name, *options])
    detail = f"{COMMAND_USER_PREFIX}{os_user or 'unknown'}; took {seconds:.1f} s"
    if not succeeded:
        detail += f"; stopped by {failure or 'an error'}"
    return AuditEvent.objects.create(
        kind=EventKind.COMMAND, occurred_at=started_at, path=command_line[:300], view_name=name[:120],
        network_slug=network_slug[:60], status_code=0 if succeeded else 1, detail=detail[:200],
    )
