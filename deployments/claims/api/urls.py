from django.urls import path
from rest_framework.routers import SimpleRouter

from deployments.claims.api.views import ClaimViewSet, PaymentRunViewSet, SpendView

router = SimpleRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("payment-runs", PaymentRunViewSet, basename="payment-run")

urlpatterns = [*router.urls, path("spend/", SpendView.as_view(), name="api-spend")]
