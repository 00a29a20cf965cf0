from django.urls import path

from web.users import views as views_users

app_name = "users"

urlpatterns = [
    path("", views_users.UserListView.as_view(), name="user-list"),
    path("invite/", views_users.UserInviteView.as_view(), name="user-invite"),
    path("<int:pk>/", views_users.UserDetailView.as_view(), name="user-detail"),
    path("<int:pk>/active/", views_users.UserActiveView.as_view(), name="user-active"),
    path(
        "<int:pk>/invitation/",
        views_users.UserResendInvitationView.as_view(),
        name="user-resend-invitation",
    ),
]
