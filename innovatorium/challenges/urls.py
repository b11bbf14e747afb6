from django.urls import path

from innovatorium.challenges import views

app_name = "challenges"
urlpatterns = [
    path("<slug:network_slug>/needs/", views.challenge_list, name="list"),
    path("<slug:network_slug>/needs/raise/", views.challenge_raise, name="raise"),
    path("<slug:network_slug>/needs/<slug:challenge_slug>/", views.challenge_detail, name="detail"),
    path("<slug:network_slug>/needs/<slug:challenge_slug>/support/", views.challenge_support, name="support"),
    path("<slug:network_slug>/needs/<slug:challenge_slug>/withdraw/", views.challenge_withdraw, name="withdraw"),
    path("<slug:network_slug>/needs/<slug:challenge_slug>/respond/", views.challenge_respond, name="respond"),
    path("<slug:network_slug>/needs/<slug:challenge_slug>/status/", views.challenge_status, name="status"),
]
