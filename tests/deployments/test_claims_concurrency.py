"""Two finance users at the same moment, on PostgreSQL with real
transactions: one approval and one 409; one payment run and one 409."""

import sys
import threading
import time

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from deployments.claims.models import Claim, PaymentRun, PaymentRunItem
from deployments.claims.services import claim_approve, claim_create_for_deployment
from portal import workflow
from tests.deployments.claim_fixtures import accepted_deployment, finance

REASON = "row locks and advisory locks need PostgreSQL (set DATABASE_URL)"
if connection.vendor != "postgresql":
    print(f"\n{__name__}: skipped, {REASON}", file=sys.stderr)
# Skipped before any database set-up on SQLite.
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason=REASON),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module", autouse=True)
def data_migrations_restored_after(django_db_setup, django_db_blocker):
    """A transactional test empties every table at its end: put back the rows
    a data migration seeded (the Annex A programmes), which later tests use."""
    yield
    from importlib import import_module

    from django.apps import apps

    with django_db_blocker.unblock():
        import_module("deployments.migrations.0005_seed_annex_a_programmes").seed(apps, None)


def at_once(users, request):
    """Each user sends `request(api)` from their own thread, released together."""
    barrier = threading.Barrier(len(users))
    results = [None] * len(users)

    def worker(i, user):
        api = APIClient()
        api.force_authenticate(user)
        try:
            barrier.wait(timeout=10)
            response = request(api)
            results[i] = (response.status_code, response.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, u)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_finance_users_approving_at_once_give_one_approval_and_one_409(monkeypatch):
    claim = claim_create_for_deployment(deployment_id=accepted_deployment().deployment.pk)
    first, second = finance(), finance()
    record = workflow.timeline_record

    def slow_record(*args, **kwargs):
        time.sleep(0.3)  # hold the row lock while the other request arrives
        return record(*args, **kwargs)

    monkeypatch.setattr(workflow, "timeline_record", slow_record)
    results = at_once(
        [first, second], lambda api: api.post(f"/api/claims/{claim.pk}/approve/", {}, format="json")
    )
    assert sorted(status for status, _ in results) == [200, 409]
    conflict = next(body for status, body in results if status == 409)
    assert conflict["state"] == "approved"
    claim.refresh_from_db()
    assert claim.state == "approved"
    assert claim.timeline_events.filter(name="approve").count() == 1


def test_two_payment_runs_started_at_once_give_one_run_and_one_409():
    reviewer = finance()
    for _ in range(3):
        claim = claim_create_for_deployment(deployment_id=accepted_deployment().deployment.pk)
        claim_approve(claim, user=reviewer)
    results = at_once(
        [reviewer, finance()], lambda api: api.post("/api/payment-runs/", {}, format="json")
    )
    assert sorted(status for status, _ in results) == [201, 409]
    assert PaymentRun.objects.count() == 1
    assert PaymentRunItem.objects.count() == 3
    assert set(Claim.objects.values_list("state", flat=True)) == {"paid"}
