"""Staff must have two-factor authentication before reaching staff pages (production setting).

With `INNOVATORIUM_REQUIRE_STAFF_MFA` on, a facilitator, network admin or Django staff user without an
authenticator app is sent to set one up before any staff page (`/admin/`, `/facilitate/`,
`/<network>/facilitate/...`). Staff actions in the API (deciding verifications) are refused with 403 until
then, since an API client cannot follow a set-up page. Everyone else is never affected.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

STAFF_PATH_PREFIXES = ("/admin/", "/facilitate/")
STAFF_PATH_MARKERS = ("/facilitate/",)
# Staff operations in the API. Add the path of any new staff-only API route here.
STAFF_API_PREFIX = "/api/"
STAFF_API_MARKERS = ("/verifications",)

MFA_REQUIRED_MESSAGE = "Staff pages need two-factor authentication. Set up an authenticator app first."


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PATH_PREFIXES) or any(marker in path for marker in STAFF_PATH_MARKERS)


def is_staff_api_path(path: str) -> bool:
    return path.startswith(STAFF_API_PREFIX) and any(marker in path for marker in STAFF_API_MARKERS)


def user_is_staff(user) -> bool:  # noqa: ANN001
    return bool(user.is_superuser or user.is_staff or user.has_perm("people.view_facilitate_area"))


def user_has_totp(user) -> bool:  # noqa: ANN001
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.INNOVATORIUM_REQUIRE_STAFF_MFA and request.user.is_authenticated:
            page, api = is_staff_path(request.path), is_staff_api_path(request.path)
            if (page or api) and user_is_staff(request.user) and not user_has_totp(request.user):
                if api:
                    return JsonResponse({"detail": MFA_REQUIRED_MESSAGE}, status=403)
                messages.warning(request, MFA_REQUIRED_MESSAGE)
                return redirect("mfa_activate_totp")
        return self.get_response(request)
