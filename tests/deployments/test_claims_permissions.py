"""Who may do what with claims, payment runs and spend, in HTML and the API:
each action x each role, in or out of the claim's region, own or not own."""

import pytest

from deployments.claims.models import Claim, PaymentRun
from deployments.claims.services import claim_create_for_deployment
from portal.models import Role
from tests.built_once import built_once, each_test_copy
from tests.deployments.claim_fixtures import accepted_deployment, finance
from tests.deployments.factories import SystemLeaderFactory
from tests.portal.factories import TrustContactFactory, UserFactory
from tests.schools.factories import RegionFactory, TrustFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "finance",
    "staff",
    "other_staff",
    "leader",
    "other_leader",
    "rdp",
    "director",
    "contact",
    "trust_contact",
    "admin",
]
SEES_CLAIM = {"finance", "staff", "leader", "admin"}
MAY_OPEN_QUEUE = {"finance", "staff", "other_staff", "leader", "other_leader", "admin"}


def _trust_contact_of(school):
    school.trust = TrustFactory()
    school.save(update_fields=["trust"])
    return TrustContactFactory(trust=school.trust)


def _build_world():
    cast = accepted_deployment()
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    london = RegionFactory(name="London")
    people = {
        "finance": finance(),
        "staff": cast.staff,
        "other_staff": UserFactory(role=Role.REGIONS_STAFF, regions=[london]),
        "leader": cast.leader,
        "other_leader": SystemLeaderFactory().user,
        "rdp": UserFactory(role=Role.RDP, regions=[cast.region]),
        "director": UserFactory(role=Role.REGIONAL_DIRECTOR, regions=[cast.region]),
        "contact": cast.contact,
        # A contact of the school's trust: like the school's own contact, no claims.
        "trust_contact": _trust_contact_of(cast.deployment.school),
        "admin": UserFactory(role=Role.ADMIN, is_staff=True),
    }
    run = PaymentRun.objects.create(created_by=people["finance"], state="completed")
    return claim, run, people


# Built once for the module; each test runs in a savepoint rolled back after it,
# on its own copy (tests/built_once.py).
world_once = built_once(_build_world)


@pytest.fixture
def world(world_once, db, request):
    return each_test_copy(world_once, request)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_claim_in_html_and_api(world, role, api_client_for, client_for):
    claim, _, people = world
    user = people[role]
    api = api_client_for(user).get(f"/api/claims/{claim.pk}/")
    html = client_for(user).get(f"/claims/{claim.pk}/")
    expected = 200 if role in SEES_CLAIM else 404
    assert (api.status_code, html.status_code) == (expected, expected)


@pytest.mark.parametrize("role", ROLES)
def test_who_lists_claims_in_html_and_api(world, role, api_client_for, client_for):
    claim, _, people = world
    user = people[role]
    listed = api_client_for(user).get("/api/claims/").json()["results"]
    assert [c["id"] for c in listed] == ([claim.pk] if role in SEES_CLAIM else [])
    html = client_for(user).get("/claims/")
    assert html.status_code == (200 if role in MAY_OPEN_QUEUE else 403)
    if html.status_code == 200:
        assert (claim.reference in html.content.decode()) == (role in SEES_CLAIM)


DECISIONS = [("approve", {}), ("reject", {"reason": "No"}), ("query", {"note": "Why?"})]


@pytest.mark.parametrize("step,body", DECISIONS)
@pytest.mark.parametrize("role", ROLES)
def test_only_finance_decides_a_claim(world, role, step, body, api_client_for, client_for):
    claim, _, people = world
    user = people[role]
    expected = 200 if role == "finance" else (403 if role in SEES_CLAIM else 404)
    r = api_client_for(user).post(f"/api/claims/{claim.pk}/{step}/", body, format="json")
    assert r.status_code == expected
    Claim.objects.filter(pk=claim.pk).update(state="pending_review")
    html = client_for(user).post(f"/claims/{claim.pk}/{step}/", body)
    assert html.status_code == (302 if role == "finance" else expected)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_claims_system_leader_resubmits(world, role, api_client_for, client_for):
    claim, _, people = world
    user = people[role]
    Claim.objects.filter(pk=claim.pk).update(state="queried")
    expected = 200 if role == "leader" else (403 if role in SEES_CLAIM else 404)
    r = api_client_for(user).post(f"/api/claims/{claim.pk}/resubmit/", {}, format="json")
    assert r.status_code == expected
    Claim.objects.filter(pk=claim.pk).update(state="queried")
    html = client_for(user).post(f"/claims/{claim.pk}/resubmit/", {})
    assert html.status_code == (302 if role == "leader" else expected)


@pytest.mark.parametrize("role", ROLES)
def test_only_another_finance_user_undoes_a_decision(world, role, api_client_for, client_for):
    claim, _, people = world
    decider = finance()
    Claim.objects.filter(pk=claim.pk).update(state="approved", decided_by=decider)
    expected = 200 if role == "finance" else (403 if role in SEES_CLAIM else 404)
    body = {"reason": "Approved in error"}
    r = api_client_for(people[role]).post(f"/api/claims/{claim.pk}/undo/", body, format="json")
    assert r.status_code == expected
    Claim.objects.filter(pk=claim.pk).update(state="approved", decided_by=decider)
    html = client_for(people[role]).post(f"/claims/{claim.pk}/undo/", body)
    assert html.status_code == (302 if role == "finance" else expected)
    r = api_client_for(decider).post(f"/api/claims/{claim.pk}/undo/", body, format="json")
    assert r.status_code == (409 if role == "finance" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_finance_sees_payment_runs_and_files(world, role, api_client_for, client_for):
    _, run, people = world
    user = people[role]
    expected = 200 if role == "finance" else 403
    api = api_client_for(user)
    assert api.get("/api/payment-runs/").status_code == expected
    assert api.get(f"/api/payment-runs/{run.pk}/").status_code == expected
    client = client_for(user)
    assert client.get("/payment-runs/").status_code == expected
    assert client.get(f"/payment-runs/{run.pk}/").status_code == expected
    # The run has no file yet: finance gets 404, everyone else 403 before that.
    assert api.get(f"/api/payment-runs/{run.pk}/files/csv/").status_code == (
        404 if role == "finance" else 403
    )
    assert client.get(f"/payment-runs/{run.pk}/payment-file.csv").status_code == (
        404 if role == "finance" else 403
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_finance_starts_a_payment_run(world, role, api_client_for, client_for):
    _, _, people = world
    expected = 409 if role == "finance" else 403  # 409: nothing approved to pay
    assert api_client_for(people[role]).post("/api/payment-runs/", {}).status_code == expected
    html = client_for(people[role]).post("/payment-runs/")
    assert html.status_code == (302 if role == "finance" else 403)
    check = client_for(people[role]).get("/payment-runs/new/")
    assert check.status_code == (200 if role == "finance" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_finance_and_admin_see_spend_and_finance_exports(world, role, api_client_for, client_for):
    _, _, people = world
    user = people[role]
    expected = 200 if role in ("finance", "admin") else 403
    assert api_client_for(user).get("/api/spend/").status_code == expected
    client = client_for(user)
    assert client.get("/spend/").status_code == expected
    assert client.get("/claims/export.csv").status_code == (200 if role == "finance" else 403)
