"""The deployment's HTML pages: task list, section pages with autosave of
valid values, activity log, pause banner, enhanced support, print and XLSX."""

import datetime as dt
from io import BytesIO

import openpyxl
import pytest
from django.core import mail

from deployments.delivery.models import Deployment, DeploymentSection, EnhancedRequest
from deployments.delivery.services import deployment_section_save
from portal.overdue import workflow_notify_overdue
from portal.spreadsheets import safe_cell
from tests.deployments.delivery_fixtures import (
    ACCOUNT_NUMBER,
    SECTION_VALUES,
    SORT_CODE,
    make_cast,
    ready_to_sign,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_the_task_list_shows_a_status_per_section(client_for):
    cast = make_cast()
    deployment_section_save(
        cast.deployment, "details", user=cast.leader, data={"contact_name": "A"}
    )
    page = client_for(cast.leader).get(f"/deployments/{cast.deployment.pk}/").content.decode()
    assert "govuk-task-list" in page
    assert page.count("In progress") == 1
    assert page.count("Cannot start yet") == 5  # 3, 4, 6 before delivery; 7 and 8
    assert "Record the initial meeting" in page
    # The leader's declaration (7) comes before the school's confirmation (8).
    assert page.index("7. Declaration") < page.index("8. Supported school or trust confirmation")


def test_a_section_page_saves_valid_values_and_shows_errors_for_wrong_ones(client_for):
    cast = make_cast()
    client = client_for(cast.leader)
    url = f"/deployments/{cast.deployment.pk}/sections/details/"
    response = client.post(url, {"contact_name": "Ada Head", "contact_email": "not-an-email"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Enter an email address in the correct format" in response.content
    saved = DeploymentSection.objects.get(deployment=cast.deployment, key="details").data
    assert saved["contact_name"] == "Ada Head" and "contact_email" not in saved
    response = client.post(url, {"contact_name": "Ada Head"})
    assert response.status_code == 302  # missing fields are no error: come back later


def test_the_claim_page_shows_the_computed_amount_beside_the_days_logged(client_for):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    cast.deployment.refresh_from_db()
    deployment_section_save(cast.deployment, "claim", user=cast.leader, data={"days": "9.5"})
    page = client_for(cast.leader).get(f"/deployments/{cast.deployment.pk}/sections/claim/")
    assert "£5,700.00" in page.content.decode()  # money with thousands separators
    assert "Days logged in the activity log: 0." in page.content.decode()  # "0", not "0.0"


def test_the_activity_log_page_adds_an_activity_and_shows_the_running_total(client_for):
    cast = make_cast()
    client = client_for(cast.leader)
    url = f"/deployments/{cast.deployment.pk}/activities/"
    day = {"date_0": TODAY.day, "date_1": TODAY.month, "date_2": TODAY.year}
    response = client.post(
        url, {**day, "days": "1.5", "description": "Visit", "delivered_by": "", "mode": "remote"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Days logged: <strong>1.5</strong>" in page
    bad = client.post(url, {**day, "days": "0.2", "description": "x"})
    assert b"govuk-error-summary" in bad.content
    impossible = client.post(url, {"date_0": "31", "date_1": "2", "date_2": "2024", "days": "1",
                                   "description": "x"})  # fmt: skip
    assert "The date must be a real date" in impossible.content.decode()


@pytest.mark.parametrize(
    "path, field",
    [("activities/", "date"), ("initial_meeting_arranged/", "meeting_on")],
)
def test_dates_are_asked_as_day_month_and_year(client_for, path, field):
    cast = make_cast()
    page = client_for(cast.leader).get(f"/deployments/{cast.deployment.pk}/{path}")
    html = page.content.decode()
    assert "govuk-date-input" in html
    for part in ("0", "1", "2"):
        assert f'name="{field}_{part}"' in html


def test_a_paused_deployment_shows_a_banner_and_no_form(client_for):
    cast = make_cast()
    client_for(cast.staff).post(
        f"/deployments/{cast.deployment.pk}/pause/", {"reason": "Head on leave"}
    )
    cast.deployment.refresh_from_db()
    assert cast.deployment.is_paused
    client = client_for(cast.leader)
    page = client.get(f"/deployments/{cast.deployment.pk}/").content.decode()
    assert "paused and read-only" in page and "Record the initial meeting" not in page
    section = client.get(f"/deployments/{cast.deployment.pk}/sections/details/")
    assert b"Save and continue" not in section.content


def test_enhanced_support_is_asked_for_and_decided_in_the_browser_pages(client_for):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    response = client_for(cast.leader).post(
        f"/deployments/{cast.deployment.pk}/enhanced-support/",
        {"kind": "extension", "days": "3", "context": "Phonics", "school_agrees": "true"},
    )
    assert response.status_code == 302
    request = EnhancedRequest.objects.get()
    assert client_for(cast.rdp).post(
        f"/enhanced-requests/{request.pk}/rdp-forwards/", {"note": ""}
    ).status_code == 302  # fmt: skip
    declined = client_for(cast.staff).post(
        f"/enhanced-requests/{request.pk}/dfe-declines/", {"rationale": ""}
    )
    assert b"govuk-error-summary" in declined.content
    client_for(cast.staff).post(f"/enhanced-requests/{request.pk}/dfe-approves/", {})
    request.refresh_from_db()
    assert request.state == "approved"
    page = client_for(cast.leader).get(f"/enhanced-requests/{request.pk}/").content.decode()
    assert "Approved" in page


def test_the_export_has_one_sheet_per_section_with_bank_details_masked(client_for):
    cast = make_cast()
    for key in ("details", "bank_details"):
        deployment_section_save(cast.deployment, key, user=cast.leader, data=SECTION_VALUES[key])
    deployment_section_save(
        cast.deployment, "scope", user=cast.leader,
        data={"additional_details": "=HYPERLINK(\"http://evil\")"},
    )  # fmt: skip
    response = client_for(cast.rdp).get(f"/deployments/{cast.deployment.pk}/export.xlsx")
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames[:8] == [
        "1 School or trust details", "2 Scope and diagnostics", "3 Mid-engagement review",
        "4 Closure and next steps", "5 Bank details", "6 Payment claim",
        "7 Declaration", "8 Supported school or trust con",
    ]  # fmt: skip
    bank = {row[0]: row[1] for row in book["5 Bank details"].iter_rows(values_only=True)}
    assert bank["account_number_masked"] == "****6819"
    scope = {row[0]: row[1] for row in book["2 Scope and diagnostics"].iter_rows(values_only=True)}
    assert scope["additional_details"].startswith("'=")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell_neutralises_formula_starts(value):
    assert safe_cell(value) == "'" + value


def test_safe_cell_leaves_other_values_alone():
    assert safe_cell("Ada") == "Ada" and safe_cell(3) == 3


def test_the_print_view_shows_every_section(client_for):
    cast = make_cast()
    page = client_for(cast.contact).get(f"/deployments/{cast.deployment.pk}/print/")
    for number in range(1, 9):
        assert f'<h2 class="govuk-heading-m">{number}. ' in page.content.decode()


def test_an_overdue_step_is_e_mailed_once_and_a_paused_one_not(
    django_capture_on_commit_callbacks,
):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(due_on=TODAY - dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow_notify_overdue(today=TODAY) == 1
        assert workflow_notify_overdue(today=TODAY) == 0
    assert any(cast.leader.email in m.to and "Overdue" in m.subject for m in mail.outbox)
    other = make_cast()
    Deployment.objects.filter(pk=other.deployment.pk).update(
        due_on=TODAY - dt.timedelta(days=2), paused_at=dt.datetime.now(dt.UTC)
    )
    assert workflow_notify_overdue(today=TODAY) == 0


def test_the_programmes_page_lists_the_catalogue(client_for, make_user):
    page = client_for(make_user()).get("/programmes/").content.decode()
    assert "Approved DfE programmes" in page and "Research Schools Network" in page


def test_section_1_shows_the_register_facts_with_labels_and_links(client_for):
    cast = make_cast()
    school = cast.deployment.school
    school.headteacher = "Ada Lovelace"
    school.save()
    page = client_for(cast.leader).get(f"/deployments/{cast.deployment.pk}/sections/details/")
    html = page.content.decode()
    assert "Headteacher or chief executive" in html and "Ada Lovelace" in html
    assert "System leader" in html
    assert "Headteacherorceo" not in html and "Systemleadername" not in html
    assert f'href="/schools/{school.urn}/">{school.name}</a>' in html
    if school.trust_id:
        assert f'href="/schools/trusts/{school.trust.uid}/">{school.trust.name}</a>' in html


def test_the_leader_records_the_initial_meeting_with_a_day_month_and_year(client_for):
    cast = make_cast()
    url = f"/deployments/{cast.deployment.pk}/initial_meeting_arranged/"
    response = client_for(cast.leader).post(
        url, {"meeting_on_0": TODAY.day, "meeting_on_1": TODAY.month, "meeting_on_2": TODAY.year}
    )
    assert response.status_code == 302
    cast.deployment.refresh_from_db()
    assert cast.deployment.meeting_on == TODAY


def test_the_history_names_saved_fields_in_plain_words(client_for):
    cast = make_cast()
    deployment_section_save(
        cast.deployment,
        "details",
        user=cast.leader,
        data={"contact_name": "Ada Head", "contact_email": "ada@example.org"},
    )
    page = client_for(cast.leader).get(f"/deployments/{cast.deployment.pk}/").content.decode()
    assert "Contact name; Contact email address" in page
    assert "contact_name" not in page and "contact_email" not in page


# The school signs with the facts in view ---------------------------------------

SIGN = {"work_as_described": "true", "comments": "", "name": "Ada Head", "role": "Headteacher"}


def sign_page_url(cast):
    return f"/deployments/{cast.deployment.pk}/sections/school_confirmation/"


@pytest.mark.parametrize("who", ["contact", "trust_contact"])
def test_the_sign_off_page_shows_the_leaders_report_and_log_but_not_the_bank_details(
    client_for, who
):
    from tests.portal.factories import TrustContactFactory
    from tests.schools.factories import TrustFactory

    cast = make_cast()
    ready_to_sign(cast)
    school = cast.deployment.school
    school.trust = TrustFactory(name="Harbour Learning Trust")
    school.save(update_fields=["trust"])
    user = cast.contact if who == "contact" else TrustContactFactory(trust=school.trust)
    page = client_for(user).get(sign_page_url(cast)).content.decode()
    assert "What the system leader reported" in page
    for title in ("2. Scope", "3. Mid-engagement review", "4. Closure", "6. Payment claim"):
        assert title in page
    assert "Leaders now monitor teaching." in page and "Improvement plan in place." in page
    assert "Days claimed" in page and "9.5" in page and "Amount" in page
    assert "Coached the head on monitoring" in page and "Remote" in page
    assert "Bank details" not in page and "Name on the account" not in page
    assert "Leader Trust" not in page
    assert "Sort code" not in page and "Account number" not in page
    assert ACCOUNT_NUMBER not in page and SORT_CODE not in page
    assert page.index("What the system leader reported") < page.index("work_as_described")
    assert "Confirm and sign" in page and "Save and continue" not in page


def test_confirm_and_sign_saves_section_8_and_signs_in_one_post(
    client_for, django_capture_on_commit_callbacks
):
    cast = make_cast()
    ready_to_sign(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.contact).post(sign_page_url(cast), SIGN)
    assert response.status_code == 302
    cast.deployment.refresh_from_db()
    assert cast.deployment.state == "signed"
    saved = DeploymentSection.objects.get(deployment=cast.deployment, key="school_confirmation")
    assert saved.data["name"] == "Ada Head" and saved.data["work_as_described"] is True
    names = list(cast.deployment.timeline_events.values_list("name", flat=True))
    assert names[-2:] == ["section_saved", "school_signs_off"]
    assert [m.to for m in mail.outbox] == [[cast.leader.email]]


def test_an_invalid_confirm_and_sign_saves_nothing_and_shows_the_error_summary(client_for):
    cast = make_cast()
    ready_to_sign(cast)
    events = cast.deployment.timeline_events.count()
    response = client_for(cast.contact).post(sign_page_url(cast), {**SIGN, "role": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "Enter your role" in page
    assert "What the system leader reported" in page
    cast.deployment.refresh_from_db()
    assert cast.deployment.state == "school_sign_off"
    assert not DeploymentSection.objects.filter(
        deployment=cast.deployment, key="school_confirmation"
    ).exists()
    assert cast.deployment.timeline_events.count() == events


def test_before_the_leader_sends_the_form_the_page_says_when_signing_opens(client_for):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    page = client_for(cast.contact).get(sign_page_url(cast)).content.decode()
    assert "Signing opens when the system leader sends the form to you." in page
    assert "Confirm and sign" not in page
