from rest_framework import viewsets

from portal.api.permissions import HasRulesPermission
from portal.api.serializers import BackgroundJobSerializer
from portal.models import BackgroundJob
from portal.selectors import job_list_for


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
