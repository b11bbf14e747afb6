"""The public API: one NinjaAPI, with a router per app. OpenAPI docs at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from innovatorium.atlas.api import router as atlas_router
from innovatorium.challenges.api import router as challenges_router
from innovatorium.networks.api import router as networks_router
from innovatorium.record.api import router as record_router

api = NinjaAPI(
    title="Innovatorium API",
    version="1",
    description=(
        "Open data from Innovatorium: networks, their partner groups (constituencies), public member counts "
        "and the hash-chained public record. No personal data is returned without its owner's consent."
    ),
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/networks", networks_router)
api.add_router("/record", record_router)
api.add_router("/atlas", atlas_router)
api.add_router("/challenges", challenges_router)
