"""One permission name per action, shared by HTML views and the API.

A view declares `permission_required` (a `rules` permission); this class checks
it for the request and, for object views, against the object."""

from rest_framework.permissions import BasePermission


class HasRulesPermission(BasePermission):
    def _perm(self, request, view):
        perms = getattr(view, "permission_required", None)
        if isinstance(perms, dict):
            action = getattr(view, "action", None) or request.method.lower()
            return perms.get(action) or perms.get("default")
        return perms

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        perm = self._perm(request, view)
        if perm is None:
            return True
        # Object-level checks happen in has_object_permission; here we only ask
        # whether the user could hold the permission on some object.
        if getattr(view, "permission_object_level", False):
            return True
        return request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(request, view)
        return perm is None or request.user.has_perm(perm, obj)
