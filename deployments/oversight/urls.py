"""The oversight pages' routes (included by deployments/urls.py; outcomes and
forecast add theirs beside these)."""

from django.urls import path

from deployments.oversight import views

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/mine/", views.MyDashboardView.as_view(), name="my-dashboard"),
]
