"""axe-core (WCAG 2.1 A and AA rules) finds no serious or critical problems on
the main pages, run in headless Debian chromium."""

import os
from pathlib import Path

import pytest

from portal.models import Role
from tests.browser import ARGS, CHROMIUM

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci installs it)"),
]

RUN_AXE = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  const where = (v) => v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ');
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.help + ' -> ' + where(v));
}"""


@pytest.fixture
def register(db, north_west):
    from deployments.services import eligibility_recompute
    from tests.deployments.factories import SupportOfferFactory
    from tests.deployments.helpers import RI, add_inspections
    from tests.schools.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

    offer = SupportOfferFactory()
    school = SchoolFactory(
        urn="135088",
        name="Daffenby School",
        trust=TrustFactory(uid="10001"),
        local_authority=LocalAuthorityFactory(region=north_west),
    )
    add_inspections(school, [("2019-06-19", RI), ("2021-11-22", RI), ("2024-03-13", RI)])
    eligibility_recompute(offer=offer)
    return school


PAGES = [
    "/",
    "/schools/",
    "/schools/?q=daff&phase=Primary",
    "/schools/135088/",
    "/schools/trusts/",
    "/schools/trusts/10001/",
    "/eligibility/",
    "/eligibility/schools/135088/",
    "/eligibility/exceptions/",
    "/eligibility/exceptions/new/",
    "/schools/imports/",
    "/schools/imports/new/",
    "/outcomes/",
    "/outcomes/?region=Atlantis",
    "/forecast/",
]
# /api/docs/ is Swagger UI's own page for developers, rendered by its script after
# load; its colour contrast and controls are Swagger's, not ours.


@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_serious_accessibility_violations(
    live_server, make_user, north_west, register, monkeypatch
):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    make_user(Role.REGIONS_STAFF, regions=[north_west], email="rhys@example.gov.uk")
    problems = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # axe is injected as an inline script, which the CSP rightly refuses.
        page = browser.new_page(bypass_csp=True)
        page.goto(f"{live_server.url}/accounts/login/")
        page.click("form button.govuk-button")  # empty form: the error summary state
        page.add_script_tag(path=str(AXE))
        problems["/accounts/login/ (errors)"] = page.evaluate(RUN_AXE)
        page.fill("input[name=username]", "rhys@example.gov.uk")
        page.fill("input[name=password]", "pw-for-tests-1")
        page.click("form button.govuk-button")
        page.wait_for_url(f"{live_server.url}/")
        for path in PAGES:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            page.add_script_tag(path=str(AXE))
            problems[path] = page.evaluate(RUN_AXE)
        browser.close()
    assert {path: found for path, found in problems.items() if found} == {}
