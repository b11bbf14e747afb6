from django.urls import path

from innovatorium.people import views

app_name = "people"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/data.json", views.download_data, name="download_data"),
    path("me/delete/", views.delete_account, name="delete_account"),
    path("me/memberships/<int:membership_id>/leave/", views.leave_membership, name="leave_membership"),
    path("facilitate/", views.facilitate, name="facilitate"),
    path("<slug:network_slug>/facilitate/verifications/", views.verification_queue, name="verification_queue"),
    path(
        "<slug:network_slug>/facilitate/verifications/<int:membership_id>/",
        views.verify_membership,
        name="verify_membership",
    ),
]
