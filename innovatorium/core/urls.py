from django.urls import path

from innovatorium.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
