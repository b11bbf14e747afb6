from django.urls import path

from innovatorium.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", views.national, name="national"),
    path("dashboard/dashboard.csv", views.export_csv, name="export_csv"),
    path("dashboard/dashboard.json", views.export_json, name="export_json"),
    path("dashboard/reported/", views.reported_national, name="reported_national"),
    path("dashboard/reported.csv", views.reported_csv, name="reported_csv"),
    path("<slug:network_slug>/dashboard/", views.network_page, name="network"),
    path("<slug:network_slug>/dashboard/reported/", views.reported_network, name="reported"),
    path("<slug:network_slug>/facilitate/dashboard/report/", views.report, name="report"),
    path("<slug:network_slug>/facilitate/dashboard/import/", views.import_file, name="import"),
    path("<slug:network_slug>/facilitate/dashboard/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
