"""Support for schools in a trust goes through the Trust CEO: opening a case for
one school of a trust that already has an open case (for another of its schools
or for the trust itself) warns on the open-case page, linking to the open
cases; the API keeps opening the case and shows `trust_open_cases` (ids) on a
case's detail, to the regional team and Admin only."""

import pytest

from deployments.matching.selectors import trust_open_cases
from deployments.models import SupportCase
from tests.deployments.factories import (
    DeploymentFactory,
    EligibilityAssessmentFactory,
    SupportCaseFactory,
)
from tests.portal.factories import TrustContactFactory
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

S = SupportCase.State


@pytest.fixture
def sibling(world):
    """Another North West school of the same trust, eligible and with no case yet."""
    school = SchoolFactory(
        name="Birch Academy",
        trust=world.trust,
        local_authority=LocalAuthorityFactory(region=world.north_west),
    )
    return EligibilityAssessmentFactory(offer=world.offer, school=school, region=world.north_west)


def open_page(client, eligibility):
    return client.get(f"/cases/open/?eligibility={eligibility.pk}").content.decode()


def test_the_open_case_page_warns_and_links_to_the_trusts_open_case(world, client_for, sibling):
    existing = world.case(S.WITH_RDP)
    html = open_page(client_for(world.regions_staff_in), sibling)
    assert "govuk-warning-text" in html and "data-trust-open-cases" in html
    assert "Harbour Learning Trust already has 1 open support case." in html
    assert f'href="/cases/{existing.pk}/"' in html and "Ashby Primary" in html


def test_no_warning_when_the_trust_has_no_open_case(world, client_for, sibling):
    world.case(S.WITHDRAWN)
    world.case(S.DECLINED)
    assert "data-trust-open-cases" not in open_page(client_for(world.regions_staff_in), sibling)


def test_a_case_for_the_trust_itself_counts(world, client_for, sibling):
    trust_case = SupportCaseFactory(
        eligibility=EligibilityAssessmentFactory(
            offer=world.offer, school=None, trust=world.trust, region=world.north_west
        )
    )
    html = open_page(client_for(world.regions_staff_in), sibling)
    assert f'href="/cases/{trust_case.pk}/"' in html


def test_an_issued_case_counts_while_its_deployment_is_open(world):
    case = world.case(S.DEPLOYMENT_ISSUED)
    deployment = DeploymentFactory(support_case=case, system_leader=case.system_leader)
    other = world.case(S.IDENTIFIED, school=SchoolFactory(trust=world.trust))
    assert list(trust_open_cases(other)) == [case]
    deployment.state = "closed"
    deployment.save()
    assert list(trust_open_cases(other)) == []


def test_a_case_in_another_region_is_named_but_not_linked_for_staff_who_cannot_see_it(
    world, client_for, sibling
):
    london_school = SchoolFactory(
        name="Thames Primary",
        trust=world.trust,
        local_authority=LocalAuthorityFactory(region=world.london),
    )
    london_case = SupportCaseFactory(
        eligibility=EligibilityAssessmentFactory(
            offer=world.offer, school=london_school, region=world.london
        )
    )
    html = open_page(client_for(world.regions_staff_in), sibling)
    assert f"Support case {london_case.pk}: Thames Primary" in html
    assert f'href="/cases/{london_case.pk}/"' not in html


def test_a_school_outside_any_trust_gets_no_warning(world, client_for):
    alone = SchoolFactory(local_authority=LocalAuthorityFactory(region=world.north_west))
    eligibility = EligibilityAssessmentFactory(offer=world.offer, school=alone)
    world.case(S.WITH_RDP)
    assert "data-trust-open-cases" not in open_page(client_for(world.regions_staff_in), eligibility)


def test_the_api_still_opens_the_case_and_shows_the_trusts_open_cases(
    world, api_client_for, sibling
):
    existing = world.case(S.WITH_RDP)
    api = api_client_for(world.regions_staff_in)
    created = api.post("/api/support-cases/", {"eligibility": sibling.pk}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "identified" and body["trust_open_cases"] == [existing.pk]
    assert api.get(f"/api/support-cases/{body['id']}/").json()["trust_open_cases"] == [existing.pk]
    assert api.get(f"/api/support-cases/{existing.pk}/").json()["trust_open_cases"] == [body["id"]]
    listed = api.get("/api/support-cases/").json()["results"]
    assert all("trust_open_cases" not in row for row in listed)


ACTORS = ("regions_staff_in", "director_in", "rdp_in", "admin", "trust_contact", "contact")


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_regional_team_and_admin_read_trust_open_cases(world, api_client_for, actor):
    world.users["trust_contact"] = TrustContactFactory(trust=world.trust)
    other = world.case(S.WITH_RDP, school=SchoolFactory(trust=world.trust))
    case = world.case(S.MATCH_CONFIRMATION)
    body = api_client_for(world.users[actor]).get(f"/api/support-cases/{case.pk}/").json()
    if actor in ("contact", "trust_contact"):
        assert "trust_open_cases" not in body
    else:
        assert body["trust_open_cases"] == [other.pk]
