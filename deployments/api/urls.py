from rest_framework.routers import SimpleRouter

from deployments.api.views import (
    EligibilityAssessmentViewSet,
    ExceptionRequestViewSet,
    RdAssessmentViewSet,
    SupportOfferViewSet,
)
from deployments.claims.api.urls import urlpatterns as claim_urls
from deployments.delivery.api.urls import urlpatterns as delivery_urls

router = SimpleRouter()
router.register("offers", SupportOfferViewSet, basename="offer")
router.register("eligibility", EligibilityAssessmentViewSet, basename="eligibility")
router.register("rd-assessments", RdAssessmentViewSet, basename="rd-assessment")
router.register("exception-requests", ExceptionRequestViewSet, basename="exception-request")

urlpatterns = router.urls + delivery_urls + claim_urls
