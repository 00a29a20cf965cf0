"""The Outcomes and Forecast pages and their API paths. `urlpatterns` are
included by web/urls.py, `api_urlpatterns` by web/api_urls.py."""

from django.urls import path, re_path

from deployments.oversight import views_outcomes
from deployments.oversight.api import outcomes as api

urlpatterns = [
    path("outcomes/", views_outcomes.OutcomesView.as_view(), name="oversight-outcomes"),
    re_path(
        r"^outcomes/export\.(?P<fmt>csv|xlsx)$",
        views_outcomes.OutcomesExportView.as_view(),
        name="oversight-outcomes-export",
    ),
    path("forecast/", views_outcomes.ForecastView.as_view(), name="oversight-forecast"),
]

api_urlpatterns = [
    path("outcomes/", api.OutcomeListView.as_view(), name="api-outcomes"),
    path("forecast/", api.ForecastView.as_view(), name="api-forecast"),
]
