"""Full bank details appear in no API response, page or export, except the
finance payment file."""

import pytest

from deployments.claims.services import claim_approve, claim_create_for_deployment
from tests.deployments.claim_fixtures import accepted_deployment, finance
from tests.deployments.delivery_fixtures import ACCOUNT_NUMBER, SORT_CODE

pytestmark = pytest.mark.django_db


def leaks(content: bytes) -> bool:
    return ACCOUNT_NUMBER.encode() in content or SORT_CODE.encode() in content


def test_full_bank_details_are_only_in_the_payment_file(
    api_client_for, client_for, django_capture_on_commit_callbacks
):
    reviewer = finance()
    cast = accepted_deployment()
    claim = claim_approve(
        claim_create_for_deployment(deployment_id=cast.deployment.pk), user=reviewer
    )
    api = api_client_for(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        run_id = api.post("/api/payment-runs/", {}, format="json").json()["id"]
    run = api.get(f"/api/payment-runs/{run_id}/").json()
    client = client_for(reviewer)
    seen = [
        api.get("/api/claims/"),
        api.get(f"/api/claims/{claim.pk}/"),
        api.get("/api/payment-runs/"),
        api.get(f"/api/payment-runs/{run_id}/"),
        api.get("/api/spend/"),
        api.get(f"/api/jobs/{run['job']}/"),
        client.get("/claims/"),
        client.get(f"/claims/{claim.pk}/"),
        client.get("/claims/export.csv"),
        client.get("/claims/export.xlsx"),
        client.get("/payment-runs/"),
        client.get(f"/payment-runs/{run_id}/"),
        client.get(f"/jobs/{run['job']}/"),
        client.get("/spend/"),
        client.get("/"),
    ]
    for response in seen:
        assert response.status_code == 200, response
        assert not leaks(response.content), response.request["PATH_INFO"]
    assert leaks(client.get(f"/payment-runs/{run_id}/payment-file.csv").content)
    assert leaks(api.get(run["csv_url"]).content)
    for who in (cast.leader, cast.staff):
        assert not leaks(api_client_for(who).get(f"/api/claims/{claim.pk}/").content)
        assert not leaks(client_for(who).get(f"/claims/{claim.pk}/").content)


def test_the_payment_file_is_encrypted_at_rest(django_capture_on_commit_callbacks):
    from deployments.claims.models import PaymentRun
    from deployments.claims.payment_runs import payment_run_start

    reviewer = finance()
    cast = accepted_deployment()
    claim_approve(claim_create_for_deployment(deployment_id=cast.deployment.pk), user=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        payment_run_start(user=reviewer)
    run = PaymentRun.objects.get()
    assert run.state == "completed"
    assert not leaks(bytes(run.csv_encrypted)) and not leaks(bytes(run.xlsx_encrypted))
