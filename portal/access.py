"""Deny by default for every URL, HTML and API alike.

A page is reachable only if its view declares a `rules` permission
(`permission_required`, see portal/predicates.py for the pattern) or its URL
name is in PUBLIC_URL_NAMES. `PermissionDeclaredMiddleware` refuses anything
else with a 403, and tests/portal/test_access.py walks every URL pattern so a
forgotten declaration fails the suite before it reaches anyone.

To add a public page (a complaint form, say): give its URL a name, add the name
here, and mark the view `login_not_required` so sign-in is not asked for."""

from django.core.exceptions import PermissionDenied

# URL names (with their namespace) anyone may open, signed in or not. Keep this short.
PUBLIC_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "health",
        "invitation-accept",
        "guarantees:guarantees",
        "guarantees:complaint-start",
        "guarantees:complaint-question",
        "guarantees:complaint-check",
        "guarantees:complaint-sent",
        "guarantees:complaint-confirm",
        "guarantees:complaint-status",
    }
)

# The Django admin checks its own access: staff with "portal.use_admin"
# (portal/admin_site.py), then Django's model permissions per page.
ADMIN_NAMESPACE = "admin"


def view_class_of(callback):
    """The class behind a URL callback (Django CBV or DRF view), or the function."""
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback


def declared_permissions(callback) -> list[str]:
    """The `rules` permission names a view declares (several for a DRF viewset)."""
    declared = getattr(view_class_of(callback), "permission_required", None)
    if isinstance(declared, dict):
        return [name for name in declared.values() if name]
    if isinstance(declared, str):
        return [declared]
    return list(declared or [])


def is_public(match) -> bool:
    """By the URL's full name, with its namespace ("guarantees:complaint-start")."""
    return match.view_name in PUBLIC_URL_NAMES


def is_admin_site(match) -> bool:
    return ADMIN_NAMESPACE in match.namespaces


class PermissionDeclaredMiddleware:
    """Refuses a view that is neither public, nor the admin site, nor declares a
    permission: a view someone forgot to protect is closed, not open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if is_public(match) or is_admin_site(match) or declared_permissions(view_func):
            return None
        raise PermissionDenied("This page declares no permission.")
