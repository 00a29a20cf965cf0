"""The claim queue's one FilterSet: the page, its CSV export and the API read
the same parameters the same way; a bad value is ignored by the page and
refused by the API (400 naming it); an id no key can hold matches nothing."""

import pytest

from deployments.claims.models import Claim
from deployments.claims.services import claim_create_for_deployment
from tests.deployments.claim_fixtures import accepted_deployment, finance

pytestmark = pytest.mark.django_db
TOO_BIG = str(2**63)


@pytest.fixture
def claims():
    north = claim_create_for_deployment(
        deployment_id=accepted_deployment(region_name="North West").deployment.pk
    )
    london = claim_create_for_deployment(
        deployment_id=accepted_deployment(region_name="London", logged="3").deployment.pk
    )
    Claim.objects.filter(pk=london.pk).update(state=Claim.State.APPROVED)
    return {"north": north.reference, "london": london.reference}


def _listed(text: str, claims) -> set[str]:
    return {name for name, reference in claims.items() if reference in text}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"north", "london"}),
        ({"region": "London"}, {"london"}),
        ({"state": "approved"}, {"london"}),
        ({"state": "pending_review,approved"}, {"north", "london"}),
        ({"flag": "activity_log_mismatch"}, {"london"}),
        ({"kind": "deployment_days"}, {"north", "london"}),
        ({"offer": TOO_BIG}, set()),
        ({"payment_run": TOO_BIG}, set()),
    ],
)
def test_the_page_the_export_and_the_api_filter_alike(
    claims, params, expected, client_for, api_client_for
):
    user = finance()
    page = client_for(user)
    assert _listed(page.get("/claims/", params).content.decode(), claims) == expected
    assert _listed(page.get("/claims/export.csv", params).content.decode(), claims) == expected
    rows = api_client_for(user).get("/api/claims/", params).json()["results"]
    assert {row["reference"] for row in rows} == {claims[name] for name in expected}


@pytest.mark.parametrize(
    "name, value",
    [("state", "approved,nonsense"), ("flag", "nonsense"), ("kind", "x"), ("payment_run", "²")],
)
def test_a_bad_value_is_ignored_by_the_page_and_refused_by_the_api(
    claims, name, value, client_for, api_client_for
):
    user = finance()
    page = client_for(user).get("/claims/", {name: value})
    assert page.status_code == 200
    assert _listed(page.content.decode(), claims) == {"north", "london"}
    response = api_client_for(user).get("/api/claims/", {name: value})
    assert response.status_code == 400 and name in response.json()
