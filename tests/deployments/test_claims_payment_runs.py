"""Payment runs: every approved, unpaid claim into one run, built in the
background, all or nothing; a claim in one run ever, never paid twice; the
payment file (CSV and XLSX) is the only place full bank details appear."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from deployments.claims import payment_runs
from deployments.claims.models import Claim, PaymentRun, PaymentRunItem
from deployments.claims.services import claim_approve, claim_create_for_deployment
from tests.deployments.claim_fixtures import accepted_deployment, finance
from tests.deployments.delivery_fixtures import ACCOUNT_NUMBER, SORT_CODE

pytestmark = pytest.mark.django_db


def approved_claims(n, reviewer, **kwargs):
    claims = []
    for i in range(n):
        cast = accepted_deployment(region_name="London" if i % 2 else "North West", **kwargs)
        claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
        claims.append(claim_approve(claim, user=reviewer))
    return claims


def start(api, capture):
    with capture(execute=True):
        return api.post("/api/payment-runs/", {}, format="json")


def test_a_run_pays_every_approved_claim_and_writes_the_payment_file(
    api_client_for, django_capture_on_commit_callbacks
):
    reviewer = finance()
    claims = approved_claims(3, reviewer)
    pending = claim_create_for_deployment(deployment_id=accepted_deployment().deployment.pk)
    api = api_client_for(reviewer)
    r = start(api, django_capture_on_commit_callbacks)
    assert r.status_code == 201
    body = r.json()
    assert body["state"] == "building" and body["job"] is not None
    run = api.get(f"/api/payment-runs/{body['id']}/").json()
    assert run["state"] == "completed"
    assert run["claims"] == sorted(c.pk for c in claims)
    assert run["total"] == "18000.00"
    assert {t["region"]: t["total"] for t in run["totals_by_region"]} == {
        "London": "6000.00",
        "North West": "12000.00",
    }
    assert [t["total"] for t in run["totals_by_offer"]] == ["18000.00"]
    assert set(Claim.objects.filter(pk__in=run["claims"]).values_list("state", flat=True)) == {
        "paid"
    }
    pending.refresh_from_db()
    assert pending.state == "pending_review"
    assert api.get(f"/api/claims/{claims[0].pk}/").json()["payment_run"] == body["id"]
    job = api.get(body["job_url"]).json()
    assert job["status"] == "succeeded"

    text = api.get(run["csv_url"]).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Payee",
        "Payee type",
        "Trust UID",
        "Account name",
        "Sort code",
        "Account number",
        "Amount",
        "Claim reference",
        "Deployment",
        "Region",
    ]
    assert len(rows) == 4
    assert rows[1][0] == claims[0].system_leader.user.full_name
    assert rows[1][1:3] == ["System leader", ""]
    assert rows[1][4:8] == [SORT_CODE, ACCOUNT_NUMBER, "6000.00", claims[0].reference]
    book = load_workbook(io.BytesIO(api.get(run["xlsx_url"]).content))
    sheet = list(book.active.values)
    assert sheet[1][4:8] == (SORT_CODE, ACCOUNT_NUMBER, 6000.0, claims[0].reference)


def test_a_run_with_nothing_to_pay_is_refused_with_409(
    api_client_for, django_capture_on_commit_callbacks
):
    api = api_client_for(finance())
    r = start(api, django_capture_on_commit_callbacks)
    assert r.status_code == 409
    assert r.json()["detail"] == payment_runs.NOTHING_TO_PAY
    assert not PaymentRun.objects.exists()


def test_a_second_run_finds_nothing_to_pay_twice(
    api_client_for, django_capture_on_commit_callbacks
):
    reviewer = finance()
    approved_claims(2, reviewer)
    api = api_client_for(reviewer)
    assert start(api, django_capture_on_commit_callbacks).status_code == 201
    assert start(api, django_capture_on_commit_callbacks).status_code == 409
    assert PaymentRunItem.objects.count() == 2


def test_the_database_keeps_a_claim_in_one_run_ever():
    reviewer = finance()
    (claim,) = approved_claims(1, reviewer)
    first = PaymentRun.objects.create(created_by=reviewer)
    second = PaymentRun.objects.create(created_by=reviewer)
    PaymentRunItem.objects.create(run=first, claim=claim, amount=claim.amount)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRunItem.objects.create(run=second, claim=claim, amount=claim.amount)


def test_a_failed_run_pays_nothing_and_its_retry_pays_each_claim_once(
    monkeypatch, django_capture_on_commit_callbacks, api_client_for
):
    reviewer = finance()
    claims = approved_claims(3, reviewer)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(payment_runs, "xlsx_bytes", broken)
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        run = payment_runs.payment_run_start(user=reviewer)
    run = PaymentRun.objects.get()
    assert run.state == "failed" and "OSError" in run.failure
    assert set(Claim.objects.values_list("state", flat=True)) == {"approved"}
    assert not Claim.objects.filter(paid_at__isnull=False).exists()

    # Nothing else can take those claims meanwhile: they are reserved by the run.
    with pytest.raises(payment_runs.WorkflowConflict):
        payment_runs.payment_run_start(user=reviewer)

    monkeypatch.undo()
    api = api_client_for(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/payment-runs/{run.pk}/retry/", {}, format="json")
    assert r.status_code == 200
    run.refresh_from_db()
    assert run.state == "completed" and run.total == Decimal("18000.00")
    assert set(Claim.objects.values_list("state", flat=True)) == {"paid"}
    paid_events = [e.name for c in claims for e in c.timeline_events.all() if e.name == "paid"]
    assert len(paid_events) == 3
    rows = payment_runs.payment_file_decrypt(run.csv_encrypted).decode("utf-8-sig").splitlines()
    assert len(rows) == 4  # the header and each claim once

    # Retrying a completed run, or building it again, pays nothing twice.
    assert api.post(f"/api/payment-runs/{run.pk}/retry/", {}, format="json").status_code == 409
    payment_runs.payment_run_build(run_id=run.pk)
    assert Claim.objects.get(pk=claims[0].pk).timeline_events.filter(name="paid").count() == 1


def test_a_claim_in_a_run_cannot_have_its_approval_undone(api_client_for):
    first, second = finance(), finance()
    (claim,) = approved_claims(1, first)
    PaymentRunItem.objects.create(
        run=PaymentRun.objects.create(created_by=first), claim=claim, amount=claim.amount
    )
    r = api_client_for(second).post(
        f"/api/claims/{claim.pk}/undo/", {"reason": "Too late"}, format="json"
    )
    assert r.status_code == 409


def test_an_unapproved_claim_is_never_paid():
    reviewer = finance()
    claim = claim_create_for_deployment(deployment_id=accepted_deployment().deployment.pk)
    run = PaymentRun.objects.create(created_by=reviewer, claim_count=1)
    PaymentRunItem.objects.create(run=run, claim=claim, amount=claim.amount)
    with pytest.raises(Exception, match="no longer approved"):
        payment_runs.payment_run_build(run_id=run.pk)
    claim.refresh_from_db()
    assert claim.state == "pending_review" and claim.paid_at is None
    assert PaymentRun.objects.get(pk=run.pk).state == "failed"


def test_the_run_pages_show_totals_and_the_files_to_finance(
    client_for, django_capture_on_commit_callbacks
):
    reviewer = finance()
    approved_claims(2, reviewer)
    client = client_for(reviewer)
    listing = client.get("/payment-runs/").content.decode()
    assert 'href="/payment-runs/new/"' in listing and "<form" not in listing.split("<main")[1]
    check = client.get("/payment-runs/new/").content.decode()
    assert ">Claims to pay</dt>" in check and "£12,000.00" in check
    assert "What happens next" in check and 'action="/payment-runs/"' in check
    assert PaymentRun.objects.count() == 0  # checking starts nothing
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/payment-runs/")
    assert r.status_code == 302 and r["Location"].startswith("/jobs/")
    run = PaymentRun.objects.get()
    page = client.get(f"/payment-runs/{run.pk}/").content.decode()
    assert "Totals per region" in page and "£12,000.00" in page
    csv_file = client.get(f"/payment-runs/{run.pk}/payment-file.csv")
    assert csv_file.status_code == 200 and ACCOUNT_NUMBER in csv_file.content.decode("utf-8-sig")
    assert "no-store" in csv_file["Cache-Control"]


def test_the_payment_file_is_safe_against_spreadsheet_formulas(django_capture_on_commit_callbacks):
    from deployments.delivery.models import BankDetails

    reviewer = finance()
    (claim,) = approved_claims(1, reviewer)
    BankDetails.objects.filter(deployment=claim.deployment).update(
        account_name='=HYPERLINK("http://x","pay")'
    )
    with django_capture_on_commit_callbacks(execute=True):
        payment_runs.payment_run_start(user=reviewer)
    run = PaymentRun.objects.get()
    rows = list(
        csv.reader(
            io.StringIO(payment_runs.payment_file_decrypt(run.csv_encrypted).decode("utf-8-sig"))
        )
    )
    assert rows[1][3] == '\'=HYPERLINK("http://x","pay")'
    sheet = list(
        load_workbook(
            io.BytesIO(payment_runs.payment_file_decrypt(run.xlsx_encrypted))
        ).active.values
    )
    assert sheet[1][3].startswith("'=")
