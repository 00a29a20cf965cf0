"""The system-leader register: the contract's fields, the service's rules,
self-edit limits, visibility by region, and who may do what, in HTML and API."""

import pytest
from django.urls import reverse

from deployments.leaders import services
from deployments.leaders.models import SystemLeader
from portal.models import Role
from tests.deployments.factories import DeploymentFactory, SystemLeaderFactory
from tests.schools.factories import SchoolFactory, TrustFactory

API = "/api/system-leaders/"
CONTRACT_FIELDS = {
    "id",
    "user_email",
    "kind",
    "trust_uid",
    "school_urn",
    "regions",
    "phases",
    "focus_areas",
    "max_concurrent_deployments",
    "days_available",
    "available",
    "conflict_school_urns",
    "conflict_trust_uids",
    "wider_team_agreed",
    "active_deployments",
}


@pytest.fixture
def nw_leader(north_west):
    return SystemLeaderFactory(regions=[north_west], user__full_name="Nora Northwest")


@pytest.fixture
def london_leader(london):
    return SystemLeaderFactory(regions=[london], user__full_name="Larry London")


@pytest.fixture
def new_account(make_user):
    return make_user(Role.SYSTEM_LEADER, email="new.leader@example.org")


def create_payload(**changes):
    return {
        "user_email": "new.leader@example.org",
        "kind": "mat_ceo",
        "trust_uid": changes.pop("trust_uid") if "trust_uid" in changes else TrustFactory().uid,
        "regions": ["North West"],
        "phases": ["primary", "secondary"],
        "focus_areas": ["behaviour", "attendance"],
        "max_concurrent_deployments": 2,
        "days_available": 20,
        **changes,
    }


# --- fields -------------------------------------------------------------------------


def test_the_api_shows_every_contract_field(nw_leader, admin_user, api_client_for, london):
    conflict_school, conflict_trust = SchoolFactory(), TrustFactory()
    nw_leader.conflict_schools.add(conflict_school)
    nw_leader.conflict_trusts.add(conflict_trust)
    nw_leader.regions.add(london)
    DeploymentFactory(system_leader=nw_leader)
    DeploymentFactory(system_leader=nw_leader, state="closed")
    body = api_client_for(admin_user).get(f"{API}{nw_leader.pk}/").json()
    assert CONTRACT_FIELDS <= set(body)
    assert body["id"] == nw_leader.pk
    assert body["user_email"] == nw_leader.user.email
    assert body["kind"] == "nle"
    assert body["school_urn"] == nw_leader.school.urn and body["trust_uid"] is None
    assert body["regions"] == ["London", "North West"]
    assert body["phases"] == ["primary"]
    assert body["focus_areas"] == ["leadership_management"]
    assert body["conflict_school_urns"] == [conflict_school.urn]
    assert body["conflict_trust_uids"] == [conflict_trust.uid]
    assert body["active_deployments"] == 1
    assert body["available"] is True and body["wider_team_agreed"] is False


