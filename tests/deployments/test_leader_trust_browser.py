"""The system leader's profile in Debian's chromium: Regions Group staff pick the
trust a MAT CEO leads by name from the register's autocomplete, and a leader adds a
trust with a conflict of interest on "My profile" the same way."""

import os

import pytest
from django.urls import reverse

from tests.browser import BROWSER_MARKS
from tests.deployments.factories import SystemLeaderFactory
from tests.deployments.test_delivery_browser import sign_in
from tests.schools.factories import TrustFactory

pytestmark = BROWSER_MARKS


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
    live_server, browser_page, regions_staff, north_west
):
    leader = SystemLeaderFactory(regions=[north_west], user__full_name="Nora Northwest")
    harbour = TrustFactory(name="Harbour Academy Trust", uid="16014")
    riverside = TrustFactory(name="Riverside Learning Partnership", uid="17020")
    page, base = browser_page, live_server.url

    sign_in(page, base, regions_staff.email)
    page.goto(base + reverse("deployments:leader-edit", args=[leader.pk]))
    page.check("#id_kind_1")  # MAT CEO
    page.fill("#id_school_urn", "")
    pick(page, "#id_trust_uid", "harb", "Harbour Academy Trust (16014)")
    screenshot(page, "leader-edit-trust.png")
    page.click("button:has-text('Save profile')")
    page.wait_for_url(base + reverse("deployments:leader-detail", args=[leader.pk]))
    leader.refresh_from_db()
    assert (leader.kind, leader.trust) == ("mat_ceo", harbour)

    sign_in(page, base, leader.user.email)
    page.goto(base + reverse("deployments:my-profile"))
    pick(page, "#id_conflict_trust_add", "river", "Riverside Learning Partnership (17020)")
    screenshot(page, "my-profile-conflict-trust.png")
    page.click("button:has-text('Save profile')")
    page.wait_for_url(base + reverse("deployments:my-profile"))
    assert list(leader.conflict_trusts.all()) == [riverside]
