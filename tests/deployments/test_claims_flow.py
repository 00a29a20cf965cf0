"""From the RDP's acceptance to "paid" through the contract's API, and the
finance user's home page."""

import pytest

from deployments.claims.models import Claim
from portal.models import Role
from tests.deployments.claim_fixtures import accepted_deployment, finance
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_claim_goes_from_the_rdps_acceptance_to_paid_through_the_api(
    api_client_for, django_capture_on_commit_callbacks
):
    cast = accepted_deployment(state="submitted", days="9.5")
    rdp = UserFactory(role=Role.RDP, regions=[cast.region])
    with django_capture_on_commit_callbacks(execute=True):
        r = api_client_for(rdp).post(
            f"/api/deployments/{cast.deployment.pk}/rdp-accepts/", {}, format="json"
        )
    assert r.status_code == 200
    reviewer = api_client_for(finance())
    (claim,) = reviewer.get("/api/claims/", {"state": "pending_review"}).json()["results"]
    assert (claim["amount"], claim["days"], claim["flags"]) == ("5700.00", "9.5", [])
    assert reviewer.post(f"/api/claims/{claim['id']}/approve/", {}).json()["state"] == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        run = reviewer.post("/api/payment-runs/", {}, format="json").json()
    detail = reviewer.get(f"/api/payment-runs/{run['id']}/").json()
    assert (detail["state"], detail["claims"], detail["total"]) == (
        "completed",
        [claim["id"]],
        "5700.00",
    )
    leader = api_client_for(cast.leader).get(f"/api/claims/{claim['id']}/").json()
    assert (leader["state"], leader["payment_run"]) == ("paid", run["id"])
    assert Claim.objects.get().paid_at is not None


def test_finance_sees_claims_pending_review_on_the_home_page_oldest_first(client_for):
    from deployments.claims.services import claim_create_for_deployment

    first = claim_create_for_deployment(deployment_id=accepted_deployment().deployment.pk)
    second = claim_create_for_deployment(
        deployment_id=accepted_deployment(logged="4", account_number="11112222").deployment.pk
    )
    page = client_for(finance()).get("/").content.decode()
    assert page.index(first.reference) < page.index(second.reference)
    assert "(1 flag)" in page
    assert 'href="/claims/"' in page and 'href="/payment-runs/"' in page
