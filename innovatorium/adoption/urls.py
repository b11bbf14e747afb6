from django.urls import path

from innovatorium.adoption import views

app_name = "adoption"
urlpatterns = [
    path("spread/", views.national, name="national"),
    path("spread/equity.svg", views.national_equity_svg, name="national_equity_svg"),
    path("spread/adoptions.csv", views.export_csv, name="export_csv"),
    path("spread/adoptions.json", views.export_json, name="export_json"),
    path("spread/programmes/", views.programmes, name="programmes"),
    path("spread/programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("<slug:network_slug>/spread/", views.network_spread, name="network"),
    path("<slug:network_slug>/facilitate/spread/import/", views.import_file, name="import"),
    path("<slug:network_slug>/facilitate/spread/reports/", views.report_queue, name="reports"),
    path("<slug:network_slug>/facilitate/spread/programmes/new/", views.programme_new, name="programme_new"),
    path("<slug:network_slug>/spread/<slug:innovation_slug>/", views.innovation_spread_page, name="innovation"),
    path("<slug:network_slug>/spread/<slug:innovation_slug>/report/", views.report_adoption, name="report"),
    path("<slug:network_slug>/spread/<slug:innovation_slug>/curve.svg", views.innovation_curve_svg, name="curve_svg"),
    path("<slug:network_slug>/spread/<slug:innovation_slug>/equity.svg", views.innovation_equity_svg,
         name="equity_svg"),
]
