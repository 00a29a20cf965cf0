from django.urls import include, path, re_path

from deployments import views
from deployments.leaders import views as leader_views
from deployments.matching import views as case_views

app_name = "deployments"

urlpatterns = [
    path("", include("deployments.delivery.urls")),
    path("", include("deployments.claims.urls")),
    path("", include("deployments.oversight.urls")),
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
    path("system-leaders/", leader_views.LeaderListView.as_view(), name="leader-list"),
    path("system-leaders/new/", leader_views.LeaderCreateView.as_view(), name="leader-create"),
    path("system-leaders/<int:pk>/", leader_views.LeaderDetailView.as_view(), name="leader-detail"),
    path(
        "system-leaders/<int:pk>/edit/", leader_views.LeaderEditView.as_view(), name="leader-edit"
    ),
    path("my-profile/", leader_views.MyProfileView.as_view(), name="my-profile"),
    path("cases/", case_views.CaseListView.as_view(), name="case-list"),
    re_path(
        r"^cases/export\.(?P<fmt>csv|xlsx)$",
        case_views.CaseExportView.as_view(),
        name="case-export",
    ),
    path("cases/overdue/", case_views.OverdueListView.as_view(), name="case-overdue"),
    path("cases/open/", case_views.CaseOpenView.as_view(), name="case-open"),
    path("cases/<int:pk>/", case_views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/owner/", case_views.CaseOwnerView.as_view(), name="case-owner"),
    path("cases/<int:pk>/watch/", case_views.CaseWatchView.as_view(), name="case-watch"),
    path(
        "cases/<int:pk>/la-contacted/",
        case_views.CaseLaContactedView.as_view(),
        name="case-la-contacted",
    ),
    path(
        "cases/<int:pk>/<slug:transition>/",
        case_views.CaseTransitionView.as_view(),
        name="case-transition",
    ),
]
