from django.urls import path

from innovatorium.networks import views

app_name = "networks"
urlpatterns = [
    path("<slug:network_slug>/", views.network_detail, name="detail"),
    path("<slug:network_slug>/join/", views.network_join, name="join"),
    path("<slug:network_slug>/take-part/", views.take_part, name="take_part"),
    path("<slug:network_slug>/facilitate/constituencies/", views.constituency_list, name="constituencies"),
    path(
        "<slug:network_slug>/facilitate/constituencies/<slug:constituency_slug>/",
        views.constituency_edit,
        name="constituency_edit",
    ),
]
