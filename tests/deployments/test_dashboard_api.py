"""`GET /api/dashboard/`: every figure, and each one equals the count of the API
list it summarises, filtered to the same offer and region."""

import pytest

from portal.models import Role
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def _get(api_client_for, user, **params):
    return api_client_for(user).get("/api/dashboard/", params)


def test_the_north_west_figures(api_client_for, dashboard_world):
    w = dashboard_world
    body = _get(api_client_for, w.staff, offer=w.offer.pk, region="North West").json()
    assert body["offer"] == w.offer.pk
    assert body["region"] == "North West"
    assert body["funnel"] == {
        "eligible": 6,
        "in_case": 5,
        "deployment_issued": 4,
        "delivering": 3,
        "accepted": 2,
        "closed": 1,
    }
    assert body["support_cases_by_state"]["with_rdp"] == 1
    assert body["support_cases_by_state"]["declined"] == 0
    assert body["deployments_by_state"] == {
        "issued": 0,
        "engaged": 1,
        "delivery": 0,
        "school_sign_off": 0,
        "signed": 0,
        "submitted": 0,
        "accepted": 1,
        "closed": 1,
        "withdrawn": 1,
    }
    overdue = {(r["resource"], r["state"]): r for r in body["overdue"]}
    assert overdue[("support_case", "with_rdp")] == {
        "resource": "support_case",
        "state": "with_rdp",
        "responsible": "rdp",
        "count": 1,
    }
    assert overdue[("deployment", "engaged")]["responsible"] == "system_leader"
    assert body["delayed"] == 0
    assert body["days"] == {"committed": "30.0", "logged": "12.5", "claimed": "10.0"}
    assert body["spend"] == {
        "committed": "18000.00",
        "claimed": "6000.00",
        "approved": "6000.00",
        "paid": "0.00",
    }
    assert body["enhanced"]["extension"]["with_dfe"] == 1
    assert body["enhanced"]["funded_partnership"]["approved"] == 0
    assert body["focus_areas"]["behaviour"] == 1
    assert body["focus_areas"]["attendance"] == 1
    assert body["focus_areas"]["teaching_learning"] == 0
    assert body["by_region"] is None


def test_england_has_a_row_per_region_adding_up_to_the_total(api_client_for, dashboard_world):
    w = dashboard_world
    body = _get(api_client_for, w.staff, offer=w.offer.pk).json()
    assert {
        "resource": "claim",
        "state": "pending_review",
        "responsible": "finance",
        "count": 1,
    } in body["overdue"]
    assert body["region"] is None
    rows = {r["region"]: r for r in body["by_region"]}
    assert rows["London"]["funnel"]["accepted"] == 1
    assert rows["London"]["spend"]["claimed"] == "5700.00"
    for stage, total in body["funnel"].items():
        assert total == sum(r["funnel"][stage] for r in body["by_region"]), stage
    assert body["spend"]["claimed"] == "11700.00"


@pytest.mark.parametrize("region", ["North West", "London"])
def test_every_count_equals_its_api_list(api_client_for, dashboard_world, region):
    w = dashboard_world
    api = api_client_for(w.admin)
    body = api.get("/api/dashboard/", {"offer": w.offer.pk, "region": region}).json()
    scope = {"offer": w.offer.pk, "region": region}

    def count(path, **params):
        response = api.get(path, {**scope, **params})
        assert response.status_code == 200, response.content
        return response.json()["count"]

    for state, n in body["support_cases_by_state"].items():
        assert count("/api/support-cases/", state=state) == n, state
    for state, n in body["deployments_by_state"].items():
        assert count("/api/deployments/", state=state) == n, state
    for kind, states in body["enhanced"].items():
        for state, n in states.items():
            assert count("/api/enhanced-requests/", kind=kind, state=state) == n
    paths = {
        "support_case": "/api/support-cases/",
        "deployment": "/api/deployments/",
        "enhanced_request": "/api/enhanced-requests/",
        "claim": "/api/claims/",
    }
    for row in body["overdue"]:
        listed = count(paths[row["resource"]], state=row["state"], overdue="true")
        assert listed == row["count"], row
    assert count("/api/deployments/", delayed="true") == body["delayed"]
    for key, n in body["focus_areas"].items():
        assert count("/api/deployments/", focus_area=key) == n, key
    region_id = w.north_west.pk if region == "North West" else w.london.pk
    for stage, n in body["funnel"].items():
        listed = api.get(
            "/api/eligibility/",
            {"offer": w.offer.pk, "region": region_id, "status": "all", "reached": stage},
        ).json()["count"]
        assert listed == n, stage


@pytest.mark.parametrize(
    "role, region, expected",
    [
        (Role.REGIONS_STAFF, None, 200),
        (Role.REGIONS_STAFF, "London", 200),
        (Role.FINANCE, None, 200),
        (Role.FINANCE, "London", 200),
        (Role.ADMIN, None, 200),
        (Role.REGIONAL_DIRECTOR, "North West", 200),
        (Role.REGIONAL_DIRECTOR, "London", 403),
        (Role.REGIONAL_DIRECTOR, None, 403),
        (Role.RDP, "North West", 200),
        (Role.RDP, "London", 403),
        (Role.RDP, None, 403),
        (Role.SYSTEM_LEADER, None, 403),
        (Role.SYSTEM_LEADER, "North West", 403),
        (Role.SCHOOL_CONTACT, "North West", 403),
        (Role.SCHOOL_CONTACT, None, 403),
    ],
)
def test_who_may_read_the_dashboard(api_client_for, north_west, london, role, region, expected):
    from tests.deployments.claim_fixtures import current_offer

    current_offer()
    regional = role in (Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP)
    user = UserFactory(role=role, regions=[north_west] if regional else [])
    params = {"region": region} if region else {}
    assert _get(api_client_for, user, **params).status_code == expected


def test_signed_out_and_unknown_parameters(api_client_for, north_west, dashboard_world):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/dashboard/").status_code in (401, 403)
    staff = dashboard_world.staff
    response = _get(api_client_for, staff, region="Atlantis")
    assert response.status_code == 400
    assert "region" in response.json()
    assert _get(api_client_for, staff, offer="99999").status_code == 400


def test_the_api_reads_a_bounded_number_of_queries(
    api_client_for, dashboard_world, django_assert_max_num_queries
):
    api = api_client_for(dashboard_world.staff)
    api.get("/api/dashboard/")  # warm the content types and the session
    with django_assert_max_num_queries(14):
        assert api.get("/api/dashboard/").status_code == 200
    with django_assert_max_num_queries(14):
        assert api.get("/api/dashboard/", {"region": "North West"}).status_code == 200
