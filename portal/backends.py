"""Django's model permissions (the admin's) for superusers only.

Roles decide every action through `rules`; nobody is given Django permissions or
groups (the admin offers neither). Django's ModelBackend still asked the database
for a user's own and their groups' permissions whenever a `rules` permission was
denied: two queries on nearly every page, for sets that are always empty."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class SuperuserModelBackend(ModelBackend):
    """ModelBackend without per-user and per-group permissions: a superuser still
    has every model permission, so the Django admin works."""

    def _get_user_permissions(self, user_obj):
        return Permission.objects.none()

    def _get_group_permissions(self, user_obj):
        return Permission.objects.none()
