from django.urls import path

from innovatorium.impact import views

app_name = "impact"
N = "<slug:network_slug>/impact/"
M = N + "measures/<slug:measure_slug>/"
urlpatterns = [
    path(N, views.network_report, name="network"),
    path(N + "innovations/<slug:innovation_slug>/", views.innovation_report, name="innovation"),
    path(N + "projects/<slug:project_slug>/", views.project_report, name="project"),
    path(N + "measures/new/", views.measure_propose, name="propose"),
    path(M, views.measure_detail, name="measure"),
    path(M + "chart.svg", views.measure_chart, name="chart"),
    path(M + "values.csv", views.measure_csv, name="csv"),
    path(M + "weigh/", views.measure_weigh, name="weigh"),
    path(M + "values/add/", views.observation_add, name="observation_add"),
    path(M + "values/import/", views.observations_import, name="import"),
    path(M + "retire/", views.measure_retire, name="retire"),
    path(M + "limits/", views.limits_recalculate, name="limits"),
    path(M + "survey/", views.survey, name="survey"),
    path(M + "survey/thanks/", views.survey_thanks, name="survey_thanks"),
    path(M + "survey/comments/", views.survey_comments, name="comments"),
]
