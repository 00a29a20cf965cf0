"""Spend per region and offer: committed, claimed, approved and paid, each
claim figure linking to the claims behind it."""

from decimal import Decimal

import pytest

from deployments.claims.services import claim_approve, claim_create_for_deployment
from deployments.delivery.models import PartnershipGrant
from tests.deployments.claim_fixtures import accepted_deployment, current_offer, finance
from tests.deployments.factories import DeploymentFactory

pytestmark = pytest.mark.django_db


def test_spend_adds_up_per_region_and_offer_and_links_to_the_claims(api_client_for):
    reviewer = finance()
    offer = current_offer()
    north = accepted_deployment(days="10", extension="2", offer=offer)
    claim_approve(claim_create_for_deployment(deployment_id=north.deployment.pk), user=reviewer)
    pending = accepted_deployment(days="9.5", offer=offer)
    claim_create_for_deployment(deployment_id=pending.deployment.pk)
    london = accepted_deployment(region_name="London", days="10", offer=offer)
    claim_create_for_deployment(deployment_id=london.deployment.pk)
    DeploymentFactory(state="withdrawn", support_case__offer=offer)  # not committed

    body = api_client_for(reviewer).get("/api/spend/").json()
    rows = {r["region"]: r for r in body["rows"]}
    nw = rows["North West"]
    # 2 deployments x 10 core days x £600 + 2 extension days x £600
    assert nw["committed"] == "13200.00"
    assert (nw["claimed"], nw["approved"], nw["paid"]) == ("11700.00", "6000.00", "0.00")
    assert rows["London"]["claimed"] == "6000.00"
    assert body["totals"]["claimed"] == "17700.00"
    year = offer.academic_year.replace("/", "%2F")
    assert nw["links"]["approved"] == (
        f"/claims/?region=North+West&offer={year}&state=approved%2Cpaid"
    )
    listed = (
        api_client_for(reviewer)
        .get(
            "/api/claims/",
            {"region": "North West", "offer": offer.academic_year, "state": "approved,paid"},
        )
        .json()
    )
    assert [c["amount"] for c in listed["results"]] == ["6000.00"]


def test_committed_includes_partnership_grants(api_client_for):
    from deployments.delivery.models import EnhancedRequest
    from tests.schools.factories import TrustFactory

    cast = accepted_deployment()
    request = EnhancedRequest.objects.create(
        deployment=cast.deployment,
        kind="funded_partnership",
        state="approved",
        requested_by=cast.leader,
    )
    import datetime as dt

    PartnershipGrant.objects.create(
        enhanced_request=request,
        partner_trust=TrustFactory(),
        starts_on=dt.date.today(),
        ends_on=dt.date.today() + dt.timedelta(days=365),
        months=12,
        total=Decimal("10000.00"),
    )
    body = api_client_for(finance()).get("/api/spend/").json()
    assert body["rows"][0]["committed"] == "16000.00"


def test_the_spend_page_links_each_claim_figure_to_the_queue(client_for):
    cast = accepted_deployment()
    claim_create_for_deployment(deployment_id=cast.deployment.pk)
    page = client_for(finance()).get("/spend/").content.decode()
    assert "£6,000.00" in page
    assert 'href="/claims/?region=North+West&amp;offer=' in page
