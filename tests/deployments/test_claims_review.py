"""DfE finance reviews claims: approve, reject (e-mailed; the system leader
resubmits), query, and undo by another finance user. A decision is never
edited, only undone."""

import pytest
from django.core import mail

from deployments.claims.services import claim_create_for_deployment
from portal.models import Role
from tests.deployments.claim_fixtures import accepted_deployment, finance
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(db):
    cast = accepted_deployment()
    made = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    made.cast = cast
    return made


def post(api, claim, step, body=None):
    return api.post(f"/api/claims/{claim.pk}/{step}/", body or {}, format="json")


def test_finance_approves_a_claim_and_sees_it_in_the_contracts_shape(claim, api_client_for):
    api = api_client_for(finance())
    body = api.get(f"/api/claims/{claim.pk}/").json()
    assert body["state"] == "pending_review"
    assert set(body["allowed_transitions"]) == {"approve", "reject", "query"}
    assert (body["amount"], body["days"], body["kind"]) == ("6000.00", "10.0", "deployment_days")
    assert body["reference"] == claim.reference and body["payment_run"] is None
    r = post(api, claim, "approve")
    assert r.status_code == 200 and r.json()["state"] == "approved"
    assert [e["name"] for e in r.json()["timeline"]] == ["created", "approve"]


def test_a_decision_cannot_be_taken_twice(claim, api_client_for):
    api = api_client_for(finance())
    assert post(api, claim, "approve").status_code == 200
    for step in ("approve", "reject", "query"):
        r = post(api, claim, step, {"reason": "x", "note": "x"})
        assert r.status_code == 409 and r.json()["state"] == "approved"


def test_reject_needs_a_reason_and_emails_it_to_the_system_leader(
    claim, api_client_for, django_capture_on_commit_callbacks
):
    api = api_client_for(finance())
    assert post(api, claim, "reject", {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        r = post(api, claim, "reject", {"reason": "The activity log is incomplete."})
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    assert r.json()["decision_reason"] == "The activity log is incomplete."
    message = next(m for m in mail.outbox if claim.cast.leader.email in m.to)
    assert claim.reference in message.subject
    assert "The activity log is incomplete." in message.body


def test_the_system_leader_resubmits_a_rejected_claim_and_finance_is_told(
    claim, api_client_for, django_capture_on_commit_callbacks
):
    reviewer = finance()
    post(api_client_for(reviewer), claim, "reject", {"reason": "Wrong days"})
    leader = api_client_for(claim.cast.leader)
    assert leader.get(f"/api/claims/{claim.pk}/").json()["allowed_transitions"] == ["resubmit"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = post(leader, claim, "resubmit", {"note": "Log completed."})
    assert r.status_code == 200 and r.json()["state"] == "pending_review"
    assert any(reviewer.email in m.to and "resubmitted" in m.subject for m in mail.outbox)
    assert post(api_client_for(reviewer), claim, "approve").json()["state"] == "approved"


def test_finance_queries_a_claim_with_a_note_and_the_leader_answers(
    claim, api_client_for, django_capture_on_commit_callbacks
):
    api = api_client_for(finance())
    assert post(api, claim, "query", {"note": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        r = post(api, claim, "query", {"note": "Which dates were the visits?"})
    assert r.json()["state"] == "queried"
    assert any("Which dates were the visits?" in m.body for m in mail.outbox)
    r = post(api_client_for(claim.cast.leader), claim, "resubmit", {"note": "3 and 10 May"})
    assert r.json()["state"] == "pending_review"


def test_another_finance_user_undoes_a_decision_with_a_reason(claim, api_client_for):
    first, second = finance(), finance()
    post(api_client_for(first), claim, "approve")
    r = post(api_client_for(first), claim, "undo", {"reason": "Mine"})
    assert r.status_code == 403  # not the person who decided
    assert post(api_client_for(second), claim, "undo", {"reason": ""}).status_code == 400
    r = post(api_client_for(second), claim, "undo", {"reason": "Approved in error"})
    assert r.status_code == 200 and r.json()["state"] == "pending_review"
    assert r.json()["timeline"][-1]["note"] == "Approved in error"
    assert [e["label"] for e in r.json()["timeline"]][-2:] == ["Claim approved", "Decision undone"]


def test_a_pending_claim_has_no_decision_to_undo(claim, api_client_for):
    r = post(api_client_for(finance()), claim, "undo", {"reason": "x"})
    assert r.status_code == 409


def test_the_system_leader_cannot_resubmit_a_pending_or_approved_claim(claim, api_client_for):
    leader = api_client_for(claim.cast.leader)
    assert post(leader, claim, "resubmit").status_code == 409
    assert post(leader, claim, "approve").status_code == 403


@pytest.mark.parametrize("superuser", [False, True])
def test_admin_reads_claims_but_takes_no_step(claim, api_client_for, superuser):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=superuser)
    api = api_client_for(admin)
    body = api.get(f"/api/claims/{claim.pk}/").json()
    assert body["allowed_transitions"] == []
    for step in ("approve", "reject", "query", "undo", "resubmit"):
        assert post(api, claim, step, {"reason": "x", "note": "x"}).status_code == 403


def test_the_review_queue_filters_and_lists_oldest_first(api_client_for):
    from deployments.claims.models import Claim

    north = [accepted_deployment(region_name="North West") for _ in range(2)]
    london = accepted_deployment(region_name="London", logged="3")
    for cast in [*north, london]:
        claim_create_for_deployment(deployment_id=cast.deployment.pk)
    api = api_client_for(finance())
    listed = api.get("/api/claims/").json()["results"]
    assert [c["id"] for c in listed] == list(
        Claim.objects.order_by("created_at", "pk").values_list("pk", flat=True)
    )
    by_region = api.get("/api/claims/", {"region": "London"}).json()["results"]
    assert [c["region"] for c in by_region] == ["London"]
    flagged = api.get("/api/claims/", {"flag": "activity_log_mismatch"}).json()["results"]
    assert [c["deployment"] for c in flagged] == [london.deployment.pk]
    offer = london.deployment.offer.academic_year
    assert api.get("/api/claims/", {"offer": offer}).json()["count"] == 3
    assert api.get("/api/claims/", {"state": "approved"}).json()["count"] == 0


def test_the_review_page_steps_work_in_html(claim, client_for):
    client = client_for(finance())
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Approve the claim" in page and "Reject the claim" in page
    r = client.post(f"/claims/{claim.pk}/reject/", {"reason": ""})
    assert r.status_code == 200 and "Give the reason for rejecting the claim." in r.content.decode()
    r = client.post(f"/claims/{claim.pk}/reject/", {"reason": "Missing evidence"})
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.state == "rejected"
    assert client.post(f"/claims/{claim.pk}/approve/", {}).status_code == 409
    history = client.get(f"/claims/{claim.pk}/").content.decode().split("History", 1)[1]
    assert "Claim rejected" in history and "Missing evidence" in history
    assert "<strong>reject</strong>" not in history


def test_the_queue_exports_as_csv_and_xlsx_safe_against_formulas(claim, client_for):
    from deployments.delivery.models import BankDetails

    BankDetails.objects.filter(deployment=claim.deployment).update(account_name="=HYPERLINK(1)")
    client = client_for(finance())
    csv_text = client.get("/claims/export.csv").content.decode("utf-8-sig")
    assert claim.reference in csv_text and "6000.00" in csv_text
    xlsx = client.get("/claims/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
