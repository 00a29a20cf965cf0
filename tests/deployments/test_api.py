"""The eligibility API: reads with filters, writes with the same permissions as the UI."""

import pytest

from deployments.models import Criterion, EligibilityAssessment, ExceptionRequest
from deployments.services import eligibility_recompute
from portal.models import BackgroundJob, Role
from tests.deployments.factories import ExceptionRequestFactory
from tests.deployments.helpers import IN_YEAR, INADEQUATE, RI, add_inspections
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory


@pytest.fixture
def computed(offer, nw_school, london_school):
    add_inspections(nw_school, [("2021-01-01", RI), (IN_YEAR, RI)])
    add_inspections(london_school, [(IN_YEAR, INADEQUATE)])
    eligibility_recompute(offer=offer)


def test_offers_are_readable_by_any_signed_in_user(api_client_for, school_contact, offer):
    data = api_client_for(school_contact).get("/api/offers/").json()
    assert data["results"][0]["day_rate"] == "600.00"
    assert data["results"][0]["instalment_amount"] == "5000.00"


def test_anonymous_cannot_read(client, computed):
    assert client.get("/api/eligibility/").status_code in (401, 403)


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", {"A", "B"}),
        ("?criterion=A", {"A"}),
        ("?criterion=B", {"B"}),
        ("?status=no_longer", set()),
    ],
)
def test_assessments_filter(api_client_for, system_leader, computed, query, expected):
    data = api_client_for(system_leader).get(f"/api/eligibility/{query}").json()
    assert {row["criterion"] for row in data["results"]} == expected


def test_assessments_filter_by_region_and_offer(
    api_client_for, system_leader, computed, offer, london_school
):
    client = api_client_for(system_leader)
    rows = client.get(f"/api/eligibility/?region={london_school.region_id}&offer={offer.pk}")
    rows = rows.json()["results"]
    assert [r["school_urn"] for r in rows] == [london_school.urn]
    assert rows[0]["explanation"] == "Eligible: Inadequate judgement, inspection 12 October 2023"
    assert client.get("/api/eligibility/?offer=999").json()["count"] == 0


def test_bad_filter_is_a_400(api_client_for, system_leader, computed):
    assert api_client_for(system_leader).get("/api/eligibility/?criterion=Z").status_code == 400


def test_list_query_count_is_bounded(
    api_client_for, system_leader, offer, django_assert_max_num_queries
):
    for _ in range(20):
        add_inspections(SchoolFactory(trust=TrustFactory()), [(IN_YEAR, INADEQUATE)])
    eligibility_recompute(offer=offer)
    client = api_client_for(system_leader)
    with django_assert_max_num_queries(8):
        assert client.get("/api/eligibility/").json()["count"] == 20


# ---------------------------------------------------------------- RD assessments


