from django.urls import path

from innovatorium.benefits import views

app_name = "benefits"
N = "<slug:network_slug>/benefits/"
A = N + "<slug:innovation_slug>/"
V = A + "versions/<int:number>/"
P = A + "postings/<str:posting_id>/"
urlpatterns = [
    path(N, views.network_benefits, name="network"),
    path(N + "new/", views.agreement_start, name="start"),
    path(A, views.agreement_detail, name="agreement"),
    path(A + "statement.csv", views.statement_csv, name="statement_csv"),
    path(A + "statement.json", views.statement_json, name="statement_json"),
    path(A + "amend/", views.amendment_start, name="amend"),
    path(A + "record/", views.event_record, name="record"),
    path(A + "parties/<int:party_id>/", views.party_statement, name="party"),
    path(V, views.version_detail, name="version"),
    path(V + "terms/", views.version_terms, name="terms"),
    path(V + "parties/", views.party_add, name="party_add"),
    path(V + "parties/<int:party_id>/remove/", views.party_remove, name="party_remove"),
    path(V + "rates/", views.rate_set, name="rate_set"),
    path(V + "propose/", views.version_propose, name="propose"),
    path(V + "withdraw/", views.version_withdraw, name="withdraw"),
    path(V + "accept/<int:party_id>/", views.version_accept, name="accept"),
    path(P, views.posting_detail, name="posting"),
    path(P + "reverse/", views.posting_reverse, name="reverse"),
]
