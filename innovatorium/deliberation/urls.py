from django.urls import path

from innovatorium.deliberation import views

app_name = "deliberation"
base = "<slug:network_slug>/take-part/conversations/"
urlpatterns = [
    path(base, views.conversation_list, name="list"),
    path(base + "open/", views.conversation_open, name="open"),
    path(base + "<slug:slug>/", views.conversation_detail, name="conversation"),
    path(base + "<slug:slug>/vote/", views.conversation_vote, name="vote"),
    path(base + "<slug:slug>/statements/", views.statement_add, name="add_statement"),
    path(base + "<slug:slug>/report/", views.conversation_report, name="report"),
    path(base + "<slug:slug>/report/map.svg", views.conversation_map, name="map"),
    path(base + "<slug:slug>/moderate/", views.conversation_moderate, name="moderate"),
    path(base + "<slug:slug>/close/", views.conversation_close, name="close"),
]
