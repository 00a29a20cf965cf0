from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal.api.views import ApiDocsView, ApiSchemaView
from portal.forms import LoginForm
from web import views
from web.users import views as views_users

handler404 = "web.views.page_not_found"
handler403 = "web.views.permission_denied"

# Sign-in and password reset: the only pages besides /health/ that anyone may open
# (portal/access.py PUBLIC_URL_NAMES).
account_urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_reset/",
        views.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health_view, name="health"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:pk>/progress/", views.JobProgressView.as_view(), name="job-progress"),
    *account_urlpatterns,
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views_users.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path("users/", include("web.users.urls")),
    path("schools/", include("schools.urls")),
    path("", include("deployments.urls")),
    path("", include("guarantees.urls")),
    path("", include("deployments.oversight.urls_outcomes")),
    path("admin/", admin.site.urls),
    path("api/", include("web.api_urls")),
    path("api/schema/", ApiSchemaView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
]
