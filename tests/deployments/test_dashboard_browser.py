"""The dashboards in chromium: England with its regions side by side, a region,
and one figure followed to its list, which shows the same number."""

import re

import pytest

from tests.browser import BROWSER_MARKS
from tests.deployments.dashboard_world import build_dashboard_world

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_england_then_a_region_then_one_figure_to_its_list(live_server, browser_page):
    world = build_dashboard_world()
    page, base = browser_page, live_server.url
    page.goto(f"{base}/accounts/login/?next=/")
    page.fill("input[name=username]", world.admin.email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form button.govuk-button")
    page.wait_for_url(f"{base}/")

    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.wait_for_url(f"{base}/dashboard/")
    assert page.locator("h1").inner_text() == "England"
    table = page.locator("#by-region-table")
    assert table.get_by_role("link", name="North West").is_visible()
    assert table.get_by_role("link", name="London").is_visible()

    table.get_by_role("link", name="North West").click()
    page.wait_for_url(re.compile(r".*/dashboard/\?offer=\d+&region=North\+West$"))
    assert page.locator("h1").inner_text() == "North West"
    assert page.locator("svg[data-chart=deployments]").is_visible()

    figure = page.locator("#deployments-table tr", has_text="Engaged").locator("a[data-figure]")
    shown = figure.inner_text().split()[0]
    assert shown == "1"
    figure.click()
    page.wait_for_url(re.compile(r".*/deployments/\?.*state=engaged"))
    assert page.locator("#result-count").inner_text() == f"{shown} deployment"
    assert page.locator("tbody tr").count() == int(shown)
