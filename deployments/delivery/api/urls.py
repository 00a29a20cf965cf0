from rest_framework.routers import SimpleRouter

from deployments.delivery.api.grant_views import PartnershipGrantViewSet
from deployments.delivery.api.views import (
    CaseStudyViewSet,
    DeploymentViewSet,
    EnhancedRequestViewSet,
    ProgrammeViewSet,
)

router = SimpleRouter()
router.register("deployments", DeploymentViewSet, basename="deployment")
router.register("enhanced-requests", EnhancedRequestViewSet, basename="enhanced-request")
router.register("partnership-grants", PartnershipGrantViewSet, basename="partnership-grant")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("case-studies", CaseStudyViewSet, basename="case-study")

urlpatterns = router.urls
