from django.urls import path

from innovatorium.people import views

app_name = "people"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/data.json", views.download_data, name="download_data"),
    path("me/delete/", views.delete_account, name="delete_account"),
    path("me/memberships/<int:membership_id>/leave/", views.leave_membership, name="leave_membership"),
    path("facilitate/", views.facilitate, name="facilitate"),
    path("<slug:network_slug>/declarations/", views.declarations, name="declarations"),
    path("<slug:network_slug>/declarations/new/", views.declare_interest, name="declare"),
    path("<slug:network_slug>/facilitate/members/", views.members, name="members"),
    path("<slug:network_slug>/facilitate/members/<int:membership_id>/role/", views.change_role, name="change_role"),
    path("<slug:network_slug>/facilitate/verifications/", views.verification_queue, name="verification_queue"),
    path(
        "<slug:network_slug>/facilitate/verifications/<int:membership_id>/",
        views.verify_membership,
        name="verify_membership",
    ),
]
