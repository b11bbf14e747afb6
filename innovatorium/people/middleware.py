"""Staff must have two-factor authentication before reaching staff pages (production setting)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

STAFF_PATH_PREFIXES = ("/admin/", "/facilitate/")
STAFF_PATH_MARKERS = ("/facilitate/",)


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PATH_PREFIXES) or any(marker in path for marker in STAFF_PATH_MARKERS)


def user_is_staff(user) -> bool:  # noqa: ANN001
    return bool(user.is_superuser or user.is_staff or user.has_perm("people.view_facilitate_area"))


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.INNOVATORIUM_REQUIRE_STAFF_MFA
            and request.user.is_authenticated
            and is_staff_path(request.path)
            and user_is_staff(request.user)
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
                messages.warning(
                    request, "Staff pages need two-factor authentication. Set up an authenticator app first."
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
