from django.urls import path

from innovatorium.exchange import views

app_name = "exchange"
urlpatterns = [
    path("<slug:network_slug>/facilitate/exchange/", views.dashboard, name="dashboard"),
    path("<slug:network_slug>/needs/<slug:challenge_slug>/offer/", views.interest_express, name="interest"),
    path("<slug:network_slug>/needs/<slug:challenge_slug>/introduce/", views.introduction_propose, name="propose"),
    path("<slug:network_slug>/atlas/<slug:innovation_slug>/needs/", views.innovation_needs, name="innovation_needs"),
    path("<slug:network_slug>/exchange/introductions/<int:introduction_id>/", views.introduction_detail,
         name="introduction"),
    path("<slug:network_slug>/exchange/introductions/<int:introduction_id>/advance/", views.introduction_advance,
         name="advance"),
]
