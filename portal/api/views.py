from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers, viewsets

from portal.api.permissions import HasRulesPermission
from portal.api.serializers import BackgroundJobSerializer
from portal.jobs import job_list_for
from portal.models import BackgroundJob

API_DOCS = "portal.use_api_docs"


class BackgroundJobViewSet(viewsets.ReadOnlyModelViewSet):
    """Background jobs (imports, recomputes) and their progress, for polling."""

    serializer_class = BackgroundJobSerializer
    permission_classes = [HasRulesPermission]
    permission_required = "portal.view_job"
    permission_object_level = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return BackgroundJob.objects.none()
        return job_list_for(self.request.user)


class ApiRootView(routers.APIRootView):
    """The list of API resources."""

    permission_classes = [HasRulesPermission]
    permission_required = API_DOCS


class ApiSchemaView(SpectacularAPIView):
    """The OpenAPI schema, for signed-in users like the rest of the API."""

    permission_classes = [HasRulesPermission]
    permission_required = API_DOCS


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI. The split view serves its start-up script from a URL, not
    inline, so the page works under script-src 'self'."""

    permission_classes = [HasRulesPermission]
    permission_required = API_DOCS
