from rest_framework.routers import SimpleRouter

from deployments.api.views import (
    EligibilityAssessmentViewSet,
    ExceptionRequestViewSet,
    RdAssessmentViewSet,
    SupportOfferViewSet,
)
from deployments.claims.api.urls import urlpatterns as claim_urls
from deployments.delivery.api.urls import urlpatterns as delivery_urls
from deployments.leaders.api.views import SystemLeaderViewSet
from deployments.matching.api.views import SupportCaseViewSet
from deployments.oversight.api.urls import urlpatterns as oversight_urls

router = SimpleRouter()
router.register("offers", SupportOfferViewSet, basename="offer")
router.register("eligibility", EligibilityAssessmentViewSet, basename="eligibility")
router.register("rd-assessments", RdAssessmentViewSet, basename="rd-assessment")
router.register("support-cases", SupportCaseViewSet, basename="support-case")
router.register("exception-requests", ExceptionRequestViewSet, basename="exception-request")
router.register("system-leaders", SystemLeaderViewSet, basename="system-leader")

urlpatterns = router.urls + delivery_urls + claim_urls + oversight_urls
