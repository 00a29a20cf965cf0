"""Deny by default: every URL declares a `rules` permission or is knowingly public,
and a view that declares nothing is refused, HTML and API alike."""

import pytest
import rules
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from portal.access import PUBLIC_URL_NAMES, declared_permissions
from portal.api.permissions import HasRulesPermission
from portal.models import Role


def _walk(resolver, prefix="", namespaces=()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            spaces = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, prefix + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespaces


ALL_URLS = list(_walk(get_resolver()))


def _label(route, entry):
    return f"{route} ({entry.name})"


def _full_name(entry, namespaces) -> str:
    return ":".join([*namespaces, entry.name or ""])


def test_every_url_declares_a_permission_or_is_on_the_public_list():
    undeclared = [
        _label(route, entry)
        for route, entry, namespaces in ALL_URLS
        if "admin" not in namespaces
        and _full_name(entry, namespaces) not in PUBLIC_URL_NAMES
        and not declared_permissions(entry.callback)
    ]
    assert undeclared == []


def test_every_declared_permission_is_a_rules_permission():
    unknown = {
        (_label(route, entry), name)
        for route, entry, _ in ALL_URLS
        for name in declared_permissions(entry.callback)
        if not rules.perm_exists(name)
    }
    assert unknown == set()


def test_the_public_list_names_only_real_urls():
    names = {_full_name(entry, namespaces) for _, entry, namespaces in ALL_URLS}
    assert PUBLIC_URL_NAMES <= names


def test_every_api_view_uses_the_deny_by_default_permission_class():
    api_views = [
        (route, entry.callback.cls)
        for route, entry, _ in ALL_URLS
        if hasattr(entry.callback, "cls")
    ]
    assert api_views
    wrong = [route for route, cls in api_views if cls.permission_classes != [HasRulesPermission]]
    assert wrong == []


def test_no_rules_permission_shares_a_name_with_a_model_permission(db):
    """A superuser holds every model permission; a rules name equal to one would
    hand Admin a domain action."""
    model_permissions = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert set(rules.permissions.permissions) & model_permissions == set()


@pytest.mark.urls("tests.portal.undeclared_urls")
def test_an_html_view_that_declares_no_permission_is_refused(client_for, regions_staff):
    assert client_for(regions_staff).get("/forgotten/").status_code == 403


@pytest.mark.urls("tests.portal.undeclared_urls")
def test_an_api_view_that_declares_no_permission_is_refused(api_client_for, admin_user):
    assert api_client_for(admin_user).get("/api/forgotten/").status_code == 403


API_GETS = sorted(
    {
        "/" + route.replace("^", "").split("(?P")[0].rstrip("$")
        for route, entry, _ in ALL_URLS
        if hasattr(entry.callback, "cls") and "(?P" not in route and "<" not in route
    }
)


@pytest.mark.parametrize("path", API_GETS)
def test_every_api_url_refuses_anonymous_requests(db, path):
    assert APIClient().get(path).status_code in (401, 403)


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/", "/api/"])
def test_the_api_schema_and_docs_are_for_signed_in_users_only(db, client, path):
    assert client.get(path).status_code == 403


def test_the_django_admin_is_for_the_admin_role_only(client_for, make_user, admin_user):
    staff_non_admin = make_user(Role.REGIONS_STAFF, is_staff=True)
    assert client_for(staff_non_admin).get("/admin/").status_code == 302  # to the admin login
    assert client_for(admin_user).get("/admin/").status_code == 200
