"""The eligibility list's "support pipeline" says where each school or trust stands in
matching: not yet matched, or its latest support case's state, on the page, the
detail page, the exports and the API alike."""

import datetime as dt

import pytest
from django.utils import timezone

from deployments.matching.models import SupportCase
from deployments.models import EligibilityAssessment
from deployments.services import eligibility_recompute
from tests.deployments.factories import (
    EligibilityAssessmentFactory,
    SupportCaseFactory,
)
from tests.deployments.helpers import IN_YEAR, INADEQUATE, add_inspections
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(offer, north_west):
    """Two eligible North West schools: one with a withdrawn case then an open one, one
    with none."""
    la = LocalAuthorityFactory(region=north_west)
    matched = SchoolFactory(name="Matched School", local_authority=la)
    waiting = SchoolFactory(name="Waiting School", local_authority=la)
    for school in (matched, waiting):
        add_inspections(school, [(IN_YEAR, INADEQUATE)])
    eligibility_recompute(offer=offer)
    assessment = EligibilityAssessment.objects.current().get(school=matched)
    earlier = timezone.now() - dt.timedelta(days=30)
    SupportCaseFactory(eligibility=assessment, state=SupportCase.State.WITHDRAWN)
    SupportCase.objects.update(opened_at=earlier)
    SupportCaseFactory(eligibility=assessment, state=SupportCase.State.IDENTIFIED)
    return matched, waiting


def test_the_list_shows_the_latest_case_or_not_yet_matched(client_for, regions_staff, rows):
    body = client_for(regions_staff).get("/eligibility/").content.decode()
    matched_row, waiting_row = (
        body[body.index(name) :].split("</tr>")[0] for name in ("Matched School", "Waiting School")
    )
    assert "Support case: Identified" in matched_row
    assert "Withdrawn" not in matched_row
    assert "Not yet matched" in waiting_row


def test_the_detail_page_export_and_api_agree(client_for, api_client_for, regions_staff, rows):
    matched, waiting = rows
    client = client_for(regions_staff)
    detail = client.get(f"/eligibility/schools/{matched.urn}/").content.decode()
    assert "Support case: Identified" in detail
    csv_body = client.get("/eligibility/export.csv").content.decode()
    line = next(row for row in csv_body.splitlines() if row.startswith("Matched School"))
    assert "Support case: Identified" in line
    api = api_client_for(regions_staff).get("/api/eligibility/").json()["results"]
    by_name = {row["school_name"]: row for row in api}
    assert by_name["Matched School"]["pipeline_status"] == "Support case: Identified"
    assert by_name["Waiting School"]["pipeline_status"] == "Not yet matched"


def test_a_trust_row_follows_the_trusts_own_case(offer, north_west):
    from deployments.selectors import assessment_list

    trust = TrustFactory()
    trust_row = EligibilityAssessmentFactory(
        offer=offer, school=None, trust=trust, region=north_west
    )
    school_row = EligibilityAssessmentFactory(offer=offer, school=SchoolFactory(trust=trust))
    SupportCaseFactory(eligibility=trust_row, state=SupportCase.State.DEPLOYMENT_ISSUED)

    statuses = {a.pk: a.pipeline_status for a in assessment_list(filters={"status": "all"})}

    assert statuses[trust_row.pk] == "Support case: Deployment issued"
    assert statuses[school_row.pk] == "Not yet matched"
    # A row read without the list's annotation asks once, with the same answer.
    assert EligibilityAssessment.objects.get(pk=trust_row.pk).pipeline_status == (
        "Support case: Deployment issued"
    )
