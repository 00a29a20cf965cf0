"""Deadlines set by every transition from the workflows' tables, and the gaps
the four separate overdue runs left: the first visit after an overdue initial
meeting, the DfE decision on an enhanced request, the RDP's step at
"accepted", the claim's review deadline, and a step the offer lacks."""

import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from deployments.claims import services as claim_services
from deployments.claims.models import Claim
from deployments.delivery import enhanced, services
from deployments.delivery.models import Deployment, EnhancedRequest
from deployments.models import SlaStep
from portal.overdue import workflow_notify_overdue
from portal.workdays import add_working_days
from portal.workflow_spec import workflow_due_on
from tests.deployments.claim_fixtures import accepted_deployment, finance
from tests.deployments.delivery_fixtures import make_cast
from web.selectors import home_queue_for

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _sweep(capture, day):
    with capture(execute=True):
        return workflow_notify_overdue(today=day)


def test_after_an_overdue_initial_meeting_the_first_visit_deadline_is_chased(
    django_capture_on_commit_callbacks,
):
    cast = make_cast(issued_days_ago=40)
    Deployment.objects.filter(pk=cast.deployment.pk).update(due_on=TODAY - dt.timedelta(days=20))
    assert _sweep(django_capture_on_commit_callbacks, TODAY) == 1
    meeting_on = TODAY - dt.timedelta(days=35)
    deployment = services.deployment_initial_meeting_arranged(
        Deployment.objects.get(pk=cast.deployment.pk), user=cast.leader, meeting_on=meeting_on
    )
    # Counted from the meeting (the table's `count_from`), notice cleared.
    assert deployment.due_on == add_working_days(meeting_on, 20)
    assert deployment.overdue_notified_on is None
    assert deployment.due_on < TODAY  # the first visit is late already
    mail.outbox.clear()
    assert _sweep(django_capture_on_commit_callbacks, TODAY) == 1
    assert [m.to for m in mail.outbox if cast.leader.email in m.to]


def test_the_dfe_decision_on_an_enhanced_request_has_a_deadline_and_is_chased(
    django_capture_on_commit_callbacks,
):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=Deployment.State.DELIVERY)
    request = EnhancedRequest.objects.create(
        deployment=cast.deployment,
        kind=EnhancedRequest.Kind.EXTENSION,
        days=Decimal("2"),
        requested_by=cast.leader,
        due_on=TODAY - dt.timedelta(days=10),
    )
    _sweep(django_capture_on_commit_callbacks, TODAY)
    request.refresh_from_db()
    assert request.overdue_notified_on == TODAY
    request = enhanced.enhanced_request_rdp_forwards(request, user=cast.rdp)
    assert request.state == EnhancedRequest.State.WITH_DFE
    assert request.due_on == add_working_days(TODAY, 5)
    assert request.overdue_notified_on is None
    mail.outbox.clear()
    later = request.due_on + dt.timedelta(days=1)
    assert _sweep(django_capture_on_commit_callbacks, later) >= 1
    chased = [m for m in mail.outbox if "Overdue" in m.subject]
    assert [m.to for m in chased] == [[cast.staff.email]]


def test_at_accepted_the_rdps_step_is_in_the_rdps_home_queue(django_capture_on_commit_callbacks):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(
        state=Deployment.State.ACCEPTED, due_on=TODAY - dt.timedelta(days=2)
    )
    href = reverse("deployments:deployment-detail", args=[cast.deployment.pk])
    rows = [row for section in home_queue_for(cast.rdp) for row in section.rows]
    assert [r for r in rows if r["href"] == href and r["overdue"]]
    _sweep(django_capture_on_commit_callbacks, TODAY)
    assert any(cast.rdp.email in m.to and "Overdue" in m.subject for m in mail.outbox)


def test_every_deployment_transition_sets_the_next_deadline_from_the_table():
    cast = make_cast()
    deployment = Deployment.objects.get(pk=cast.deployment.pk)
    Deployment.objects.filter(pk=deployment.pk).update(
        state=Deployment.State.SUBMITTED, overdue_notified_on=TODAY
    )
    deployment.refresh_from_db()
    deployment = services.deployment_rdp_accepts(deployment, user=cast.rdp)
    assert deployment.due_on == add_working_days(TODAY, 10)  # end-of-deployment call
    assert deployment.overdue_notified_on is None


def test_a_claim_is_due_for_review_when_it_is_made_and_again_when_resubmitted(
    django_capture_on_commit_callbacks,
):
    cast = accepted_deployment()
    reviewer = finance()
    claim = claim_services.claim_create_for_deployment(deployment_id=cast.deployment.pk)
    days = claim.offer.sla_days(SlaStep.CLAIM_REVIEW)
    assert days is not None
    assert claim.due_on == add_working_days(TODAY, days)
    claim = claim_services.claim_query(claim, user=reviewer, note="Which days?")
    assert claim.state == Claim.State.QUERIED and claim.due_on is None
    claim = claim_services.claim_resubmit(claim, user=cast.leader, note="All ten")
    assert claim.due_on == add_working_days(TODAY, days)
    Claim.objects.filter(pk=claim.pk).update(due_on=TODAY - dt.timedelta(days=1))
    mail.outbox.clear()
    assert _sweep(django_capture_on_commit_callbacks, TODAY) == 1
    assert [m.to for m in mail.outbox] == [[reviewer.email]]


def test_a_step_the_table_times_but_the_offer_lacks_is_logged_not_silent(caplog):
    cast = make_cast()
    offer = cast.deployment.offer
    offer.sla_working_days = {
        k: v for k, v in offer.sla_working_days.items() if k != SlaStep.INITIAL_MEETING
    }
    offer.save()
    deployment = Deployment.objects.get(pk=cast.deployment.pk)
    with caplog.at_level(logging.WARNING, logger="portal.workflow_spec"):
        assert workflow_due_on(deployment, start=TODAY) is None
    assert "initial_meeting" in caplog.text and "no working days" in caplog.text


def test_delivery_is_due_within_the_offers_delivery_window_from_the_end_of_scoping():
    from tests.deployments.delivery_fixtures import SECTION_VALUES

    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=Deployment.State.ENGAGED)
    deployment = Deployment.objects.get(pk=cast.deployment.pk)
    services.deployment_section_save(
        deployment, "scope", user=cast.leader, data=SECTION_VALUES["scope"]
    )
    deployment = services.deployment_scoping_done(deployment, user=cast.leader)
    assert deployment.state == Deployment.State.DELIVERY
    days = deployment.offer.sla_days(SlaStep.DELIVERY)
    assert days == 60  # 12 weeks (migration 0009)
    assert deployment.due_on == add_working_days(TODAY, days)
