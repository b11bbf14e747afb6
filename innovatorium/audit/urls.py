from django.urls import path

from innovatorium.audit import views

app_name = "audit"
urlpatterns = [
    path("facilitate/audit/", views.audit_log, name="log"),
]
