"""The API root: each app registers its viewsets on one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from portal.api.views import BackgroundJobViewSet

router = DefaultRouter()
router.register("jobs", BackgroundJobViewSet, basename="api-job")

urlpatterns = [
    path("", include("schools.api.urls")),
    path("", include("deployments.api.urls")),
    path("", include("guarantees.api.urls")),
    path("", include(router.urls)),
]
