"""The user list's one FilterSet: the Manage users page and the API read q, role,
status and is_active the same way; a bad value is ignored by the page and refused
by the API (400 naming it)."""

import pytest
from django.urls import reverse

from portal.models import Role

pytestmark = pytest.mark.django_db
API = "/api/users/"


@pytest.fixture
def people(make_user):
    make_user(Role.FINANCE, full_name="Fay Finance")
    make_user(Role.RDP, full_name="Rory Rdp", is_active=False)
    return {"Fay Finance", "Rory Rdp"}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "rory"}, {"Rory Rdp"}),
        ({"role": "finance"}, {"Fay Finance"}),
        ({"status": "inactive"}, {"Rory Rdp"}),
        ({"status": "active"}, {"Fay Finance"}),
        ({"is_active": "false"}, {"Rory Rdp"}),
        ({"is_active": "true", "role": "rdp"}, set()),
    ],
)
def test_the_page_and_the_api_filter_users_alike(
    people, params, expected, admin_user, client_for, api_client_for
):
    page = client_for(admin_user).get(reverse("users:user-list"), params)
    assert {u.full_name for u in page.context["users"]} & people == expected
    rows = api_client_for(admin_user).get(API, params).json()["results"]
    assert {row["full_name"] for row in rows} & people == expected


@pytest.mark.parametrize("name, value", [("role", "pilot"), ("status", "x"), ("is_active", "x")])
def test_a_bad_user_filter_is_ignored_by_the_page_and_refused_by_the_api(
    people, name, value, admin_user, client_for, api_client_for
):
    page = client_for(admin_user).get(reverse("users:user-list"), {name: value})
    assert page.status_code == 200
    assert {u.full_name for u in page.context["users"]} >= people
    response = api_client_for(admin_user).get(API, {name: value})
    assert response.status_code == 400 and name in response.json()
