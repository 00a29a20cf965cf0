"""Headless Debian chromium, driven by Playwright, against the live portal."""

import pytest

from portal.models import Role
from tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_an_rdp_signs_in_and_sees_their_work_queue(live_server, browser_page, make_user, london):
    make_user(Role.RDP, regions=[london], email="lena@example.org", full_name="Lena Partner")
    page = browser_page
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "lena@example.org")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form button.govuk-button")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Your work"
    assert page.get_by_text("Deployment forms to quality-assure").is_visible()
    assert "Signed in as Lena Partner" in page.content()
    # GOV.UK Frontend styled the page: the header is the GOV.UK blue, not unstyled.
    header_bg = page.evaluate(
        "getComputedStyle(document.querySelector('.govuk-header')).backgroundColor"
    )
    assert header_bg == "rgb(29, 112, 184)"
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" in font


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_shows_the_error_summary_in_the_browser(
    live_server, browser_page, make_user
):
    make_user(Role.RDP, email="lena@example.org")
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "lena@example.org")
    page.fill("input[name=password]", "not-it")
    page.click("form button.govuk-button")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct email address and password." in summary.inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_progress_page_polls_until_the_job_finishes_then_shows_the_result(
    live_server, browser_page, make_user
):
    from playwright.sync_api import expect

    from portal.models import BackgroundJob
    from portal.services import job_start, job_succeed

    user = make_user(Role.REGIONS_STAFF, email="rhys@example.gov.uk")
    job = BackgroundJob.objects.create(kind="tests.manual", label="Slow import", created_by=user)
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/?next=/jobs/{job.pk}/")
    page.fill("input[name=username]", "rhys@example.gov.uk")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form button.govuk-button")
    page.wait_for_url(f"{live_server.url}/jobs/{job.pk}/")
    assert page.locator("[data-progress-status]").inner_text() == "Waiting to start"

    job_start(job=job)
    job.total = 50_000
    job.progress = 25_000
    job.save()
    # A locator wait, not wait_for_function: the page's CSP forbids eval.
    expect(page.locator("[data-progress-bar]")).to_have_attribute("aria-valuenow", "50")
    assert page.locator("[data-progress-status]").inner_text() == "In progress"
    assert page.locator("[data-progress-count]").inner_text() == "25,000 of 50,000"

    job_succeed(job=job, result={"result_url": "/"})
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Your work"


@pytest.mark.django_db(transaction=True)
def test_regions_staff_upload_a_gias_file_and_see_the_counts(
    live_server, browser_page, make_user, north_west, london
):
    from pathlib import Path

    from schools.models import School

    make_user(Role.REGIONS_STAFF, regions=[north_west], email="rhys@example.gov.uk")
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "edubasealldata20250115.csv"
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/?next=/schools/imports/new/")
    page.fill("input[name=username]", "rhys@example.gov.uk")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form button.govuk-button")
    page.wait_for_url("**/schools/imports/new/")
    page.get_by_label("GIAS establishments (edubasealldata)").check()
    page.set_input_files("input[type=file]", str(fixture))
    page.locator("form button.govuk-button").click()
    page.wait_for_url("**/schools/imports/*/")
    assert "Finished" in page.locator("[data-progress-status]").inner_text()
    assert "6 schools" in page.locator("[data-count=created]").inner_text()
    assert School.objects.count() == 6
