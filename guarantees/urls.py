from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path

from guarantees import reports, views, views_public

app_name = "guarantees"

urlpatterns = [
    path(
        "guarantees/",
        login_not_required(views_public.GuaranteesView.as_view()),
        name="guarantees",
    ),
    re_path(
        r"^guarantees/schools/(?P<urn>\d{6})/self-assessment/$",
        views.SelfAssessmentView.as_view(),
        name="self-assessment",
    ),
    re_path(
        r"^guarantees/schools/(?P<urn>\d{6})/self-assessment/(?P<year>\d{4})/$",
        views.SelfAssessmentView.as_view(),
        name="self-assessment-year",
    ),
    path("guarantees/complaints/", views.ComplaintListView.as_view(), name="complaint-list"),
    path(
        "guarantees/complaints/record/",
        views.PaperComplaintView.as_view(),
        name="complaint-paper",
    ),
    path(
        "guarantees/complaints/<int:pk>/",
        views.ComplaintDetailView.as_view(),
        name="complaint-detail",
    ),
    path(
        "guarantees/complaints/<int:pk>/erase/",
        views.ComplaintEraseView.as_view(),
        name="complaint-erase",
    ),
    path(
        "guarantees/complaints/<int:pk>/<str:transition>/",
        views.ComplaintTransitionView.as_view(),
        name="complaint-transition",
    ),
    path("guarantees/reports/", reports.ReportView.as_view(), name="reports"),
    re_path(
        r"^guarantees/reports/export\.(?P<fmt>csv|xlsx)$",
        reports.ReportExportView.as_view(),
        name="reports-export",
    ),
    # Public: no sign-in.
    path(
        "complaints/new/",
        login_not_required(views_public.ComplaintStartView.as_view()),
        name="complaint-start",
    ),
    path(
        "complaints/new/check/",
        login_not_required(views_public.ComplaintCheckView.as_view()),
        name="complaint-check",
    ),
    path(
        "complaints/new/sent/",
        login_not_required(views_public.ComplaintSentView.as_view()),
        name="complaint-sent",
    ),
    path(
        "complaints/new/<slug:step>/",
        login_not_required(views_public.ComplaintQuestionView.as_view()),
        name="complaint-question",
    ),
    path(
        "complaints/confirm/<str:token>/",
        login_not_required(views_public.ComplaintConfirmView.as_view()),
        name="complaint-confirm",
    ),
    path(
        "complaints/status/",
        login_not_required(views_public.ComplaintStatusView.as_view()),
        name="complaint-status",
    ),
]
