"""A system leader withdraws from a deployment and Regions Group staff match
the school again, in Debian's chromium: the case is back at "identified",
the withdrawn leader is no candidate, and the proposal goes straight to the
other leader (the school's confirmation stands)."""

import datetime as dt

import pytest

from deployments.delivery.models import Deployment
from deployments.delivery.services import activity_create
from deployments.matching.models import SupportCase
from tests.browser import BROWSER_MARKS
from tests.deployments.factories import DeploymentFactory

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_a_leader_withdraws_and_the_school_is_matched_again(live_server, browser_page, world):
    page, base = browser_page, live_server.url
    case = world.case(SupportCase.State.DEPLOYMENT_ISSUED)
    deployment = DeploymentFactory(support_case=case, system_leader=world.leader)
    activity_create(
        deployment,
        user=world.system_leader,
        date=dt.date.today() - dt.timedelta(days=2),
        days="1.5",
        description="First visit",
    )

    def sign_in_as(user, then="/"):
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/?next={then}")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", "pw-for-tests-1")
        page.click("form button.govuk-button")
        page.wait_for_url(f"{base}{then}")

    # The system leader withdraws, with the facts and what happens next in view.
    deployment_path = f"/deployments/{deployment.pk}/"
    sign_in_as(world.system_leader, deployment_path)
    page.get_by_role("link", name="Withdraw from this deployment").click()
    page.wait_for_url(f"{base}{deployment_path}system-leader-withdraws/")
    assert page.locator("dt", has_text="Days logged").is_visible()
    assert page.get_by_role("heading", name="What happens next").is_visible()
    page.get_by_label("Why are you withdrawing?").fill("I have been asked to lead a second trust.")
    page.locator("form button.govuk-button").click()
    page.wait_for_url(f"{base}{deployment_path}")
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert "Withdrawn" in page.locator("h1 + p").inner_text()

    # Regions Group staff find the case back at "identified" and propose another leader.
    case_path = f"/cases/{case.pk}/"
    sign_in_as(world.regions_staff_in, case_path)
    assert "Identified" in page.locator("h1 + p").inner_text()
    assert page.locator("[data-earlier-deployments]").is_visible()
    # The only candidate left is the other leader: the withdrawn one is never listed.
    rows = page.locator("[data-candidates] tbody tr")
    assert rows.count() == 1
    assert world.second_leader.user.full_name in rows.first.inner_text()
    page.locator("[data-candidates] a", has_text="Propose").first.click()
    page.get_by_role("button", name="Propose a system leader").click()
    page.wait_for_url(f"{base}{case_path}")
    assert "System leader check" in page.locator("h1 + p").inner_text()

    case.refresh_from_db()
    assert case.state == SupportCase.State.SYSTEM_LEADER_CHECK
    assert case.system_leader == world.second_leader
    assert Deployment.objects.get(pk=deployment.pk).state == "withdrawn"
