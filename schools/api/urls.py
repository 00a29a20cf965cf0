"""Register endpoints (api/register.py) and import endpoints (api/imports.py)."""

from rest_framework.routers import SimpleRouter

from schools.api.imports import register_import_routes
from schools.api.register import register_register_routes

router = SimpleRouter()
register_register_routes(router)
register_import_routes(router)

urlpatterns = router.urls
