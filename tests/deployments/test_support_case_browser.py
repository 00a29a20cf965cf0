"""One support case walked in chromium from an eligible school to an issued
deployment, each partner signing in for their own step."""

import pytest

from deployments.models import Deployment, SupportCase
from tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_a_case_walks_from_eligible_to_deployment_issued_in_the_browser(
    live_server, browser_page, world
):
    page = browser_page
    base = live_server.url

    def sign_in_as(user, then="/"):
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/?next={then}")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", "pw-for-tests-1")
        page.click("form button.govuk-button")
        page.wait_for_url(f"{base}{then}")

    def take_step(transition, fill=None, check=(), facts=()):
        page.click(f"[data-transition={transition}]")
        page.wait_for_url(f"**/{transition.replace('_', '-')}/")
        for label in facts:  # decides with the facts in view
            assert page.locator("dt", has_text=label).is_visible(), label
        for label, value in (fill or {}).items():
            page.get_by_label(label).fill(value)
        for label in check:
            page.get_by_label(label).check()
        page.locator("form button.govuk-button").click()
        page.wait_for_url(f"{base}{case_path}")
        assert page.locator(".govuk-notification-banner--success").is_visible()

    # Regions Group staff open the case from the eligibility page and propose the top candidate.
    sign_in_as(world.regions_staff_in, f"/eligibility/schools/{world.school.urn}/")
    page.get_by_role("link", name="Open a support case").click()
    page.get_by_role("button", name="Open a support case").click()
    page.wait_for_url(f"{base}/cases/*/")
    case = SupportCase.objects.get()
    case_path = f"/cases/{case.pk}/"
    assert "Works in North West" in page.locator("[data-candidates]").inner_text()
    page.locator("[data-candidates] a", has_text="Propose").first.click()
    page.get_by_label("Note for the RDP (optional)").fill("Strong primary leader nearby.")
    page.get_by_role("button", name="Propose a system leader").click()
    page.wait_for_url(f"{base}{case_path}")
    assert "With the RDP" in page.locator("h1 + p").inner_text()

    # The RDP finds it on their home page and records contacting the school.
    sign_in_as(world.rdp_in)
    page.get_by_role("link", name="Ashby Primary: Contact the school or trust").click()
    take_step("rdp_contacts_school", {"Note (optional)": "Spoke to the head."})

    # The school confirms, with context for the system leader.
    sign_in_as(world.contact, case_path)
    take_step(
        "school_confirms",
        {"Anything about the school's context the system leader should know (optional)": "Newly"},
    )

    # The system leader accepts from their requests.
    sign_in_as(world.system_leader)
    page.get_by_role("link", name="Ashby Primary: Confirm you can support").click()
    take_step(
        "system_leader_accepts",
        facts=("Headteacher", "Latest inspection", "Distance from you", "Days", "Timing"),
        check=(
            "I have the capacity to deliver these days in the timing shown",
            "I have no conflict of interest with this school or its trust",
        ),
    )

    # The school accepts the match; the Regional Director approves it.
    sign_in_as(world.contact, case_path)
    take_step("school_accepts_match")
    sign_in_as(world.director_in)
    page.get_by_role("link", name="Ashby Primary: Approve the match").click()
    take_step("director_approves")

    # The RDP issues the deployment.
    sign_in_as(world.rdp_in, case_path)
    take_step("issue_deployment")
    assert "Deployment issued" in page.locator("h1 + p").inner_text()
    assert page.locator("[data-transitions]").count() == 0
    deployment = Deployment.objects.get(support_case=case)
    assert page.locator("[data-deployment]").inner_text() == f"Deployment {deployment.pk}"
    case.refresh_from_db()
    assert case.state == SupportCase.State.DEPLOYMENT_ISSUED
    assert case.system_leader == world.leader