def test_rd_posts_an_assessment_for_their_region(
    api_client_for, regional_director, offer, nw_school
):
    response = api_client_for(regional_director).post(
        "/api/rd-assessments/",
        {"school_urn": nw_school.urn, "reason": "Urgent.", "assessed_on": "2023-11-02"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["assessed_by"] == regional_director.full_name
    assert EligibilityAssessment.objects.get(school=nw_school).criterion == Criterion.RD_ASSESSMENT


def test_rd_assessment_for_a_date_with_no_offer_is_400(
    api_client_for, regional_director, offer, nw_school
):
    response = api_client_for(regional_director).post(
        "/api/rd-assessments/",
        {"school_urn": nw_school.urn, "reason": "x", "assessed_on": "2019-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "no TSI offer" in response.json()["assessed_on"][0]


def test_rd_assessment_validation_errors_are_400(api_client_for, regional_director, offer):
    response = api_client_for(regional_director).post(
        "/api/rd-assessments/", {"school_urn": "12", "reason": ""}, format="json"
    )
    assert response.status_code == 400
    assert {"school_urn", "reason"} <= set(response.json())


def test_rd_of_another_region_is_refused(api_client_for, make_user, london, offer, nw_school):
    director = make_user(Role.REGIONAL_DIRECTOR, regions=[london])
    response = api_client_for(director).post(
        "/api/rd-assessments/", {"school_urn": nw_school.urn, "reason": "x"}, format="json"
    )
    assert response.status_code == 403
    assert not EligibilityAssessment.objects.exists()


@pytest.mark.parametrize("role", ["regions_staff", "rdp", "system_leader", "school_contact"])
def test_other_roles_cannot_post_rd_assessments(api_client_for, request, role, offer, nw_school):
    user = request.getfixturevalue(role)
    response = api_client_for(user).post(
        "/api/rd-assessments/", {"school_urn": nw_school.urn, "reason": "x"}, format="json"
    )
    assert response.status_code == 403


def test_rd_assessment_of_a_trust_uses_the_region_of_its_schools(
    api_client_for, regional_director, offer, north_west
):
    trust = TrustFactory()
    SchoolFactory(trust=trust, local_authority=LocalAuthorityFactory(region=north_west))
    response = api_client_for(regional_director).post(
        "/api/rd-assessments/",
        {"trust_uid": trust.uid, "reason": "Weak board.", "assessed_on": "2024-01-10"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert EligibilityAssessment.objects.get(trust=trust).region == north_west


# ---------------------------------------------------------------- exceptions


def test_exception_request_then_approval(
    api_client_for, regional_director, regions_staff, offer, nw_school
):
    created = api_client_for(regional_director).post(
        "/api/exception-requests/",
        {"school_urn": nw_school.urn, "source": "regional", "reason": "Falling results."},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    approved = api_client_for(regions_staff).post(f"/api/exception-requests/{pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert EligibilityAssessment.objects.get(school=nw_school).criterion == Criterion.EXCEPTION
    again = api_client_for(regions_staff).post(f"/api/exception-requests/{pk}/approve/")
    assert again.status_code == 409
    assert again.json() == {"detail": "This request has already been decided.", "state": "approved"}


@pytest.mark.parametrize("role", ["regional_director", "rdp", "system_leader", "school_contact"])
def test_only_regions_staff_approve(api_client_for, request, role, offer, nw_school):
    exception_request = ExceptionRequestFactory(offer=offer, school=nw_school)
    user = request.getfixturevalue(role)
    response = api_client_for(user).post(f"/api/exception-requests/{exception_request.pk}/approve/")
    assert response.status_code in (403, 404)
    exception_request.refresh_from_db()
    assert exception_request.status == ExceptionRequest.Status.PENDING


def test_regions_staff_of_another_region_cannot_approve(
    api_client_for, make_user, london, offer, nw_school
):
    exception_request = ExceptionRequestFactory(offer=offer, school=nw_school)
    staff = make_user(Role.REGIONS_STAFF, regions=[london])
    url = f"/api/exception-requests/{exception_request.pk}/approve/"
    response = api_client_for(staff).post(url)
    assert response.status_code == 404
    exception_request.refresh_from_db()
    assert exception_request.is_pending


def test_decline_needs_a_note(api_client_for, regions_staff, offer, nw_school):
    exception_request = ExceptionRequestFactory(offer=offer, school=nw_school)
    client = api_client_for(regions_staff)
    url = f"/api/exception-requests/{exception_request.pk}/decline/"
    assert client.post(url).status_code == 400
    response = client.post(
        f"/api/exception-requests/{exception_request.pk}/decline/", {"note": "Meets no need."}
    )
    assert response.json()["status"] == "declined"


def test_system_leader_cannot_request_an_exception(api_client_for, system_leader, offer, nw_school):
    response = api_client_for(system_leader).post(
        "/api/exception-requests/",
        {"school_urn": nw_school.urn, "source": "regional", "reason": "x"},
        format="json",
    )
    assert response.status_code == 403


# ---------------------------------------------------------------- recompute


def test_recompute_returns_a_job_to_poll(
    api_client_for, regions_staff, offer, nw_school, django_capture_on_commit_callbacks
):
    add_inspections(nw_school, [(IN_YEAR, INADEQUATE)])
    client = api_client_for(regions_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/eligibility/recompute/", {"offer": offer.pk}, format="json")
    assert response.status_code == 202
    job_id = response.json()["job_id"]
    polled = client.get(response.json()["poll_url"]).json()
    assert polled["id"] == job_id and polled["status"] == "succeeded"
    assert polled["result"]["created"] == 1


@pytest.mark.parametrize("role", ["regional_director", "rdp", "system_leader", "school_contact"])
def test_other_roles_cannot_start_a_recompute(api_client_for, request, role, offer):
    user = request.getfixturevalue(role)
    response = api_client_for(user).post("/api/eligibility/recompute/", format="json")
    assert response.status_code == 403
    assert not BackgroundJob.objects.exists()
