from django.urls import path

from innovatorium.priorities import views

app_name = "priorities"
BASE = "<slug:network_slug>/take-part/priorities/"
ROUND = BASE + "<slug:round_slug>/"
urlpatterns = [
    path(BASE, views.round_list, name="list"),
    path(BASE + "what-this-promises/", views.promises, name="promises"),
    path(BASE + "mine/", views.mine, name="mine"),
    path(BASE + "new/", views.round_new, name="new"),
    path(ROUND, views.round_detail, name="detail"),
    path(ROUND + "vote/", views.vote, name="vote"),
    path(ROUND + "receipt/", views.receipt, name="receipt"),
    path(ROUND + "withdraw/", views.withdraw, name="withdraw"),
    path(ROUND + "results/", views.results, name="results"),
    path(ROUND + "ballots.<str:fmt>", views.ballots_export, name="ballots"),
    path(ROUND + "result.<str:fmt>", views.result_export, name="result_export"),
    path(ROUND + "manage/", views.manage, name="manage"),
    path(ROUND + "next/", views.round_next, name="next"),
]
