"""The Django admin, open to active staff who hold "portal.use_admin" (the Admin
role). Pages for records a service creates either call that service or are
read-only (see each app's admin.py)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(admin.AdminSite):
    site_header = "TSI portal administration"
    site_title = "TSI portal administration"

    def has_permission(self, request):
        return super().has_permission(request) and request.user.has_perm("portal.use_admin")


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"


class ReadOnlyAdminMixin:
    """For records only a service may write (with its checks and its linked rows):
    the admin lists and shows them, and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
