"""Writes for a deployment that stops or slows down: what follows a withdrawal
(either Regions Group staff's `withdraw` or the system leader's
`system_leader_withdraws`, both in `services`), and a delay the system leader
reports. The contract's "Re-matching" paragraph and `report-delay`."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from deployments.delivery import selectors
from deployments.delivery.models import Deployment
from deployments.delivery.services import deployment_email_context
from portal.emails import govuk_date
from portal.notify import email_queue
from portal.workflow import WorkflowConflict, timeline_record
from portal.workflow_spec import Party, party_emails

DELAY_STATE = (
    "A delay is reported while the deployment is being delivered: from its issue until "
    "the school signs the form off."
)
DELAY_PAUSED = "This deployment is paused: it is read-only until it resumes."
DELAY_REASON = "Say what is delaying the support."
DELAY_DATE_PAST = "The date the support should resume cannot be in the past."
# Who hears of a delay: the RDP and Regions Group staff of the region (the kernel's parties).
DELAY_TOLD = (Party.RDP, Party.REGIONS_STAFF)


def deployment_withdrawal_follows(deployment: Deployment, *, user) -> None:
    """What either withdrawal brings, in its transaction: the case goes back to
    "identified" for Regions Group staff to match again (never with this
    leader; the next deployment's core days are less the days logged here),
    and the days logged so far are claimed as any day claim (made in the
    background once the withdrawal commits; none when no day was logged)."""
    from deployments.claims.services import claim_queue_for_deployment
    from deployments.matching.services import support_case_deployment_withdrawn

    case = deployment.support_case
    if case.state == case.State.DEPLOYMENT_ISSUED:
        support_case_deployment_withdrawn(case, deployment=deployment, user=user)
    if selectors.days_logged(deployment) > 0:
        claim_queue_for_deployment(deployment)


def delay_report_check(deployment: Deployment, user) -> None:
    """403 unless the deployment's system leader; 409 outside the delivery
    states (issued to school sign-off) or while paused."""
    if not user.has_perm("deployments.report_deployment_delay", deployment):
        raise PermissionDenied("Only the deployment's system leader reports a delay.")
    if deployment.state not in Deployment.DELAY_STATES:
        raise WorkflowConflict(DELAY_STATE, state=deployment.state)
    if deployment.is_paused:
        raise WorkflowConflict(DELAY_PAUSED, state=deployment.state)


def deployment_report_delay(
    deployment: Deployment, *, user, reason: str, expected_resume_on: dt.date | None = None
) -> Deployment:
    """The system leader says the support is held up. The state does not
    change; the deployment shows the delay (on its page, the RDP's and Regions
    Group staff's home queues, the `delayed` filter) until the leader's next
    step or section save. The RDP and Regions Group staff of the region hear."""
    delay_report_check(deployment, user)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = DELAY_REASON
    today = timezone.localdate()
    if expected_resume_on is not None and expected_resume_on < today:
        errors["expected_resume_on"] = DELAY_DATE_PAST
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Deployment.objects.select_for_update().get(pk=deployment.pk)
        delay_report_check(locked, user)
        locked.delay_reported_on = today
        locked.delay_reason = reason
        locked.delay_expected_resume_on = expected_resume_on
        locked.save(update_fields=["delay_reported_on", "delay_reason", "delay_expected_resume_on"])
        expected = (
            f"Expected to resume on {govuk_date(expected_resume_on)}."
            if expected_resume_on
            else "No date given for resuming."
        )
        timeline_record(locked, name="delay_reported", by=user, note=f"{reason}\n\n{expected}")
        email_queue(
            to=party_emails(locked, DELAY_TOLD),
            template="deployment_delay_reported",
            context=deployment_email_context(
                locked, reason=reason, expected_resume_on=expected_resume_on or ""
            ),
        )
    return locked
