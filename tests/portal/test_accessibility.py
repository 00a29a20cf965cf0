"""axe-core (WCAG 2.1 A and AA rules) finds no moderate, serious or critical
problems on the main pages, run in headless Debian chromium: the register and
eligibility pages, and every role's home page, dashboard, service navigation
and one record page per workflow it can open."""

import os
from pathlib import Path

import pytest

from portal.models import Role
from tests.browser import ARGS, CHROMIUM
from tests.deployments import case_world

world = case_world.world  # the support-case world, as a fixture of this module

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
    .filter(v => ['moderate', 'serious', 'critical'].includes(v.impact))
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
def test_main_pages_have_no_accessibility_violations(
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


STYLED = """() => getComputedStyle(document.querySelector('.govuk-header'))
  .backgroundColor !== 'rgba(0, 0, 0, 0)'"""
# Django's own admin site is not a GOV.UK page: its markup is Django's.
NOT_OURS = {"/admin/"}


def _role_pages(world, tasks) -> dict[str, tuple[object, list[str]]]:
    """Each role's user and the record pages it opens: a support case, a
    deployment and a claim where its work reaches them."""
    from deployments.models import Deployment, SupportCase
    from tests.deployments.factories import (
        DeploymentFactory,
        IssuedCaseFactory,
        SupportOfferFactory,
    )

    issued = world.case(
        SupportCase.State.DEPLOYMENT_ISSUED,
        school=world.school.__class__.objects.create(
            urn="990001", name="Fern Primary", local_authority=world.school.local_authority
        ),
    )
    deployment = DeploymentFactory(support_case=issued, system_leader=world.leader)
    nw_deployment = f"/deployments/{deployment.pk}/"
    claim = tasks["finance"].path
    contact = tasks["school_contact"].user
    # The contact's school has another offer year's deployment at their sign-off step.
    other_year = SupportOfferFactory(year=2024)
    signing = IssuedCaseFactory(school=contact.school, region=world.london, offer=other_year)
    sign_off = DeploymentFactory(
        support_case=signing, system_leader=signing.system_leader, state="school_sign_off"
    )
    leaders = Deployment.objects.filter(system_leader=world.leader).exclude(pk=deployment.pk)
    claimed_deployment = f"/deployments/{leaders.get().pk}/"
    return {
        "regions_staff": (world.regions_staff_in, [tasks["regions_staff"].path, nw_deployment]),
        "regional_director": (world.director_in, [tasks["regional_director"].path, nw_deployment]),
        "rdp": (world.rdp_in, [tasks["rdp"].path, nw_deployment]),
        "system_leader": (
            world.system_leader,
            [tasks["system_leader"].path, claimed_deployment, claim],
        ),
        "school_contact": (
            contact,
            [tasks["school_contact"].path, f"/deployments/{sign_off.pk}/"],
        ),
        "finance": (world.finance, [claim]),
        "admin": (world.admin, [tasks["regions_staff"].path, nw_deployment, claim]),
    }


@pytest.mark.django_db(transaction=True)
def test_every_roles_main_pages_have_no_accessibility_violations(live_server, world, monkeypatch):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from tests.deployments.journey_world import build_journey_world
    from web.selectors import navigation_for

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    roles = _role_pages(world, build_journey_world(world))
    pages = {}
    for role, (user, records) in roles.items():
        nav = [i["href"] for i in navigation_for(user, "/") if i["href"] not in NOT_OURS]
        pages[role] = (user, list(dict.fromkeys(nav + records)))
    problems, statuses, styled = {}, {}, {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(bypass_csp=True)
        for role, (user, paths) in pages.items():
            page.context.clear_cookies()
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", user.email)
            page.fill("input[name=password]", "pw-for-tests-1")
            page.click("form button.govuk-button")
            page.wait_for_url(f"{live_server.url}/")
            # axe judges the styled page: the GOV.UK stylesheet is loaded.
            styled[role] = page.evaluate(STYLED)
            for path in paths:
                response = page.goto(f"{live_server.url}{path}")
                if response.status != 200:
                    statuses[f"{role} {path}"] = response.status
                    continue
                page.add_script_tag(path=str(AXE))
                found = page.evaluate(RUN_AXE)
                if found:
                    problems[f"{role} {path}"] = found
        browser.close()
    connections.close_all()
    assert statuses == {}
    assert set(styled.values()) == {True}
    assert problems == {}
    # Each role saw its home page and its dashboard.
    assert all("/" in paths for _, paths in pages.values())
    assert all(
        "/dashboard/" in paths or "/dashboard/mine/" in paths
        for role, (_, paths) in pages.items()
        if role != "admin"
    )
