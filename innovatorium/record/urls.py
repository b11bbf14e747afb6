from django.urls import path

from innovatorium.record import views

app_name = "record"
urlpatterns = [
    path("record/", views.record_list, name="list"),
    path("record/verify/", views.record_verify, name="verify"),
    path("<slug:network_slug>/record/", views.record_network, name="network"),
]
