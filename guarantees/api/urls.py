from rest_framework.routers import SimpleRouter

from guarantees.api.views import (
    ComplaintViewSet,
    EntitlementViewSet,
    GuaranteeViewSet,
    SelfAssessmentViewSet,
)

router = SimpleRouter()
router.register("guarantees", GuaranteeViewSet, basename="guarantee")
router.register("entitlements", EntitlementViewSet, basename="entitlement")
router.register("self-assessments", SelfAssessmentViewSet, basename="self-assessment")
router.register("complaints", ComplaintViewSet, basename="complaint")

urlpatterns = router.urls
