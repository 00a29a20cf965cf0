from django.urls import include, path, re_path

from deployments import views

app_name = "deployments"

urlpatterns = [
    path("", include("deployments.delivery.urls")),
    path("", include("deployments.claims.urls")),
    path("eligibility/", views.EligibilityListView.as_view(), name="eligibility-list"),
    re_path(
        r"^eligibility/export\.(?P<fmt>csv|xlsx)$",
        views.EligibilityExportView.as_view(),
        name="eligibility-export",
    ),
    path("eligibility/recompute/", views.RecomputeView.as_view(), name="eligibility-recompute"),
    path(
        "eligibility/rd-assessments/new/",
        views.RdAssessmentCreateView.as_view(),
        name="rd-assessment-create",
    ),
    path(
        "eligibility/exceptions/", views.ExceptionRequestListView.as_view(), name="exception-list"
    ),
    path(
        "eligibility/exceptions/new/",
        views.ExceptionRequestCreateView.as_view(),
        name="exception-create",
    ),
    path(
        "eligibility/exceptions/<int:pk>/",
        views.ExceptionRequestDetailView.as_view(),
        name="exception-detail",
    ),
    re_path(
        r"^eligibility/schools/(?P<urn>\d{6})/$",
        views.EligibilityDetailView.as_view(),
        name="school-eligibility",
    ),
    path(
        "eligibility/trusts/<str:uid>/",
        views.EligibilityDetailView.as_view(),
        name="trust-eligibility",
    ),
]
