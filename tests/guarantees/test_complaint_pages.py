"""The staff pages for complaints and the reports: the same permissions as the
API, refusals as 403/404, each step one page, exports safe to open."""

import csv
import io

import pytest

from guarantees.choices import ComplaintState, Outcome
from guarantees.models import Entitlement
from portal.models import Role
from tests.guarantees.factories import (
    ComplaintFactory,
    GoverningBodyComplaintFactory,
    ResolvingComplaintFactory,
    SchoolStageExhaustedComplaintFactory,
)
from tests.schools.factories import SchoolFactory


def _who(kind, request, make_user):
    if kind == "other_contact":
        return make_user(Role.SCHOOL_CONTACT, school=SchoolFactory())
    if kind == "admin":
        return make_user(Role.ADMIN)
    return request.getfixturevalue(kind)


@pytest.mark.parametrize(
    "kind, detail, acknowledge, ombudsman",
    [
        ("contact", 200, 200, 403),
        ("trust_contact", 200, 200, 403),
        ("other_trust_contact", 404, 404, 404),
        ("nw_staff", 200, 403, 200),
        ("london_staff", 404, 404, 404),
        ("other_contact", 404, 404, 404),
        ("rdp", 403, 403, 403),
        ("system_leader", 403, 403, 403),
        ("admin", 403, 403, 403),
    ],
)
@pytest.mark.django_db
def test_who_may_open_a_complaint_and_its_steps(
    kind, detail, acknowledge, ombudsman, request, make_user, client_for, nw_school
):
    received = ComplaintFactory(school=nw_school)
    exhausted = SchoolStageExhaustedComplaintFactory(school=nw_school)
    client = client_for(_who(kind, request, make_user))
    assert client.get(f"/guarantees/complaints/{received.pk}/").status_code == detail
    assert (
        client.get(f"/guarantees/complaints/{received.pk}/acknowledge/").status_code == acknowledge
    )
    step = f"/guarantees/complaints/{exhausted.pk}/refer-to-ombudsman/"
    assert client.get(step).status_code == ombudsman


@pytest.mark.django_db
def test_a_step_too_early_is_a_409_page_and_vexatious_needs_a_reason(
    client_for, contact, nw_school, nw_staff
):
    early = GoverningBodyComplaintFactory(school=nw_school)
    page = client_for(nw_staff).get(f"/guarantees/complaints/{early.pk}/refer-to-ombudsman/")
    assert page.status_code == 409
    assert "only after the school stage" in page.content.decode()
    client = client_for(contact)
    url = f"/guarantees/complaints/{early.pk}/mark-vexatious/"
    missing = client.post(url, {"reason": ""})
    assert missing.status_code == 200 and "govuk-error-summary" in missing.content.decode()
    done = client.post(url, {"reason": "The same complaint for the fifth time."})
    assert done.status_code == 302
    early.refresh_from_db()
    assert early.vexatious and early.state == ComplaintState.CLOSED


@pytest.mark.django_db
def test_the_complaint_page_shows_only_the_steps_this_user_may_take(
    client_for, contact, nw_staff, nw_school
):
    complaint = ResolvingComplaintFactory(school=nw_school)
    contact_page = (
        client_for(contact).get(f"/guarantees/complaints/{complaint.pk}/").content.decode()
    )
    assert 'data-transition="school_resolves"' in contact_page
    assert 'data-transition="refer_to_governing_body"' in contact_page
    assert complaint.complainant_email in contact_page
    staff_page = (
        client_for(nw_staff).get(f"/guarantees/complaints/{complaint.pk}/").content.decode()
    )
    assert 'data-transition="school_resolves"' not in staff_page
    assert 'data-transition="withdraw"' in staff_page


@pytest.mark.django_db
def test_a_school_contact_records_a_paper_complaint_on_the_page(client_for, contact, nw_school):
    entitlement = Entitlement.objects.first()
    client = client_for(contact)
    assert client.get("/guarantees/complaints/record/").status_code == 200
    bad = client.post("/guarantees/complaints/record/", {"school": nw_school.pk})
    assert bad.status_code == 400 and "govuk-error-summary" in bad.content.decode()
    response = client.post(
        "/guarantees/complaints/record/",
        {
            "school": nw_school.pk,
            "entitlements": [entitlement.pk],
            "description": "Letter received.",
            "relationship": "carer",
            "name": "Chris Carer",
        },
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_paper_form_is_refused_to_those_who_cannot_record(client_for, rdp, make_user):
    assert client_for(rdp).get("/guarantees/complaints/record/").status_code == 403
    assert (
        client_for(make_user(Role.ADMIN)).get("/guarantees/complaints/record/").status_code == 403
    )


@pytest.mark.django_db
def test_erasure_on_the_page(client_for, contact, nw_school, london_staff):
    complaint = ComplaintFactory(school=nw_school)
    url = f"/guarantees/complaints/{complaint.pk}/erase/"
    assert client_for(london_staff).get(url).status_code == 404
    assert client_for(contact).post(url, {"note": "Asked by phone"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.complainant_email == "" and complaint.erased_at


@pytest.mark.django_db
def test_reports_count_by_region_and_export_safely(
    client_for, nw_staff, nw_school, london_school, make_user
):
    ComplaintFactory(school=nw_school, outcome=Outcome.UPHELD, state=ComplaintState.CLOSED)
    ComplaintFactory(school=nw_school)
    ComplaintFactory(school=london_school)
    nw_school.name = '=HYPERLINK("http://evil.example")'
    nw_school.save()
    client = client_for(nw_staff)
    page = client.get("/guarantees/reports/?by=school")
    assert page.status_code == 200
    rows = list(csv.reader(io.StringIO(
        client.get("/guarantees/reports/export.csv?by=school").content.decode())))  # fmt: skip
    assert len(rows) == 2  # header and the one North West school: not London's
    assert rows[1][1].startswith("'=")
    assert rows[1][2] == "2"
    xlsx = client.get("/guarantees/reports/export.xlsx?table=entitlements")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    coverage = client.get("/guarantees/reports/export.csv?table=coverage").content.decode()
    assert "North West" in coverage and "London" not in coverage
    assert client_for(make_user(Role.SCHOOL_CONTACT)).get("/guarantees/reports/").status_code == 403


@pytest.mark.django_db
def test_the_django_admin_never_shows_the_complainants_details(client, admin_user, nw_school):
    complaint = ComplaintFactory(school=nw_school, complainant_email="pat@example.net")
    client.force_login(admin_user)
    page = client.get(f"/admin/guarantees/complaint/{complaint.pk}/change/")
    assert page.status_code == 200
    assert complaint.reference in page.content.decode()
    assert "pat@example.net" not in page.content.decode()
    assert complaint.description not in page.content.decode()


def test_the_rate_limit_uses_the_address_our_proxy_saw(rf, settings):
    from guarantees.views_public import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"
    settings.GUARANTEES_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.9"
