"""The enhanced-support form in Debian's chromium: choosing a kind reveals its own
questions, and the partner trust is picked by name from the register's autocomplete."""

import os

import pytest

from deployments.delivery.models import Deployment, EnhancedRequest
from tests.browser import BROWSER_MARKS
from tests.deployments.delivery_fixtures import make_cast
from tests.deployments.test_delivery_browser import sign_in
from tests.schools.factories import TrustFactory

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_choosing_a_kind_reveals_its_questions_and_the_trust_is_picked_by_name(
    live_server, browser_page
):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    harbour = TrustFactory(name="Harbour Academy Trust", uid="16014")
    page, base = browser_page, live_server.url
    sign_in(page, base, cast.leader.email)
    page.goto(f"{base}/deployments/{cast.deployment.pk}/enhanced-support/")

    days, benefit = page.locator("#id_days"), page.locator("#id_benefit")
    assert not days.is_visible() and not benefit.is_visible()
    page.check("#id_kind_0")  # Extension days
    assert days.is_visible() and not benefit.is_visible()
    assert page.locator("#id_kind_0").get_attribute("aria-expanded") == "true"
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(
            path=os.path.join(os.environ["SCREENSHOT_DIR"], "enhanced-form.png"), full_page=True
        )

    page.check("#id_kind_1")  # Funded trust partnership
    assert benefit.is_visible() and not days.is_visible()
    page.click("button:has-text('Send the request')")  # nothing answered yet
    assert page.locator(".govuk-error-summary").is_visible()
    assert benefit.is_visible() and not days.is_visible()  # the chosen kind stays open
    page.click(".govuk-error-summary a[href='#id_benefit']")
    assert page.evaluate("document.activeElement.id") == "id_benefit"
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(
            path=os.path.join(os.environ["SCREENSHOT_DIR"], "enhanced-errors.png"), full_page=True
        )
    page.fill("#id_benefit", "A strong trust nearby")
    page.check("#id_funded_school_agrees_1")
    trust = page.locator("#id_funded_trust")
    assert trust.get_attribute("class").startswith("autocomplete__input")
    trust.click()
    page.keyboard.type("harb")
    option = page.locator(".autocomplete__option:not(.autocomplete__option--no-results)")
    option.first.wait_for()
    assert option.all_inner_texts() == ["Harbour Academy Trust (16014)"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.click("button:has-text('Send the request')")
    page.wait_for_url(f"{base}/deployments/{cast.deployment.pk}/")
    request = EnhancedRequest.objects.get()
    assert (request.kind, request.suggested_trust) == ("funded_partnership", harbour)
