from django.urls import path, re_path

from deployments.delivery import (
    case_study_views,
    grant_views,
    list_views,
    views,
    views_interruptions,
)

urlpatterns = [
    path("deployments/", list_views.DeploymentListView.as_view(), name="deployment-list"),
    re_path(
        r"^deployments/export\.(?P<fmt>csv|xlsx)$",
        list_views.DeploymentExportView.as_view(),
        name="deployment-list-export",
    ),
    path(
        "enhanced-requests/",
        list_views.EnhancedRequestListView.as_view(),
        name="enhanced-request-list",
    ),
    re_path(
        r"^enhanced-requests/export\.(?P<fmt>csv|xlsx)$",
        list_views.EnhancedRequestExportView.as_view(),
        name="enhanced-request-export",
    ),
    path("deployments/<int:pk>/", views.DeploymentDetailView.as_view(), name="deployment-detail"),
    path(
        "deployments/<int:pk>/sections/<str:key>/",
        views.SectionView.as_view(),
        name="deployment-section",
    ),
    path(
        "deployments/<int:pk>/activities/",
        views.ActivityLogView.as_view(),
        name="deployment-activities",
    ),
    path("deployments/<int:pk>/pause/", views.PauseView.as_view(), name="deployment-pause"),
    path("deployments/<int:pk>/print/", views.PrintView.as_view(), name="deployment-print"),
    path("deployments/<int:pk>/export.xlsx", views.ExportView.as_view(), name="deployment-export"),
    path(
        "deployments/<int:pk>/enhanced-support/",
        views.EnhancedRequestCreateView.as_view(),
        name="enhanced-request-create",
    ),
    path(
        "deployments/<int:pk>/case-study/",
        case_study_views.CaseStudyEditView.as_view(),
        name="case-study-edit",
    ),
    path(
        "deployments/<int:pk>/report-delay/",
        views_interruptions.ReportDelayView.as_view(),
        name="deployment-report-delay",
    ),
    path(
        "deployments/<int:pk>/<str:transition>/",
        views.DeploymentTransitionView.as_view(),
        name="deployment-transition",
    ),
    path(
        "enhanced-requests/<int:pk>/",
        views.EnhancedRequestDetailView.as_view(),
        name="enhanced-request-detail",
    ),
    path(
        "enhanced-requests/<int:pk>/<str:transition>/",
        views.EnhancedRequestTransitionView.as_view(),
        name="enhanced-request-transition",
    ),
    path(
        "partnership-grants/<int:pk>/", grant_views.GrantDetailView.as_view(), name="grant-detail"
    ),
    path(
        "partnership-grants/<int:pk>/offer-letter.pdf",
        grant_views.GrantOfferLetterView.as_view(),
        name="grant-offer-letter",
    ),
    path(
        "partnership-grants/<int:pk>/bank-details/",
        grant_views.GrantBankDetailsView.as_view(),
        name="grant-bank-details",
    ),
    path(
        "partnership-grants/<int:pk>/evidence/",
        grant_views.GrantEvidenceView.as_view(),
        name="grant-evidence",
    ),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("case-studies/", case_study_views.CaseStudyListView.as_view(), name="case-study-list"),
    path(
        "case-studies/<int:pk>/",
        case_study_views.CaseStudyDetailView.as_view(),
        name="case-study-detail",
    ),
]
