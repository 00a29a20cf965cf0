"""Django's model permissions come from being a superuser, never from groups or
per-user grants, and a denied `rules` permission costs no query."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Role
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_denied_rules_permission_asks_the_database_nothing():
    finance = UserFactory(role=Role.FINANCE)
    with CaptureQueriesContext(connection) as queries:
        assert not finance.has_perm("portal.use_admin")
        assert not finance.has_perm("schools.change_school")
    assert len(queries) == 0


def test_a_direct_or_group_grant_gives_no_permission():
    """Deny by default: roles decide, so a stray grant in the database changes nothing."""
    staff = UserFactory(role=Role.REGIONS_STAFF)
    perm = Permission.objects.get(codename="change_school")
    staff.user_permissions.add(perm)
    group = Group.objects.create(name="editors")
    group.permissions.add(perm)
    staff.groups.add(group)
    assert not staff.has_perm("schools.change_school")


def test_admin_still_has_the_model_permissions_the_django_admin_needs():
    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    assert admin.has_perm("schools.change_school")
    assert admin.has_module_perms("schools")


def test_the_admin_offers_no_groups_since_they_grant_nothing(client_for):
    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    client = client_for(admin)

    assert client.get("/admin/auth/group/").status_code == 404
    assert "/admin/auth/group/" not in client.get("/admin/").content.decode()
