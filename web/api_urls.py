"""The API root: each app registers its viewsets on one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from deployments.oversight.urls_outcomes import api_urlpatterns as oversight_outcome_urls
from portal.api.views import ApiRootView, BackgroundJobViewSet
from web.users.api import UserViewSet

router = DefaultRouter()
router.APIRootView = ApiRootView
router.register("jobs", BackgroundJobViewSet, basename="api-job")
router.register("users", UserViewSet, basename="api-user")

urlpatterns = [
    path("", include("schools.api.urls")),
    path("", include("deployments.api.urls")),
    path("", include("guarantees.api.urls")),
    path("", include(oversight_outcome_urls)),
    path("", include(router.urls)),
]
