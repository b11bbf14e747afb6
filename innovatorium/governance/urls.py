from django.urls import path

from innovatorium.governance import views

app_name = "governance"
BASE = "<slug:network_slug>/governance/"
BODY = BASE + "bodies/<slug:body_slug>/"
urlpatterns = [
    path(BASE, views.index, name="index"),
    path(BASE + "how-draws-work/", views.how_draws_work, name="how_draws_work"),
    path(BASE + "bodies/new/", views.body_new, name="body_new"),
    path(BODY, views.body_detail, name="body"),
    path(BODY + "seats/", views.body_seats, name="body_seats"),
    path(BODY + "appoint/", views.body_appoint, name="body_appoint"),
    path(BODY + "stand-down/", views.stand_down, name="stand_down"),
    path(BODY + "elections/new/", views.election_new, name="election_new"),
    path(BODY + "draw/", views.draw_new, name="draw_new"),
    path(BODY + "motions/new/", views.motion_new, name="motion_new"),
    path(BASE + "elections/<int:pk>/", views.election_detail, name="election"),
    path(BASE + "elections/<int:pk>/stand/", views.nominate, name="nominate"),
    path(BASE + "elections/<int:pk>/vote/", views.election_vote, name="election_vote"),
    path(BASE + "elections/<int:pk>/manage/", views.election_manage, name="election_manage"),
    path(BASE + "elections/<int:pk>/count/", views.election_count, name="election_count"),
    path(BASE + "elections/<int:pk>/ballots.json", views.election_ballots, name="election_ballots"),
    path(BASE + "nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path(BASE + "draws/<int:pk>/", views.draw_detail, name="draw"),
    path(BASE + "draws/<int:pk>/candidates.json", views.draw_candidates, name="draw_candidates"),
    path(BASE + "motions/<int:pk>/", views.motion_detail, name="motion"),
    path(BASE + "motions/<int:pk>/vote/", views.motion_vote, name="motion_vote"),
    path(BASE + "motions/<int:pk>/recuse/", views.motion_recuse, name="motion_recuse"),
    path(BASE + "motions/<int:pk>/close/", views.motion_close, name="motion_close"),
    path(BASE + "motions/<int:pk>/minutes/", views.motion_minutes, name="motion_minutes"),
]
