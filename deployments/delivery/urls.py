from django.urls import path

from deployments.delivery import views, views_case_studies, views_interruptions

urlpatterns = [
    path("deployments/", views.DeploymentListView.as_view(), name="deployment-list"),
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
        views_case_studies.CaseStudyEditView.as_view(),
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
    path("programmes/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("case-studies/", views_case_studies.CaseStudyListView.as_view(), name="case-study-list"),
    path(
        "case-studies/<int:pk>/",
        views_case_studies.CaseStudyDetailView.as_view(),
        name="case-study-detail",
    ),
]
