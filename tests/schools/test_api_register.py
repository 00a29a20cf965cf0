"""The read-only register API: every signed-in user may read, nobody may write."""

import datetime as dt

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIClient

from schools.api.register import register_register_routes
from schools.models import OfstedInspection
from tests.schools.factories import (
    LocalAuthorityFactory,
    OfstedInspectionFactory,
    RegionFactory,
    SchoolFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/regions/",
    "/api/local-authorities/",
    "/api/trusts/",
    "/api/schools/",
    "/api/schools/123456/",
    "/api/schools/123456/inspections/",
    "/api/inspections/",
]


@pytest.fixture
def api(system_leader, api_client_for):
    return api_client_for(system_leader)


@pytest.fixture
def school():
    school = SchoolFactory(
        urn="123456",
        name="Harbour Primary",
        trust=TrustFactory(uid="16014", name="Harbour Trust"),
        local_authority=LocalAuthorityFactory(
            code="202", region=RegionFactory(name="London", code="E12000007")
        ),
    )
    OfstedInspectionFactory(
        school=school,
        inspection_number="10001",
        start_date=dt.date(2019, 1, 10),
        overall_effectiveness=3,
    )
    OfstedInspectionFactory(
        school=school,
        inspection_number="10002",
        start_date=dt.date(2023, 1, 10),
        overall_effectiveness=2,
    )
    return school


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_clients_are_refused(url, school):
    response = APIClient().get(url)

    assert response.status_code in (401, 403)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_an_inactive_user_is_refused(url, school, make_user, api_client_for):
    response = api_client_for(make_user(is_active=False)).get(url)

    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    "role_fixture",
    ["admin_user", "regions_staff", "rdp", "system_leader", "finance_user", "school_contact"],
)
def test_every_signed_in_role_can_read(request, api_client_for, role_fixture, school):
    api = api_client_for(request.getfixturevalue(role_fixture))

    assert [api.get(url).status_code for url in ENDPOINTS] == [200] * len(ENDPOINTS)


@pytest.mark.parametrize("url", ["/api/schools/", "/api/schools/123456/", "/api/trusts/"])
def test_the_register_cannot_be_written_through_the_api(admin_user, api_client_for, url, school):
    api = api_client_for(admin_user)

    assert api.post(url, {"name": "x"}).status_code == 405
    assert api.delete("/api/schools/123456/").status_code == 405


def test_a_school_is_looked_up_by_urn_with_its_latest_grade(api, school):
    data = api.get("/api/schools/123456/").json()

    assert data["urn"] == "123456"
    assert data["latest_overall_effectiveness"] == 2
    assert data["latest_graded_on"] == "2023-01-10"
    assert data["trust"] == {"uid": "16014", "name": "Harbour Trust"}
    assert (data["local_authority"], data["region"]) == ("202", "E12000007")


def test_an_unknown_urn_is_not_found(api):
    assert api.get("/api/schools/999999/").status_code == 404
    assert api.get("/api/schools/999999/inspections/").status_code == 404


def test_the_schools_endpoint_uses_the_same_filters_as_the_page(api, school):
    SchoolFactory(name="Other School", phase="Secondary")

    def urns(**params):
        return [row["urn"] for row in api.get("/api/schools/", params).json()["results"]]

    assert urns(q="harbour") == ["123456"]
    assert urns(region="E12000007", trust="16014", latest_grade="2") == ["123456"]
    assert urns(latest_grade="3") == []
    assert urns(phase="Secondary", latest_grade="none") != []


def test_an_invalid_filter_is_a_bad_request(api, school):
    response = api.get("/api/schools/", {"latest_grade": "7"})

    assert response.status_code == 400
    assert "latest_grade" in response.json()


def test_a_schools_inspections_are_listed_newest_first(api, school):
    OfstedInspectionFactory(inspection_number="99999")  # another school's

    data = api.get("/api/schools/123456/inspections/").json()

    assert [row["inspection_number"] for row in data["results"]] == ["10002", "10001"]
    assert data["results"][0]["school"] == "123456"


def test_inspections_filter_by_school_kind_and_date(api, school):
    OfstedInspectionFactory(
        school=school,
        inspection_number="10003",
        start_date=dt.date(2024, 5, 1),
        ungraded=True,
    )

    def numbers(**params):
        return [
            row["inspection_number"]
            for row in api.get("/api/inspections/", params).json()["results"]
        ]

    assert numbers(school="123456", kind=OfstedInspection.Kind.UNGRADED) == ["10003"]
    assert numbers(start_date_after="2020-01-01", kind="graded") == ["10002"]


def test_trusts_and_local_authorities_are_looked_up_by_their_codes(api, school):
    assert api.get("/api/trusts/16014/").json()["open_school_count"] == 1
    assert api.get("/api/local-authorities/202/").json()["region"] == "E12000007"
    assert api.get("/api/regions/E12000007/").json()["name"] == "London"
    assert [t["uid"] for t in api.get("/api/trusts/", {"q": "harb"}).json()["results"]] == ["16014"]


@pytest.mark.parametrize("count", [5, 50])
def test_the_schools_endpoint_runs_a_bounded_number_of_queries(
    api, count, django_assert_max_num_queries
):
    trust = TrustFactory()
    for each in SchoolFactory.create_batch(count, trust=trust):
        OfstedInspectionFactory(school=each)

    with django_assert_max_num_queries(6):
        response = api.get("/api/schools/", {"status": "open"})

    assert response.json()["count"] == count


def test_the_register_schema_generates_without_warnings():
    router = SimpleRouter()
    register_register_routes(router)
    GENERATOR_STATS.reset()

    schema = SchemaGenerator(patterns=[path("api/", include(router.urls))]).get_schema(
        request=None, public=True
    )

    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    assert "/api/schools/{urn}/inspections/" in schema["paths"]
