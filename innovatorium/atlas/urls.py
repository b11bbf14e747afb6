from django.urls import path

from innovatorium.atlas import views

app_name = "atlas"
urlpatterns = [
    path("atlas/", views.atlas_search, name="search"),
    path("atlas/case-studies/", views.case_study_search, name="case_studies"),
    path("atlas/collections/", views.collection_list, name="collections"),
    path("atlas/collections/<slug:collection_slug>/", views.collection_detail, name="collection"),
    path("atlas/collections/<slug:collection_slug>/feed/", views.collection_feed, name="collection_feed"),
    path("atlas/export/", views.export_zip, name="export"),
    path("atlas/export/datapackage.json", views.export_datapackage, name="export_datapackage"),
    path("<slug:network_slug>/facilitate/atlas/", views.review_queue, name="review"),
    path("<slug:network_slug>/atlas/", views.network_atlas, name="network"),
    path("<slug:network_slug>/atlas/case-studies/", views.network_case_studies, name="network_case_studies"),
    path("<slug:network_slug>/atlas/case-studies/<slug:case_study_slug>/", views.case_study_detail,
         name="case_study"),
    path("<slug:network_slug>/atlas/case-studies/<slug:case_study_slug>/publish/", views.case_study_publish,
         name="case_study_publish"),
    path("<slug:network_slug>/atlas/<slug:innovation_slug>/", views.innovation_detail, name="innovation"),
    path("<slug:network_slug>/atlas/<slug:innovation_slug>/stage/", views.innovation_stage, name="stage"),
    path("<slug:network_slug>/atlas/<slug:innovation_slug>/publish/", views.innovation_publish, name="publish"),
]
