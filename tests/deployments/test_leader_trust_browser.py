"""The system leader's profile in Debian's chromium: Regions Group staff pick the
trust a MAT CEO leads by name from the register's autocomplete, and a leader adds a
trust with a conflict of interest on "My profile" the same way."""

import os

import pytest
from django.urls import reverse

from deployments.delivery.models import Deployment
from tests.browser import BROWSER_MARKS
from tests.deployments.delivery_fixtures import make_cast
from tests.deployments.factories import SystemLeaderFactory
from tests.deployments.test_delivery_browser import sign_in
from tests.schools.factories import TrustFactory

pytestmark = BROWSER_MARKS


@pytest.fixture
def axe_page(browser_page):
    """A page that lets axe-core be injected (the portal's CSP rightly refuses it)."""
    return browser_page.context.browser.new_page(
        bypass_csp=True, viewport={"width": 1280, "height": 900}
    )


def axe(page) -> list:
    from tests.portal.test_accessibility import AXE, RUN_AXE

    if not AXE.exists():
        return []
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def pick(page, selector, typed, expected):
    field = page.locator(selector)
    assert field.get_attribute("class").startswith("autocomplete__input")
    field.click()
    page.keyboard.type(typed)
    option = page.locator(".autocomplete__option:not(.autocomplete__option--no-results)")
    option.first.wait_for()
    assert option.all_inner_texts() == [expected]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def screenshot(page, name):
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], name), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_the_trust_is_picked_by_name_on_both_profile_pages(
    live_server, axe_page, regions_staff, north_west
):
    leader = SystemLeaderFactory(regions=[north_west], user__full_name="Nora Northwest")
    harbour = TrustFactory(name="Harbour Academy Trust", uid="16014")
    riverside = TrustFactory(name="Riverside Learning Partnership", uid="17020")
    page, base = axe_page, live_server.url

    sign_in(page, base, regions_staff.email)
    page.goto(base + reverse("deployments:leader-edit", args=[leader.pk]))
    page.check("#id_kind_1")  # MAT CEO
    page.fill("#id_school_urn", "")
    assert axe(page) == []
    pick(page, "#id_trust_uid", "harb", "Harbour Academy Trust (16014)")
    screenshot(page, "leader-edit-trust.png")
    page.click("button:has-text('Save profile')")
    page.wait_for_url(base + reverse("deployments:leader-detail", args=[leader.pk]))
    leader.refresh_from_db()
    assert (leader.kind, leader.trust) == ("mat_ceo", harbour)

    sign_in(page, base, leader.user.email)
    page.goto(base + reverse("deployments:my-profile"))
    assert axe(page) == []
    pick(page, "#id_conflict_trust_add", "river", "Riverside Learning Partnership (17020)")
    screenshot(page, "my-profile-conflict-trust.png")
    page.click("button:has-text('Save profile')")
    page.wait_for_url(base + reverse("deployments:my-profile"))
    assert list(leader.conflict_trusts.all()) == [riverside]


@pytest.mark.django_db(transaction=True)
def test_the_closure_reason_is_revealed_under_no(live_server, axe_page):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    page, base = axe_page, live_server.url
    sign_in(page, base, cast.leader.email)
    page.goto(f"{base}/deployments/{cast.deployment.pk}/sections/closure/")
    reason = page.locator("#id_not_completed_reason")
    assert not reason.is_visible()
    # GOV.UK Frontend sets aria-expanded on a radio that reveals a question, which
    # axe's aria-allowed-attr refuses: a known issue the Design System keeps on
    # purpose (screen readers announce it; alphagov/govuk-frontend#979). Nothing else.
    found = axe(page)
    assert all(
        f.startswith("aria-allowed-attr:") and "all_activities_completed" in f for f in found
    ), found
    assert page.locator("#id_all_activities_completed_1").get_attribute("aria-expanded") == "false"
    page.check("#id_all_activities_completed_1")  # No
    assert reason.is_visible()
    assert page.get_by_text("Needed when not all planned activities were completed").is_visible()
    screenshot(page, "closure-reason-revealed.png")
    page.check("#id_all_activities_completed_0")  # Yes
    assert not reason.is_visible()
