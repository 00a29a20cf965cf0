"""In Debian's chromium: a parent raises a complaint on the public pages, confirms
their address, and the school's contact acknowledges and resolves it."""

import re

import pytest
from django.core import mail

from guarantees.choices import ComplaintState
from guarantees.models import Complaint
from portal.models import Role
from tests.browser import BROWSER_MARKS
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_a_parent_raises_a_complaint_and_the_school_resolves_it(
    live_server, browser_page, make_user, north_west, settings, annex_f_loaded
):
    settings.GUARANTEES_COMPLAINT_MIN_FILL_SECONDS = 0
    school = SchoolFactory(
        name="Brookside Primary School",
        phase="Primary",
        statutory_low_age=4,
        statutory_high_age=11,
        local_authority=LocalAuthorityFactory(region=north_west),
    )
    make_user(Role.SCHOOL_CONTACT, school=school, email="head@brookside.example",
              full_name="Hana Head")  # fmt: skip
    page = browser_page
    page.goto(f"{live_server.url}/complaints/new/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Which school is your complaint about?").fill(school.urn)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(re.compile(r"Pupil Guarantee \(a\): Good behaviour")).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(re.compile("prevent and tackle all forms of bullying")).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What happened?").fill("Bullying reported in October was never dealt with.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Parent", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your e-mail address").fill("pat@example.net")
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Check your answers before sending your complaint"
    page.get_by_role("button", name="Send complaint").click()
    reference = page.locator("[data-reference]").inner_text()
    complaint = Complaint.objects.get()
    assert reference == complaint.reference

    link = re.search(r"http\S+(/complaints/confirm/\S+/)", mail.outbox[0].body).group(1)
    page.goto(f"{live_server.url}{link}")
    page.get_by_role("button", name="Confirm and send my complaint").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Complaint sent to the school"

    page.goto(f"{live_server.url}/accounts/login/?next=/guarantees/complaints/")
    page.fill("input[name=username]", "head@brookside.example")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form button.govuk-button")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Acknowledge and start resolving").click()
    page.get_by_role("button", name="Acknowledge and start resolving").click()
    page.get_by_role("link", name="Record the school's resolution").click()
    page.get_by_label("Upheld", exact=True).check()
    page.get_by_label("Response to the complainant").fill("A new anti-bullying plan from Monday.")
    page.get_by_role("button", name="Record the school's resolution").click()
    assert page.locator("[data-state]").inner_text() == "Closed"
    assert "Resolution recorded." in page.content()
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.CLOSED and complaint.outcome == "upheld"
