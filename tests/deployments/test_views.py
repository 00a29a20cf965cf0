"""Eligibility pages, exports and forms, for the right roles only."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from deployments.models import Criterion, EligibilityAssessment, ExceptionRequest
from deployments.services import eligibility_recompute
from portal.models import BackgroundJob, Role
from tests.deployments.factories import ExceptionRequestFactory
from tests.deployments.helpers import IN_YEAR, INADEQUATE, RI, add_inspections
from tests.schools.factories import SchoolFactory, TrustFactory


@pytest.fixture
def computed(offer, nw_school, london_school):
    add_inspections(nw_school, [("2020-01-01", RI), ("2022-01-01", RI), (IN_YEAR, RI)])
    add_inspections(london_school, [(IN_YEAR, INADEQUATE)])
    eligibility_recompute(offer=offer)


def test_list_defaults_to_the_users_region(client_for, regions_staff, computed, nw_school):
    response = client_for(regions_staff).get("/eligibility/")
    body = response.content.decode()
    assert response.status_code == 200
    assert nw_school.name in body and "3RI" in body
    assert "Not yet matched" in body
    assert "Eligible schools and trusts in North West" in body


def test_list_filters_by_criterion_and_region(client_for, system_leader, computed, london_school):
    client = client_for(system_leader)
    body = client.get("/eligibility/?criterion=B").content.decode()
    assert london_school.name in body
    body = client.get(f"/eligibility/?criterion=A&region={london_school.region_id}").content
    assert b"No schools or trusts match" in body


def test_list_sorts_and_paginates_keeping_the_filters(client_for, system_leader, offer):
    for i in range(55):
        add_inspections(SchoolFactory(name=f"School {i:02d}"), [(IN_YEAR, INADEQUATE)])
    eligibility_recompute(offer=offer)
    response = client_for(system_leader).get("/eligibility/?criterion=B&sort=name&page=2")
    body = response.content.decode()
    assert "School 54" in body and "School 00" not in body
    assert "criterion=B&amp;sort=name&amp;page=1" in body


def test_list_query_count_does_not_grow_with_rows(
    client_for, system_leader, offer, django_assert_max_num_queries
):
    for _ in range(20):
        add_inspections(SchoolFactory(trust=TrustFactory()), [(IN_YEAR, INADEQUATE)])
    eligibility_recompute(offer=offer)
    client = client_for(system_leader)
    with django_assert_max_num_queries(15):
        client.get("/eligibility/")


def test_csv_and_xlsx_exports_follow_the_filters(client_for, system_leader, computed, nw_school):
    client = client_for(system_leader)
    csv_body = client.get(f"/eligibility/export.csv?region={nw_school.region_id}").content
    lines = csv_body.decode().strip().splitlines()
    assert lines[0].startswith("Name,URN or group UID")
    assert len(lines) == 2 and nw_school.urn in lines[1] and "3RI" in lines[1]

    response = client.get("/eligibility/export.xlsx?region=")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "Name" and len(rows) == 3


def test_detail_page_explains_eligibility(client_for, school_contact, computed, nw_school):
    body = client_for(school_contact).get(f"/eligibility/schools/{nw_school.urn}/").content
    assert b"Eligible: 3 consecutive Requires improvement judgements, latest inspection" in body


def test_summary_include_renders_for_a_school_and_a_trust(computed, nw_school):
    from django.template.loader import render_to_string

    html = render_to_string("deployments/_eligibility_summary.html", {"school": nw_school})
    assert "latest inspection 12 October 2023" in html
    trust = TrustFactory()
    html = render_to_string("deployments/_eligibility_summary.html", {"trust": trust})
    assert "The trust itself is not eligible" in html


def test_anonymous_user_is_sent_to_sign_in(client, computed):
    assert client.get("/eligibility/").status_code == 302


# ---------------------------------------------------------------- RD assessments


def _rd_post(urn, **extra):
    data = {
        "target_kind": "school",
        "urn": urn,
        "assessed_on_0": "1",
        "assessed_on_1": "11",
        "assessed_on_2": "2023",
        "reason": "Headteacher left; governors report serious concerns.",
    }
    data.update(extra)
    return data


def test_regional_director_records_an_assessment(client_for, regional_director, offer, nw_school):
    response = client_for(regional_director).post(
        "/eligibility/rd-assessments/new/", _rd_post(nw_school.urn)
    )
    assert response.status_code == 302
    row = EligibilityAssessment.objects.get(school=nw_school)
    assert row.criterion == Criterion.RD_ASSESSMENT
    assert row.rd_assessment.assessed_by == regional_director
    assert row.rd_assessment.assessed_on == dt.date(2023, 11, 1)


def test_rd_assessment_form_shows_errors_and_keeps_input(client_for, regional_director, offer):
    response = client_for(regional_director).post(
        "/eligibility/rd-assessments/new/",
        _rd_post("12", reason=""),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Enter a URN of 6 digits" in body
    assert "Enter why this school or trust needs immediate support" in body
    assert 'value="12"' in body
    assert not EligibilityAssessment.objects.exists()


def test_rd_assessment_dated_outside_any_offer_year_is_refused_with_a_message(
    client_for, regional_director, offer, nw_school
):
    response = client_for(regional_director).post(
        "/eligibility/rd-assessments/new/", _rd_post(nw_school.urn, assessed_on_2="2022")
    )
    assert "There is no TSI offer for the academic year" in response.content.decode()


def test_rd_of_another_region_is_refused(client_for, make_user, london, offer, nw_school):
    london_director = make_user(Role.REGIONAL_DIRECTOR, regions=[london])
    response = client_for(london_director).post(
        "/eligibility/rd-assessments/new/", _rd_post(nw_school.urn)
    )
    assert response.status_code == 403
    assert not EligibilityAssessment.objects.exists()


@pytest.mark.parametrize("role", ["regions_staff", "rdp", "system_leader", "school_contact"])
def test_only_regional_directors_see_the_rd_form(client_for, request, role, offer):
    user = request.getfixturevalue(role)
    assert client_for(user).get("/eligibility/rd-assessments/new/").status_code == 403


# ---------------------------------------------------------------- exceptions


def test_regional_team_requests_and_regions_staff_approve(
    client_for, make_user, regions_staff, north_west, offer, nw_school
):
    rdp = make_user(Role.RDP, regions=[north_west])
    response = client_for(rdp).post(
        "/eligibility/exceptions/new/",
        {
            "target_kind": "school",
            "urn": nw_school.urn,
            "source": "regional",
            "reason": "Results collapsed this summer.",
        },
    )
    assert response.status_code == 302
    exception_request = ExceptionRequest.objects.get()

    client = client_for(regions_staff)
    page = client.get(f"/eligibility/exceptions/{exception_request.pk}/")
    assert b"Save decision" in page.content
    url = f"/eligibility/exceptions/{exception_request.pk}/"
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    exception_request.refresh_from_db()
    assert exception_request.status == ExceptionRequest.Status.APPROVED
    assert EligibilityAssessment.objects.get(school=nw_school).criterion == Criterion.EXCEPTION


def test_school_contact_can_self_identify_only_for_their_own_school(
    client_for, school_contact, offer
):
    own = school_contact.school
    other = SchoolFactory()
    client = client_for(school_contact)
    data = {"target_kind": "school", "source": "self", "reason": "We need help."}
    assert (
        client.post("/eligibility/exceptions/new/", {**data, "urn": other.urn}).status_code == 403
    )
    assert client.post("/eligibility/exceptions/new/", {**data, "urn": own.urn}).status_code == 302


def test_decline_needs_a_note(client_for, regions_staff, offer, nw_school):
    exception_request = ExceptionRequestFactory(offer=offer, school=nw_school)
    response = client_for(regions_staff).post(
        f"/eligibility/exceptions/{exception_request.pk}/", {"decision": "decline"}
    )
    assert b"Enter why the request is declined" in response.content
    exception_request.refresh_from_db()
    assert exception_request.is_pending


@pytest.mark.parametrize("role", ["regional_director", "rdp"])
def test_only_regions_staff_of_the_region_approve(client_for, request, role, offer, nw_school):
    exception_request = ExceptionRequestFactory(offer=offer, school=nw_school)
    user = request.getfixturevalue(role)
    response = client_for(user).post(
        f"/eligibility/exceptions/{exception_request.pk}/", {"decision": "approve"}
    )
    assert response.status_code in (403, 404)
    exception_request.refresh_from_db()
    assert exception_request.is_pending


def test_regions_staff_of_another_region_cannot_see_or_approve(
    client_for, make_user, london, offer, nw_school
):
    exception_request = ExceptionRequestFactory(offer=offer, school=nw_school)
    london_staff = make_user(Role.REGIONS_STAFF, regions=[london])
    client = client_for(london_staff)
    assert client.get(f"/eligibility/exceptions/{exception_request.pk}/").status_code == 404
    url = f"/eligibility/exceptions/{exception_request.pk}/"
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 404


# ---------------------------------------------------------------- recompute


def test_regions_staff_start_a_recompute_and_land_on_its_progress_page(
    client_for, regions_staff, offer, nw_school, django_capture_on_commit_callbacks
):
    add_inspections(nw_school, [(IN_YEAR, INADEQUATE)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(regions_staff).post("/eligibility/recompute/", {"offer": offer.pk})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == BackgroundJob.Status.SUCCEEDED  # eager Celery in tests
    assert job.result["created"] == 1
    page = client_for(regions_staff).get(f"/jobs/{job.pk}/")
    assert b"portal-progress" in page.content


@pytest.mark.parametrize("role", ["regional_director", "rdp", "system_leader", "school_contact"])
def test_other_roles_cannot_start_a_recompute(client_for, request, role, offer):
    user = request.getfixturevalue(role)
    assert client_for(user).post("/eligibility/recompute/", {"offer": offer.pk}).status_code == 403
    assert not BackgroundJob.objects.exists()
