"""Register pages (urls_register.py) and imports (urls_imports.py)."""

from schools.urls_imports import urlpatterns as import_urlpatterns
from schools.urls_register import urlpatterns as register_urlpatterns

app_name = "schools"

urlpatterns = register_urlpatterns + import_urlpatterns
