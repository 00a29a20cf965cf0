"""Who may see outcomes and forecast (`deployments.view_oversight`), in HTML and
the API: each role, for all of England, their own region and another region."""

import pytest

from portal.models import Role
from tests.deployments.factories import SupportOfferFactory
from tests.portal.factories import UserFactory
from tests.schools.factories import SchoolFactory

pytestmark = pytest.mark.django_db

ENGLAND, OWN, OTHER = "england", "own", "other"
# role -> the scopes it may see
MAY_SEE = {
    Role.REGIONS_STAFF: {ENGLAND, OWN, OTHER},
    Role.FINANCE: {ENGLAND, OWN, OTHER},
    Role.ADMIN: {ENGLAND, OWN, OTHER},
    Role.REGIONAL_DIRECTOR: {OWN},
    Role.RDP: {OWN},
    Role.SYSTEM_LEADER: set(),
    Role.SCHOOL_CONTACT: set(),
}
PATHS = ["/outcomes/", "/forecast/", "/outcomes/export.csv", "/api/outcomes/", "/api/forecast/"]


@pytest.fixture
def user_of(north_west, london):
    SupportOfferFactory()

    def make(role):
        extra = {"school": SchoolFactory()} if role == Role.SCHOOL_CONTACT else {}
        regions = [north_west] if role not in (Role.SYSTEM_LEADER, Role.SCHOOL_CONTACT) else []
        return UserFactory(role=role, regions=regions, **extra)

    return make


def _query(scope):
    return {ENGLAND: "", OWN: "?region=North%20West", OTHER: "?region=London"}[scope]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("scope", [ENGLAND, OWN, OTHER])
@pytest.mark.parametrize("role", list(MAY_SEE))
def test_each_role_sees_oversight_only_where_it_may(
    user_of, client_for, api_client_for, role, scope, path
):
    user = user_of(role)
    client = api_client_for(user) if path.startswith("/api/") else client_for(user)

    response = client.get(path + _query(scope))

    assert response.status_code == (200 if scope in MAY_SEE[role] else 403)


def test_the_permission_is_one_rule_for_a_region_or_england(user_of, north_west, london):
    director = user_of(Role.REGIONAL_DIRECTOR)
    staff = user_of(Role.REGIONS_STAFF)

    assert director.has_perm("deployments.view_oversight", north_west)
    assert not director.has_perm("deployments.view_oversight", london)
    assert not director.has_perm("deployments.view_oversight")
    assert staff.has_perm("deployments.view_oversight")


def test_a_role_that_never_sees_oversight_gets_403_before_its_query_is_read(
    user_of, api_client_for
):
    response = api_client_for(user_of(Role.SYSTEM_LEADER)).get("/api/outcomes/?region=Atlantis")

    assert response.status_code == 403


def test_signed_out_the_api_is_refused(client):
    assert client.get("/api/outcomes/").status_code in (401, 403)
