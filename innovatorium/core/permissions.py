"""How views declare the permission they need.

Every view is wrapped by `public` or `requires(...)`, which records the rule on the view so a test can walk
every URL and fail when one declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]
PUBLIC = "public"


def public(view: View) -> View:
    """Anyone may see this view, signed in or not."""
    view.permission_rule = PUBLIC  # type: ignore[attr-defined]
    return view


def requires(perm: str, *, obj: Callable[..., Any] | None = None) -> Callable[[View], View]:
    """Require a django-rules permission, optionally on an object looked up from the URL's arguments.

    Anonymous visitors are sent to sign in before any lookup (every `requires` rule needs a signed-in person,
    and a lookup that hides other people's objects would otherwise answer a signed-out visitor with 404).
    Signed-in people without the permission get 403. Objects that do not exist (or that the lookup hides)
    raise 404 from `obj` itself.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            target = obj(request, *args, **kwargs) if obj is not None else None
            if not request.user.has_perm(perm, target):
                _audit_denial(request, perm)
                raise PermissionDenied(f"You do not have permission for this ({perm}).")
            return view(request, *args, **kwargs)

        wrapped.permission_rule = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _audit_denial(request: HttpRequest, perm: str) -> None:
    """Write the refusal to the audit log (innovatorium/audit), naming the rule that refused."""
    from innovatorium.audit.services import record_denial  # imported late: core is imported by every app

    record_denial(request, perm)


def acting_person(request: HttpRequest) -> Any:
    """The signed-in visitor's Person, or None for anonymous visitors and accounts without a profile."""
    return getattr(request.user, "person", None) if request.user.is_authenticated else None
