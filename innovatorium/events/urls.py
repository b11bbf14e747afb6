from django.urls import path

from innovatorium.events import views

app_name = "events"
_e = "<slug:network_slug>/events/<slug:event_slug>"
urlpatterns = [
    path("<slug:network_slug>/events/", views.event_list, name="list"),
    path("<slug:network_slug>/events/calendar.ics", views.network_calendar, name="calendar"),
    path("<slug:network_slug>/events/new/", views.event_create, name="create"),
    path(f"{_e}.ics", views.event_calendar, name="ics"),
    path(f"{_e}/", views.event_detail, name="detail"),
    path(f"{_e}/register/", views.event_register, name="register"),
    path(f"{_e}/cancel-registration/", views.registration_cancel, name="cancel_registration"),
    path(f"{_e}/organise/", views.event_organise, name="organise"),
    path(f"{_e}/edit/", views.event_edit, name="edit"),
    path(f"{_e}/publish/", views.event_publish, name="publish"),
    path(f"{_e}/cancel/", views.event_cancel, name="cancel"),
    path(f"{_e}/speakers/", views.speaker_add, name="speaker_add"),
    path(f"{_e}/attendance/", views.attendance, name="attendance"),
    path(f"{_e}/minutes/", views.minutes_edit, name="minutes"),
]
