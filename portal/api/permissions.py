"""One permission name per action, shared by HTML views and the API; deny by default.

Every API view declares `permission_required`: a `rules` permission name, or a
dict of them per viewset action (`"list"`, `"retrieve"`, `"create"`, an
`@action`'s name) with `"default"` for the rest. This class (the
DEFAULT_PERMISSION_CLASSES) refuses any request to a view that declares none,
checks the permission for the request, and for object views checks it again
against the object.

`permission_object_level = True` says the permission only means something per
object (its list is narrowed by a selector instead), so the request-level check
asks only that the user is signed in."""

from rest_framework.permissions import BasePermission


def declared_permission(view, action: str | None = None) -> str | None:
    """The permission a view declares for an action, or None."""
    perms = getattr(view, "permission_required", None)
    if isinstance(perms, dict):
        return perms.get(action) or perms.get("default")
    return perms


class HasRulesPermission(BasePermission):
    message = "You do not have permission to do this."

    def _perm(self, request, view):
        action = getattr(view, "action", None) or request.method.lower()
        return declared_permission(view, action)

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        perm = self._perm(request, view)
        if perm is None:
            return False  # deny by default: the view declares no permission
        if getattr(view, "permission_object_level", False):
            return request.user.is_active
        return request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(request, view)
        return perm is not None and request.user.has_perm(perm, obj)
