"""Claims are computed, never typed: days x the offer's day rate, exact to the
penny, made once per deployment (and per instalment) by a task after commit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from deployments.claims.models import Claim
from deployments.claims.services import (
    claim_create_for_deployment,
    claim_create_for_instalment,
    claims_create_for_deployments,
)
from deployments.delivery.grants import grant_evidence_record
from deployments.delivery.models import Deployment, EnhancedRequest
from tests.deployments.claim_fixtures import accepted_deployment, current_offer
from tests.deployments.delivery_fixtures import make_cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "days,extension,amount",
    [
        ("10", "0", "6000.00"),
        ("15", "5", "9000.00"),
        ("9.5", "0", "5700.00"),
        ("0.5", "0", "300.00"),
    ],
)
def test_a_day_claim_is_the_days_times_the_offers_day_rate(days, extension, amount):
    cast = accepted_deployment(days=days, extension=extension)
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    assert claim.amount == Decimal(amount)
    assert str(claim.amount) == amount
    assert claim.days == Decimal(days)
    assert claim.state == "pending_review"
    assert not any(f["code"] == "days_above_cap" for f in claim.flags)


def test_twelve_days_without_an_approved_extension_are_refused_on_the_form(api_client_for):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    r = api_client_for(cast.leader).put(
        f"/api/deployments/{cast.deployment.pk}/sections/claim/", {"days": "12"}, format="json"
    )
    assert r.status_code == 400 and "days" in r.json()


def test_twelve_days_that_reach_a_claim_are_flagged_and_cannot_be_approved(api_client_for):
    from tests.deployments.claim_fixtures import finance

    cast = accepted_deployment(days="12", extension="0")
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    assert claim.amount == Decimal("7200.00")
    assert "days_above_cap" in [f["code"] for f in claim.flags]
    r = api_client_for(finance()).post(f"/api/claims/{claim.pk}/approve/", {}, format="json")
    assert r.status_code == 409
    assert "never paid" in r.json()["detail"]
    claim.refresh_from_db()
    assert claim.state == "pending_review"


def test_the_reference_names_the_offers_year_and_the_claim_number():
    cast = accepted_deployment()
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    year = cast.deployment.offer.academic_year[:4]
    assert claim.reference == f"TSI-{year}-{claim.pk:06d}"


def test_accepting_the_form_queues_the_day_claim_after_commit(
    api_client_for, django_capture_on_commit_callbacks
):
    cast = accepted_deployment(state="submitted")
    from portal.models import Role
    from tests.portal.factories import UserFactory

    rdp = UserFactory(role=Role.RDP, regions=[cast.region])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = api_client_for(rdp).post(
            f"/api/deployments/{cast.deployment.pk}/rdp-accepts/", {}, format="json"
        )
        assert r.status_code == 200
        assert not Claim.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    claim = Claim.objects.get(deployment=cast.deployment)
    assert (claim.kind, claim.amount) == ("deployment_days", Decimal("6000.00"))
    assert [e.name for e in claim.timeline_events.all()] == ["created"]


def test_a_second_run_of_the_task_makes_no_second_claim():
    cast = accepted_deployment()
    first = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    second = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    assert first.pk == second.pk
    assert Claim.objects.filter(deployment=cast.deployment).count() == 1


def test_the_database_refuses_a_second_day_claim_for_a_deployment():
    cast = accepted_deployment()
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            deployment=claim.deployment,
            kind="deployment_days",
            offer=claim.offer,
            region=claim.region,
            system_leader=claim.system_leader,
            days=Decimal("1"),
            rate=claim.rate,
            amount=Decimal("600.00"),
        )


def test_a_deployment_not_accepted_gets_no_claim():
    cast = accepted_deployment(state="submitted")
    assert claim_create_for_deployment(deployment_id=cast.deployment.pk) is None


def test_the_bulk_form_makes_each_deployments_claim_once():
    casts = [accepted_deployment(days=d) for d in ("10", "9.5", "8")]
    ids = [c.deployment.pk for c in casts]
    made = claims_create_for_deployments(ids)
    assert sorted(c.amount for c in made) == [
        Decimal("4800.00"),
        Decimal("5700.00"),
        Decimal("6000.00"),
    ]
    assert claims_create_for_deployments(ids) == []


def test_the_bulk_form_runs_a_constant_number_of_queries(django_assert_max_num_queries):
    casts = [accepted_deployment() for _ in range(6)]
    with django_assert_max_num_queries(12):
        claims_create_for_deployments([c.deployment.pk for c in casts])
    assert Claim.objects.count() == 6


# Partnership instalments ------------------------------------------------------


def _grant(cast, staff, *, days_ago=30):
    from deployments.delivery.grants import grant_create
    from tests.schools.factories import TrustFactory

    request = EnhancedRequest.objects.create(
        deployment=cast.deployment,
        kind="funded_partnership",
        state="approved",
        benefit="A strong trust",
        school_agrees=True,
        suggested_trust=TrustFactory(),
        requested_by=cast.leader,
    )
    return grant_create(
        request,
        trust=request.suggested_trust,
        starts_on=dt.date.today() - dt.timedelta(days=days_ago),
        user=staff,
    )


def test_instalments_are_claimed_two_times_5000_only_when_their_conditions_are_met(
    django_capture_on_commit_callbacks,
):
    cast = accepted_deployment()
    grant = _grant(cast, cast.staff, days_ago=400)  # the partnership ended
    first, second = grant.instalments.order_by("number")
    assert claim_create_for_instalment(instalment_id=first.pk) is None  # not met yet
    received = dt.date.today() - dt.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        grant_evidence_record(
            first, user=cast.staff, evidence="signed_grant_offer", received_on=received
        )
    claims = list(Claim.objects.filter(kind="partnership_instalment"))
    assert [(c.instalment.number, c.amount) for c in claims] == [(1, Decimal("5000.00"))]

    with django_capture_on_commit_callbacks(execute=True):
        grant_evidence_record(
            second, user=cast.staff, evidence="partnership_report", received_on=received
        )
    assert Claim.objects.filter(kind="partnership_instalment").count() == 1  # half the evidence
    with django_capture_on_commit_callbacks(execute=True):
        grant_evidence_record(
            second, user=cast.staff, evidence="school_confirmation", received_on=received
        )
    amounts = sorted(
        Claim.objects.filter(kind="partnership_instalment").values_list("amount", flat=True)
    )
    assert amounts == [Decimal("5000.00"), Decimal("5000.00")]
    assert claim_create_for_instalment(instalment_id=second.pk).pk == (
        Claim.objects.get(instalment=second).pk
    )


def test_the_database_refuses_a_second_claim_for_an_instalment():
    cast = accepted_deployment()
    grant = _grant(cast, cast.staff)
    instalment = grant.instalments.first()
    instalment.condition_met_on = dt.date.today()
    instalment.save()
    claim = claim_create_for_instalment(instalment_id=instalment.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            deployment=claim.deployment,
            kind="partnership_instalment",
            instalment=instalment,
            offer=claim.offer,
            region=claim.region,
            system_leader=claim.system_leader,
            rate=claim.rate,
            amount=claim.amount,
        )


def test_the_instalment_amount_comes_from_the_offer():
    offer = current_offer()
    offer.partnership_grant = Decimal("9000.00")
    offer.save()
    cast = accepted_deployment(offer=offer)
    grant = _grant(cast, cast.staff)
    instalment = grant.instalments.first()
    instalment.condition_met_on = dt.date.today()
    instalment.save()
    assert claim_create_for_instalment(instalment_id=instalment.pk).amount == Decimal("4500.00")