def test_admin_registers_a_mat_ceo(admin_user, api_client_for, new_account, north_west):
    trust = TrustFactory()
    response = api_client_for(admin_user).post(
        API, create_payload(trust_uid=trust.uid), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["user_email"] == "new.leader@example.org"
    assert body["trust_uid"] == trust.uid
    assert body["regions"] == ["North West"]
    assert body["phases"] == ["primary", "secondary"]
    assert body["active_deployments"] == 0
    assert SystemLeader.objects.get(user=new_account).trust == trust


def test_regions_staff_register_an_nle_in_their_region(
    regions_staff, api_client_for, new_account, north_west
):
    school = SchoolFactory()
    response = api_client_for(regions_staff).post(
        API,
        create_payload(kind="nle", trust_uid="", school_urn=school.urn, wider_team_agreed=True),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["school_urn"] == school.urn
    assert response.json()["wider_team_agreed"] is True


def test_regions_staff_cannot_register_a_leader_only_outside_their_regions(
    regions_staff, api_client_for, new_account, london
):
    response = api_client_for(regions_staff).post(
        API, create_payload(regions=["London"]), format="json"
    )
    assert response.status_code == 403
    assert not SystemLeader.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"trust_uid": None}, "trust_uid"),
        ({"kind": "nle"}, "school_urn"),
        ({"wider_team_agreed": True}, "wider_team_agreed"),
        ({"focus_areas": ["knitting"]}, "focus_areas"),
        ({"phases": ["university"]}, "phases"),
        ({"regions": []}, "regions"),
        ({"regions": ["Atlantis"]}, "regions"),
        ({"max_concurrent_deployments": 0}, "max_concurrent_deployments"),
        ({"user_email": "nobody@example.org"}, "user_email"),
        ({"school_urn": "999999"}, "school_urn"),
    ],
)
def test_a_wrong_profile_is_refused_with_the_field_to_fix(
    admin_user, api_client_for, new_account, north_west, changes, field
):
    payload = create_payload()
    response = api_client_for(admin_user).post(API, {**payload, **changes}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not SystemLeader.objects.exists()


def test_only_a_system_leader_account_can_be_registered(
    admin_user, api_client_for, make_user, north_west
):
    make_user(Role.RDP, email="new.leader@example.org")
    response = api_client_for(admin_user).post(API, create_payload(), format="json")
    assert response.status_code == 400
    assert response.json()["user_email"] == [services.NOT_A_SYSTEM_LEADER_ACCOUNT]


def test_a_leader_is_registered_once(admin_user, api_client_for, nw_leader):
    payload = create_payload(user_email=nw_leader.user.email)
    response = api_client_for(admin_user).post(API, payload, format="json")
    assert response.status_code == 400
    assert response.json()["user_email"] == [services.ALREADY_REGISTERED]


# --- self-edit ------------------------------------------------------------------------


def test_a_leader_changes_their_availability_capacity_focus_and_conflicts(
    nw_leader, api_client_for
):
    school, trust = SchoolFactory(), TrustFactory()
    response = api_client_for(nw_leader.user).patch(
        f"{API}{nw_leader.pk}/",
        {
            "available": False,
            "max_concurrent_deployments": 3,
            "days_available": 15,
            "focus_areas": ["attendance", "behaviour"],
            "conflict_school_urns": [school.urn],
            "conflict_trust_uids": [trust.uid],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["available"] is False
    assert body["max_concurrent_deployments"] == 3
    assert body["focus_areas"] == ["behaviour", "attendance"]
    assert body["conflict_school_urns"] == [school.urn]
    assert body["conflict_trust_uids"] == [trust.uid]


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "mat_ceo"},
        {"regions": ["London"]},
        {"phases": ["secondary"]},
        {"wider_team_agreed": True},
        {"available": False, "phases": ["secondary"]},
    ],
)
def test_a_leader_cannot_change_what_regions_group_staff_keep(
    nw_leader, api_client_for, london, changes
):
    response = api_client_for(nw_leader.user).patch(f"{API}{nw_leader.pk}/", changes, format="json")
    assert response.status_code == 403
    assert "availability, capacity, focus areas and conflicts" in response.json()["detail"]
    nw_leader.refresh_from_db()
    assert nw_leader.kind == "nle" and nw_leader.phases == ["primary"]
    assert nw_leader.available is True
    assert [r.name for r in nw_leader.regions.all()] == ["North West"]


