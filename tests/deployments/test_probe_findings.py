"""The holes a probe found in the eligibility workflow, each closed: Admin takes
no case decision, case records are read only by their readers, exports cannot
carry formulas, and bad input is a 400 or a form error, never a 500."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from deployments.models import Criterion, EligibilityAssessment, ExceptionRequest
from deployments.services import exception_request_decide, rd_assessment_record
from portal.models import BackgroundJob, Role
from tests.deployments.factories import ExceptionRequestFactory
from tests.deployments.helpers import IN_YEAR, INADEQUATE, add_inspections
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

BIG = "9" * 20

# ---------------------------------------------------------------- Admin decides no case


@pytest.mark.parametrize(
    "path,body",
    [
        ("/api/rd-assessments/", {"reason": "x", "assessed_on": "2023-11-02"}),
        ("/api/exception-requests/", {"source": "regional", "reason": "x"}),
    ],
)
def test_admin_cannot_open_a_case(api_client_for, admin_user, offer, london_school, path, body):
    response = api_client_for(admin_user).post(
        path, {"school_urn": london_school.urn, **body}, format="json"
    )
    assert response.status_code == 403
    assert not EligibilityAssessment.objects.exists()
    assert not ExceptionRequest.objects.exists()


def test_admin_cannot_use_the_rd_assessment_form(client_for, admin_user, offer, london_school):
    assert client_for(admin_user).get("/eligibility/rd-assessments/new/").status_code == 403


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_admin_cannot_decide_an_exception_request(
    api_client_for, admin_user, offer, london_school, decision
):
    exception_request = ExceptionRequestFactory(offer=offer, school=london_school)
    url = f"/api/exception-requests/{exception_request.pk}/{decision}/"
    response = api_client_for(admin_user).post(url, {"note": "n"}, format="json")
    assert response.status_code == 403
    exception_request.refresh_from_db()
    assert exception_request.is_pending


def test_admin_cannot_decide_an_exception_request_on_its_page(
    client_for, admin_user, offer, london_school
):
    exception_request = ExceptionRequestFactory(offer=offer, school=london_school)
    url = f"/eligibility/exceptions/{exception_request.pk}/"
    client = client_for(admin_user)
    assert b"Save decision" not in client.get(url).content
    assert client.post(url, {"decision": "approve"}).status_code == 403
    exception_request.refresh_from_db()
    assert exception_request.is_pending


def test_admin_reads_every_case_record_and_keeps_the_django_admin(
    api_client_for, client_for, admin_user, offer, nw_school, london_school
):
    ExceptionRequestFactory(offer=offer, school=nw_school)
    ExceptionRequestFactory(offer=offer, school=london_school)
    assert api_client_for(admin_user).get("/api/exception-requests/").json()["count"] == 2
    assert client_for(admin_user).get("/admin/deployments/supportoffer/").status_code == 200


# ---------------------------------------------------------------- who reads case records


def _assess(director, offer, school):
    return rd_assessment_record(
        user=director,
        offer=offer,
        school=school,
        reason="Board in crisis.",
        assessed_on=dt.date(2023, 11, 1),
    )


@pytest.fixture
def recorded(offer, nw_school, regional_director):
    """An RD assessment of a North West school."""
    return _assess(regional_director, offer, nw_school)


@pytest.mark.parametrize(
    "role,sees",
    [
        ("regions_staff", True),
        ("regional_director", True),
        ("admin_user", True),
        ("rdp", False),
        ("system_leader", False),
        ("finance_user", False),
        ("school_contact", False),
    ],
)
def test_rd_assessments_are_read_by_their_readers_only(
    api_client_for, request, recorded, role, sees
):
    assessment = recorded
    client = api_client_for(request.getfixturevalue(role))
    listed = client.get("/api/rd-assessments/")
    detail = client.get(f"/api/rd-assessments/{assessment.pk}/")
    if sees:
        assert [row["id"] for row in listed.json()["results"]] == [assessment.pk]
        assert detail.json()["reason"] == "Board in crisis."
    else:
        assert listed.status_code == 403 or listed.json()["count"] == 0
        assert detail.status_code in (403, 404)


def test_the_schools_own_contact_reads_its_rd_assessment(api_client_for, make_user, recorded):
    assessment = recorded
    contact = make_user(Role.SCHOOL_CONTACT, school=assessment.school)
    assert api_client_for(contact).get(f"/api/rd-assessments/{assessment.pk}/").status_code == 200


def test_the_trusts_contact_reads_the_rd_assessment_of_its_school(
    api_client_for, make_user, offer, regional_director, north_west
):
    trust = TrustFactory()
    school = SchoolFactory(trust=trust, local_authority=LocalAuthorityFactory(region=north_west))
    assessment = _assess(regional_director, offer, school)
    contact = make_user(Role.SCHOOL_CONTACT, trust=trust)
    assert api_client_for(contact).get(f"/api/rd-assessments/{assessment.pk}/").status_code == 200
    stranger = make_user(Role.SCHOOL_CONTACT, trust=TrustFactory())
    assert api_client_for(stranger).get(f"/api/rd-assessments/{assessment.pk}/").status_code == 404


def test_eligibility_evidence_hides_the_reason_and_names_from_other_readers(
    api_client_for, client_for, system_leader, regions_staff, recorded
):
    assessment = recorded
    path = f"/api/eligibility/?school={assessment.school.urn}"
    hidden = api_client_for(system_leader).get(path).json()["results"][0]["evidence"]
    shown = api_client_for(regions_staff).get(path).json()["results"][0]["evidence"]
    assert "reason" not in hidden and "assessed_by" not in hidden
    assert shown["reason"] == "Board in crisis."

    page = f"/eligibility/schools/{assessment.school.urn}/"
    assert b"Board in crisis." not in client_for(system_leader).get(page).content
    assert b"Board in crisis." in client_for(regions_staff).get(page).content


def test_exception_requests_of_a_region_are_not_read_by_its_rdp(
    api_client_for, make_user, offer, nw_school, north_west
):
    ExceptionRequestFactory(offer=offer, school=nw_school)
    rdp = make_user(Role.RDP, regions=[north_west])
    assert api_client_for(rdp).get("/api/exception-requests/").json()["count"] == 0


def test_a_requester_reads_their_own_exception_request(
    api_client_for, make_user, offer, nw_school, north_west
):
    rdp = make_user(Role.RDP, regions=[north_west])
    mine = ExceptionRequestFactory(offer=offer, school=nw_school, requested_by=rdp)
    response = api_client_for(rdp).get(f"/api/exception-requests/{mine.pk}/")
    assert response.status_code == 200


# ---------------------------------------------------------------- exports


@pytest.fixture
def formula_school(offer, north_west):
    school = SchoolFactory(
        name='=HYPERLINK("http://evil.example","Click")',
        local_authority=LocalAuthorityFactory(region=north_west),
    )
    add_inspections(school, [(IN_YEAR, INADEQUATE)])
    from deployments.services import eligibility_recompute

    eligibility_recompute(offer=offer)
    return school


def test_the_csv_export_writes_a_formula_as_text(client_for, regions_staff, formula_school):
    body = client_for(regions_staff).get("/eligibility/export.csv?region=").content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][0] == "'" + formula_school.name


def test_the_xlsx_export_writes_a_formula_as_text(client_for, regions_staff, formula_school):
    content = client_for(regions_staff).get("/eligibility/export.xlsx?region=").content
    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert cell.value == formula_school.name
    assert cell.data_type == "s"  # text, not "f" (a formula)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("offer_value", ["abc", [1], {"a": 1}, 1.5, True, 0, -1, int(BIG)])
def test_recompute_refuses_an_offer_that_is_not_an_id(
    api_client_for, regions_staff, offer, offer_value
):
    response = api_client_for(regions_staff).post(
        "/api/eligibility/recompute/", {"offer": offer_value}, format="json"
    )
    assert response.status_code == 400
    assert "offer" in response.json()
    assert not BackgroundJob.objects.exists()


def test_recompute_of_an_unknown_offer_is_400(api_client_for, regions_staff, offer):
    response = api_client_for(regions_staff).post(
        "/api/eligibility/recompute/", {"offer": offer.pk + 1}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("param", ["offer", "region"])
@pytest.mark.parametrize("value", [BIG, "abc", "1.5", "-1"])
def test_eligibility_filters_refuse_what_is_not_an_id(api_client_for, regions_staff, param, value):
    response = api_client_for(regions_staff).get(f"/api/eligibility/?{param}={value}")
    assert response.status_code == 400
    assert param in response.json()


@pytest.mark.parametrize("part", [0, 1, 2])
def test_the_rd_form_answers_a_20_digit_date_part_with_a_message(
    client_for, regional_director, offer, nw_school, part
):
    from tests.deployments.test_views import _rd_post

    response = client_for(regional_director).post(
        "/eligibility/rd-assessments/new/", _rd_post(nw_school.urn, **{f"assessed_on_{part}": BIG})
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not EligibilityAssessment.objects.exists()


def test_the_rd_form_answers_an_impossible_date_with_a_message(
    client_for, regional_director, offer, nw_school
):
    from tests.deployments.test_views import _rd_post

    response = client_for(regional_director).post(
        "/eligibility/rd-assessments/new/",
        _rd_post(nw_school.urn, assessed_on_0="31", assessed_on_1="2"),
    )
    assert "The date must be a real date" in response.content.decode()


# ---------------------------------------------------------------- the multi-academy-trust flag


def test_an_approved_exception_for_a_school_in_a_mat_goes_through_the_trust_ceo(
    regions_staff, offer, north_west
):
    school = SchoolFactory(
        trust=TrustFactory(), local_authority=LocalAuthorityFactory(region=north_west)
    )
    exception_request = ExceptionRequestFactory(offer=offer, school=school)
    exception_request_decide(exception_request=exception_request, user=regions_staff, approve=True)
    row = EligibilityAssessment.objects.get(school=school, criterion=Criterion.EXCEPTION)
    assert row.through_trust_ceo is True
    assert ExceptionRequest.objects.get().status == ExceptionRequest.Status.APPROVED
