"""The public API: one NinjaAPI, with a router per app. OpenAPI docs at /api/docs.

Everything is read-only and public except the verification queue, which needs a facilitator's session.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, connection, transaction
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.openapi.docs import render_template

from innovatorium.adoption.api import router as adoption_router
from innovatorium.atlas.api import router as atlas_router
from innovatorium.benefits.api import router as benefits_router
from innovatorium.challenges.api import router as challenges_router
from innovatorium.dashboard.api import router as dashboard_router
from innovatorium.deliberation.api import router as deliberation_router
from innovatorium.events.api import router as events_router
from innovatorium.exchange.api import router as exchange_router
from innovatorium.governance.api import router as governance_router
from innovatorium.impact.api import router as impact_router
from innovatorium.networks.api import counts_router, verification_router
from innovatorium.networks.api import router as networks_router
from innovatorium.priorities.api import router as priorities_router
from innovatorium.projects.api import router as projects_router
from innovatorium.record.api import router as record_router


class _Swagger(Swagger):
    """Swagger UI that sends the CSRF token, so a signed-in facilitator can try the verification endpoints.

    (ninja adds the token only when the whole API uses session auth; ours is public with one private router.)
    """

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: object) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": True}
        return render_template(request, self.template, self.template_cdn, context)


api = NinjaAPI(
    title="Innovatorium API",
    version="1",
    description=(
        "Open data from Innovatorium: networks, their partner groups (constituencies), public member counts "
        "and the hash-chained public record. No personal data is returned without its owner's consent: people "
        "appear only by a pseudonym, or by the name they chose to show.\n\n"
        "Lists are paginated with `limit` and `offset` and answer `{\"items\": [...], \"count\": n}`. "
        "Facilitators may read and decide their own network's verification queue while signed in to the site "
        "(session cookie, with the `X-CSRFToken` header on writes)."
    ),
    # Swagger UI is served from ninja's bundled static files (no CDN). The validator badge would call
    # validator.swagger.io, so it is switched off: the docs page makes no request outside this site.
    # Deep links put a link inside each operation's button (nested controls a screen reader cannot use), and
    # the syntax highlighter's colours fail WCAG contrast: both off (docs.css fixes the rest).
    docs=_Swagger(settings={"validatorUrl": None, "deepLinking": False, "syntaxHighlight": False}),
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/networks", networks_router)
api.add_router("/networks", verification_router)
api.add_router("/counts", counts_router)
api.add_router("/record", record_router)
api.add_router("/atlas", atlas_router)
api.add_router("/adoption", adoption_router)
api.add_router("/challenges", challenges_router)
api.add_router("/exchange", exchange_router)
api.add_router("/priorities", priorities_router)
api.add_router("/deliberation", deliberation_router)
api.add_router("/projects", projects_router)
api.add_router("/events", events_router)
api.add_router("/impact", impact_router)
api.add_router("/dashboard", dashboard_router)
api.add_router("/governance", governance_router)
api.add_router("/benefits", benefits_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # Services re-check authority (e.g. nobody verifies their own membership): answer 403, not 500.
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


@api.exception_handler(DataError)
def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    """The database refused a value the request sent (a NUL character, a number beyond its range): the request's
    fault, so 422 rather than 500. Found by the Schemathesis run on PostgreSQL (tests/reliability)."""
    if connection.in_atomic_block:
        transaction.set_rollback(True)  # PostgreSQL has aborted the transaction: roll back rather than commit
    detail = [{"loc": ["query"], "msg": "A value in the request cannot be used: it holds a character or a number "
               "the database cannot store or search for.", "type": "value_error"}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service refused the input: the same shape as ninja's own 422, one message per field."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": ["body", field], "msg": message, "type": "value_error"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": ["body"], "msg": message, "type": "value_error"} for message in exc.messages]
    return api.create_response(request, {"detail": errors}, status=422)
