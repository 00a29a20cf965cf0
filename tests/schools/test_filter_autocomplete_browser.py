"""The trust filter's autocomplete in a real browser: suggestions from the JSON endpoint,
picked with the keyboard, submitted as an ordinary GET filter."""

import pytest

from portal.models import Role
from tests.browser import BROWSER_MARKS
from tests.schools.factories import SchoolFactory, TrustFactory

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_a_trust_picked_from_the_suggestions_filters_the_schools(
    live_server,
    browser_page,
    make_user,
):
    make_user(Role.REGIONS_STAFF, email="rhys@example.gov.uk")
    harbour = TrustFactory(name="Harbour Academy Trust", uid="16014")
    SchoolFactory(name="Harbour Primary", trust=harbour)
    SchoolFactory(name="Elsewhere Primary", trust=TrustFactory(name="Other Trust", uid="20001"))
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/?next=/schools/")
    page.fill("input[name=username]", "rhys@example.gov.uk")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form button.govuk-button")
    page.wait_for_url("**/schools/")

    trust = page.locator("#id_trust")
    assert trust.get_attribute("class").startswith("autocomplete__input")
    assert "id_trust-hint" in trust.get_attribute("aria-describedby")
    trust.click()
    page.keyboard.type("harb")
    option = page.locator(".autocomplete__option:not(.autocomplete__option--no-results)")
    option.first.wait_for()
    assert option.all_inner_texts() == ["Harbour Academy Trust (16014)"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.click("button:has-text('Apply filters')")
    page.wait_for_url("**/schools/?*trust=*")

    assert page.locator("#result-count").inner_text() == "1 school"
    assert page.get_by_role("link", name="Harbour Primary").is_visible()
    assert page.input_value("#id_trust") == "Harbour Academy Trust (16014)"