def test_my_profile_saves_the_self_editable_fields_and_ignores_others(nw_leader, client_for):
    client = client_for(nw_leader.user)
    page = client.get(reverse("deployments:my-profile"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="focus_areas"' in html and 'type="checkbox"' in html
    assert 'name="kind"' not in html and 'name="regions"' not in html
    school = SchoolFactory()
    response = client.post(
        reverse("deployments:my-profile"),
        {
            "available": "no",
            "max_concurrent_deployments": "3",
            "days_available": "12",
            "focus_areas": ["behaviour", "pupil_premium"],
            "conflict_school_urns": school.urn,
            "conflict_trust_uids": "",
            "kind": "mat_ceo",
            "phases": ["secondary"],
        },
    )
    assert response.status_code == 302
    nw_leader.refresh_from_db()
    assert nw_leader.available is False
    assert nw_leader.max_concurrent_deployments == 3
    assert nw_leader.focus_areas == ["behaviour", "pupil_premium"]
    assert list(nw_leader.conflict_schools.all()) == [school]
    assert nw_leader.kind == "nle" and nw_leader.phases == ["primary"]


def test_my_profile_shows_errors_in_a_govuk_error_summary(nw_leader, client_for):
    response = client_for(nw_leader.user).post(
        reverse("deployments:my-profile"),
        {
            "available": "yes",
            "max_concurrent_deployments": "0",
            "days_available": "x",
            "conflict_school_urns": "123456",
        },  # fmt: skip
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter 1 or more" in html
    assert "No school with the URN 123456 in the register" in html


def test_my_profile_without_a_profile_says_it_is_not_set_up(system_leader, client_for):
    page = client_for(system_leader).get(reverse("deployments:my-profile"))
    assert page.status_code == 200
    assert b"has not been set up yet" in page.content


# --- visibility -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP])
def test_regional_users_see_the_leaders_who_work_in_their_regions(
    role, make_user, north_west, nw_leader, london_leader, api_client_for, client_for
):
    user = make_user(role, regions=[north_west])
    api = api_client_for(user).get(API).json()
    assert [row["id"] for row in api["results"]] == [nw_leader.pk]
    page = client_for(user).get(reverse("deployments:leader-list"))
    assert [leader.pk for leader in page.context["leaders"]] == [nw_leader.pk]


def test_a_leader_working_in_two_regions_is_listed_once(
    regions_staff, north_west, london, api_client_for
):
    both = SystemLeaderFactory(regions=[north_west, london])
    regions_staff.regions.add(london)
    api = api_client_for(regions_staff).get(API).json()
    assert [row["id"] for row in api["results"]] == [both.pk]


def test_a_system_leader_sees_only_their_own_profile(nw_leader, london_leader, api_client_for):
    api = api_client_for(nw_leader.user)
    assert [row["id"] for row in api.get(API).json()["results"]] == [nw_leader.pk]
    assert api.get(f"{API}{london_leader.pk}/").status_code == 404


def test_admin_sees_every_leader(admin_user, nw_leader, london_leader, api_client_for):
    rows = api_client_for(admin_user).get(API).json()["results"]
    assert {row["id"] for row in rows} == {nw_leader.pk, london_leader.pk}


def test_the_register_filters_by_region_kind_availability_and_name(
    admin_user, client_for, api_client_for, north_west, london
):
    ceo = SystemLeaderFactory(mat_ceo=True, regions=[north_west], user__full_name="Cleo Ceo")
    away = SystemLeaderFactory(regions=[north_west], available=False, user__full_name="Ned Away")
    SystemLeaderFactory(regions=[london], user__full_name="Lon Don")
    client = client_for(admin_user)

    def names(**params):
        page = client.get(reverse("deployments:leader-list"), params)
        return [leader.user.full_name for leader in page.context["leaders"]]

    assert names(region=north_west.pk) == ["Cleo Ceo", "Ned Away"]
    assert names(kind="mat_ceo") == ["Cleo Ceo"]
    assert names(available="no") == ["Ned Away"]
    assert names(q="lon") == ["Lon Don"]
    api = api_client_for(admin_user)
    rows = api.get(API, {"region": "North West", "available": "true"}).json()["results"]
    assert [row["id"] for row in rows] == [ceo.pk]
    assert away.pk not in [row["id"] for row in rows]


def test_the_register_page_and_the_api_read_the_same_filters(
    admin_user, client_for, api_client_for, north_west, london
):
    """One FilterSet: the page takes a region's name and true/false, the API "yes"."""
    SystemLeaderFactory(regions=[north_west], user__full_name="Nia West")
    SystemLeaderFactory(regions=[north_west], available=False, user__full_name="Ned Away")
    SystemLeaderFactory(regions=[london], user__full_name="Lon Don")
    page = client_for(admin_user).get(
        reverse("deployments:leader-list"), {"region": "North West", "available": "false"}
    )
    assert [leader.user.full_name for leader in page.context["leaders"]] == ["Ned Away"]
    api = api_client_for(admin_user)

    def api_names(**params):
        return [row["user_email"] for row in api.get(API, params).json()["results"]]

    assert len(api_names(region=str(london.pk), available="yes")) == 1
    assert api_names(region="Atlantis") == []
    assert api.get(API, {"kind": "wizard"}).status_code == 400
    assert api.get(API, {"available": "maybe"}).status_code == 400


def test_the_register_paginates(admin_user, client_for, north_west):
    for _ in range(27):
        SystemLeaderFactory(regions=[north_west])
    page = client_for(admin_user).get(reverse("deployments:leader-list"))
    assert len(page.context["leaders"]) == 25
    assert page.context["paginator"].count == 27


def test_the_register_lists_leaders_in_a_constant_number_of_queries(
    admin_user, api_client_for, north_west, django_assert_max_num_queries
):
    for _ in range(20):
        leader = SystemLeaderFactory(regions=[north_west])
        leader.conflict_schools.add(SchoolFactory())
    api = api_client_for(admin_user)
    with django_assert_max_num_queries(8):
        assert api.get(API).json()["count"] == 20


# --- the permission matrix ------------------------------------------------------------
# (role, where the user works relative to the leader) -> what each action answers.
# "in": the user works in the leader's region (or is the leader); "out": not.

ROLES_IN_OUT = [
    (Role.ADMIN, "in"),
    (Role.REGIONS_STAFF, "in"),
    (Role.REGIONS_STAFF, "out"),
    (Role.REGIONAL_DIRECTOR, "in"),
    (Role.REGIONAL_DIRECTOR, "out"),
    (Role.RDP, "in"),
    (Role.RDP, "out"),
    (Role.SYSTEM_LEADER, "in"),  # the leader themselves
    (Role.SYSTEM_LEADER, "out"),  # another system leader
    (Role.SCHOOL_CONTACT, "out"),
    (Role.FINANCE, "out"),
]
# API: (list, retrieve, create, self-editable PATCH, staff-only PATCH)
EXPECTED_API = {
    (Role.ADMIN, "in"): (200, 200, 201, 200, 200),
    (Role.REGIONS_STAFF, "in"): (200, 200, 201, 200, 200),
    (Role.REGIONS_STAFF, "out"): (200, 404, 403, 404, 404),
    (Role.REGIONAL_DIRECTOR, "in"): (200, 200, 403, 403, 403),
    (Role.REGIONAL_DIRECTOR, "out"): (200, 404, 403, 404, 404),
    (Role.RDP, "in"): (200, 200, 403, 403, 403),
    (Role.RDP, "out"): (200, 404, 403, 404, 404),
    (Role.SYSTEM_LEADER, "in"): (200, 200, 403, 200, 403),
    (Role.SYSTEM_LEADER, "out"): (200, 404, 403, 404, 404),
    (Role.SCHOOL_CONTACT, "out"): (403, 404, 403, 404, 404),
    (Role.FINANCE, "out"): (403, 404, 403, 404, 404),
}
# HTML: (register list, leader page, add page, staff edit page, my profile)
EXPECTED_HTML = {
    (Role.ADMIN, "in"): (200, 200, 200, 200, 403),
    (Role.REGIONS_STAFF, "in"): (200, 200, 200, 200, 403),
    (Role.REGIONS_STAFF, "out"): (200, 404, 200, 404, 403),
    (Role.REGIONAL_DIRECTOR, "in"): (200, 200, 403, 403, 403),
    (Role.REGIONAL_DIRECTOR, "out"): (200, 404, 403, 404, 403),
    (Role.RDP, "in"): (200, 200, 403, 403, 403),
    (Role.RDP, "out"): (200, 404, 403, 404, 403),
    (Role.SYSTEM_LEADER, "in"): (200, 200, 403, 302, 200),
    (Role.SYSTEM_LEADER, "out"): (200, 404, 403, 302, 200),
    (Role.SCHOOL_CONTACT, "out"): (403, 404, 403, 404, 403),
    (Role.FINANCE, "out"): (403, 404, 403, 404, 403),
}


@pytest.fixture
def actor_for(make_user, north_west, london, nw_leader):
    def make(role, where):
        if role == Role.SYSTEM_LEADER:
            return nw_leader.user if where == "in" else SystemLeaderFactory(regions=[london]).user
        if role == Role.ADMIN:
            return make_user(Role.ADMIN, is_staff=True, is_superuser=True)
        if role == Role.SCHOOL_CONTACT:
            return make_user(role, school=SchoolFactory())
        if role == Role.FINANCE:
            return make_user(role)
        return make_user(role, regions=[north_west if where == "in" else london])

    return make


@pytest.mark.parametrize(("role", "where"), ROLES_IN_OUT)
def test_api_permission_matrix(role, where, actor_for, nw_leader, api_client_for, make_user):
    api = api_client_for(actor_for(role, where))
    make_user(Role.SYSTEM_LEADER, email="new.leader@example.org")
    url = f"{API}{nw_leader.pk}/"
    got = (
        api.get(API).status_code,
        api.get(url).status_code,
        api.post(API, create_payload(), format="json").status_code,
        api.patch(url, {"days_available": 33}, format="json").status_code,
        api.patch(url, {"phases": ["secondary"]}, format="json").status_code,
    )
    assert got == EXPECTED_API[(role, where)]
    nw_leader.refresh_from_db()
    assert (nw_leader.days_available == 33) == (got[3] == 200)
    assert (nw_leader.phases == ["secondary"]) == (got[4] == 200)


@pytest.mark.parametrize(("role", "where"), ROLES_IN_OUT)
def test_html_permission_matrix(role, where, actor_for, nw_leader, client_for):
    client = client_for(actor_for(role, where))
    got = tuple(
        client.get(url).status_code
        for url in (
            reverse("deployments:leader-list"),
            reverse("deployments:leader-detail", args=[nw_leader.pk]),
            reverse("deployments:leader-create"),
            reverse("deployments:leader-edit", args=[nw_leader.pk]),
            reverse("deployments:my-profile"),
        )
    )
    assert got == EXPECTED_HTML[(role, where)]


def test_regions_staff_change_any_field_from_the_edit_page(regions_staff, nw_leader, client_for):
    trust = TrustFactory()
    response = client_for(regions_staff).post(
        reverse("deployments:leader-edit", args=[nw_leader.pk]),
        {
            "kind": "mat_ceo",
            "trust_uid": trust.uid,
            "school_urn": "",
            "regions": [r.pk for r in nw_leader.regions.all()],
            "phases": ["secondary"],
            "available": "yes",
            "max_concurrent_deployments": "2",
            "days_available": "10",
        },
    )
    assert response.status_code == 302
    nw_leader.refresh_from_db()
    assert nw_leader.kind == "mat_ceo" and nw_leader.trust == trust and nw_leader.school is None
    assert nw_leader.phases == ["secondary"]


def test_staff_add_a_leader_from_the_register(regions_staff, new_account, north_west, client_for):
    school = SchoolFactory()
    response = client_for(regions_staff).post(
        reverse("deployments:leader-create"),
        {
            "user_email": "new.leader@example.org",
            "kind": "nle",
            "school_urn": school.urn,
            "regions": [north_west.pk],
            "phases": ["primary"],
            "focus_areas": ["behaviour"],
            "available": "yes",
            "max_concurrent_deployments": "1",
            "days_available": "10",
        },
    )
    leader = SystemLeader.objects.get(user=new_account)
    assert response.status_code == 302
    assert response["Location"] == reverse("deployments:leader-detail", args=[leader.pk])
    assert leader.school == school
