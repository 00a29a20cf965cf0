"""The Django admin lists and shows the workflow records to Admin, read-only: it adds,
changes and deletes none of them, and shows no bank details (those are masked on the
deployment's page and in full only in finance's payment files)."""

import pytest

from deployments.claims import payment_runs
from deployments.claims.models import Claim, PaymentRun
from deployments.claims.services import claim_approve, claim_create_for_deployment
from tests.deployments.claim_fixtures import accepted_deployment, finance
from tests.deployments.delivery_fixtures import ACCOUNT_NUMBER, SORT_CODE

pytestmark = pytest.mark.django_db

MODELS = ["supportcase", "deployment", "systemleader", "claim", "paymentrun"]


@pytest.fixture
def paid(django_capture_on_commit_callbacks):
    """A claim approved and paid in a completed payment run."""
    cast = accepted_deployment()
    reviewer = finance()
    claim = claim_approve(
        claim_create_for_deployment(deployment_id=cast.deployment.pk), user=reviewer
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = payment_runs.payment_run_start(user=reviewer)
    run.refresh_from_db()
    claim.refresh_from_db()
    assert run.state == PaymentRun.State.COMPLETED and claim.state == Claim.State.PAID
    return cast, claim, run


def _pages(cast, claim, run):
    deployment = cast.deployment
    return {
        "supportcase": deployment.support_case_id,
        "deployment": deployment.pk,
        "systemleader": deployment.system_leader_id,
        "claim": claim.pk,
        "paymentrun": run.pk,
    }


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_shows_each_record_without_bank_details(
    client_for, admin_user, paid, model
):
    client = client_for(admin_user)
    pk = _pages(*paid)[model]

    listing = client.get(f"/admin/deployments/{model}/")
    page = client.get(f"/admin/deployments/{model}/{pk}/change/")

    assert listing.status_code == 200 and page.status_code == 200
    for html in (listing.content.decode(), page.content.decode()):
        assert ACCOUNT_NUMBER not in html
        assert SORT_CODE not in html and SORT_CODE.replace("-", "") not in html


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_adds_and_deletes_none_of_them(client_for, admin_user, paid, model):
    client = client_for(admin_user)
    pk = _pages(*paid)[model]

    assert client.get(f"/admin/deployments/{model}/add/").status_code == 403
    assert client.get(f"/admin/deployments/{model}/{pk}/delete/").status_code == 403


def test_a_claim_cannot_be_moved_in_the_admin(client_for, admin_user, paid):
    _, claim, _ = paid

    client_for(admin_user).post(
        f"/admin/deployments/claim/{claim.pk}/change/", {"state": "rejected", "amount": "1"}
    )

    claim.refresh_from_db()
    assert claim.state == Claim.State.PAID and claim.amount == 6000


def test_only_admin_opens_these_admin_pages(client_for, paid):
    response = client_for(finance()).get("/admin/deployments/claim/")

    assert response.status_code in (302, 403)
