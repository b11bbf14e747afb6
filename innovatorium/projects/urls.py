from django.urls import path

from innovatorium.projects import involvement_views, views

app_name = "projects"
P = "<slug:network_slug>/projects/<slug:project_slug>/"
W = "<slug:network_slug>/what-we-do/"
urlpatterns = [
    path("what-we-do/", involvement_views.national_report, name="what_we_do_national"),
    path("what-we-do/about-you/", views.about_you, name="about_you"),
    path(W, involvement_views.network_report, name="what_we_do"),
    path(W + "depth.svg", involvement_views.depth_chart, name="what_we_do_depth_chart"),
    path(W + "trend.svg", involvement_views.trend_chart, name="what_we_do_trend_chart"),
    path(W + "feed/", involvement_views.activity_feed, name="what_we_do_feed"),
    path("<slug:network_slug>/projects/", views.project_list, name="list"),
    path("<slug:network_slug>/projects/new/", views.project_create, name="create"),
    path("<slug:network_slug>/projects/programmes/", views.programme_list, name="programmes"),
    path("<slug:network_slug>/projects/programmes/new/", views.programme_create, name="programme_create"),
    path("<slug:network_slug>/projects/programmes/<slug:programme_slug>/", views.programme_detail, name="programme"),
    path(P, views.project_detail, name="detail"),
    path(P + "edit/", views.project_edit, name="edit"),
    path(P + "team/add/", views.team_member_add, name="team_add"),
    path(P + "milestones/add/", views.milestone_add, name="milestone_add"),
    path(P + "milestones/<int:milestone_id>/", views.milestone_update, name="milestone_update"),
    path(P + "iterations/add/", views.iteration_add, name="iteration_add"),
    path(P + "user-tests/add/", views.user_test_add, name="user_test_add"),
    path(P + "decisions/add/", views.decision_add, name="decision_add"),
    path(P + "contribute/", views.contribution_log, name="contribute"),
    path(P + "contributions/<int:contribution_id>/reverse/", views.contribution_reverse, name="reverse"),
]
