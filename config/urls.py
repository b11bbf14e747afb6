from django.contrib import admin
from django.urls import include, path

from innovatorium.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("", include("innovatorium.core.urls")),
    path("", include("innovatorium.people.urls")),
    path("", include("innovatorium.record.urls")),
    path("", include("innovatorium.challenges.urls")),
    path("", include("innovatorium.atlas.urls")),
    path("", include("innovatorium.search.urls")),
    path("", include("innovatorium.exchange.urls")),
    path("", include("innovatorium.priorities.urls")),
    path("", include("innovatorium.deliberation.urls")),
    path("", include("innovatorium.projects.urls")),
    path("", include("innovatorium.adoption.urls")),
    path("", include("innovatorium.events.urls")),
    path("", include("innovatorium.governance.urls")),
    path("", include("innovatorium.impact.urls")),
    path("", include("innovatorium.audit.urls")),
    path("", include("innovatorium.dashboard.urls")),
    path("", include("innovatorium.benefits.urls")),
    # Network pages are last: /<network-slug>/ catches what the fixed paths above do not.
    path("", include("innovatorium.networks.urls")),
]
