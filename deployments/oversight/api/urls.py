"""The oversight API's routes (the dashboard here; outcomes and forecast beside it)."""

from django.urls import path

from deployments.oversight.api.views import DashboardView

urlpatterns = [path("dashboard/", DashboardView.as_view(), name="api-dashboard")]
