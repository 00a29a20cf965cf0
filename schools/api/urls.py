"""Register endpoints (api/register.py) and import endpoints (api/imports.py)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
