"""Writes for deployments. The only module that changes their state.

One function per transition (the contract's "Deployments" and "Enhanced
support" tables): validate the fields (ValidationError -> 400), run the
django-fsm transition through `portal.workflow.transition_run` (403/409, lock,
timeline), which sets the next due date and queues the hand-off e-mail from
the workflow's table (`deployments.delivery.models`); the services add only
e-mails that are not a state's hand-off. Section saves, the activity log,
pause/resume and grant evidence follow the same order: permission, state,
values."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from deployments.delivery import crypto, selectors
from deployments.delivery.models import (
    SECTION_KEYS,
    Activity,
    BankDetails,
    CaseStudy,
    Deployment,
    DeploymentSection,
    EnhancedRequest,
    GrantInstalment,
    PartnershipGrant,
)
from deployments.delivery.sections import (
    SECTIONS,
    half_days,
    section_clean,
    section_edit_problem,
    section_permission,
)
from portal.notify import email_queue
from portal.workdays import add_working_days, working_days_between
from portal.workflow import WorkflowConflict, timeline_record, transition_run
from portal.workflow_spec import workflow_due_on

ERROR_NOT_BEFORE_ISSUE = "The date cannot be before the deployment was issued ({issued})."
ERROR_FUTURE = "The date cannot be in the future."


def _today() -> dt.date:
    return timezone.localdate()


def deployment_email_context(deployment: Deployment, *, note: str = "", **extra) -> dict:
    """Every deployment e-mail's context (the table's hand-offs, the overdue
    sweep's and the services'), in plain JSON."""
    return {
        "deployment_id": deployment.pk,
        "target_name": str(deployment.target),
        "region": deployment.region.name,
        "system_leader": deployment.system_leader.user.full_name,
        "state": deployment.get_state_display(),
        "due_on": deployment.due_on.isoformat() if deployment.due_on else "",
        "meeting_on": deployment.meeting_on.isoformat() if deployment.meeting_on else "",
        "reason": deployment.withdrawn_reason,
        "note": note,
        "path": reverse("deployments:deployment-detail", args=[deployment.pk]),
        **extra,
    }


_context = deployment_email_context


def _require_text(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


# Creation (the support case's `issue_deployment` calls this) -----------------


def deployment_create_for_case(*, case) -> Deployment:
    """The deployment a support case's `issue_deployment` creates (called
    inside that transition's transaction), due by the offer's initial-meeting SLA."""
    today = _today()
    deployment = Deployment(
        support_case=case,
        offer=case.offer,
        system_leader=case.system_leader,
        school=case.school,
        trust=case.trust,
        region=case.region,
        issued_on=today,
    )
    deployment.full_clean(exclude=["support_case"])
    deployment.due_on = workflow_due_on(deployment, start=today)
    deployment.save()
    timeline_record(deployment, name="issued", by_label="The portal")
    # The hand-off e-mail to the system leader and the school is the support
    # case's (matching.services, "case_deployment_issued"): one message per step.
    return deployment


# Transitions -----------------------------------------------------------------


def deployment_initial_meeting_arranged(deployment, *, user, meeting_on, note=""):
    if meeting_on is None:
        raise ValidationError({"meeting_on": "Enter the date of the initial meeting."})
    if meeting_on < deployment.issued_on:
        raise ValidationError(
            {
                "meeting_on": ERROR_NOT_BEFORE_ISSUE.format(
                    issued=f"{deployment.issued_on:%-d %B %Y}"
                )
            }
        )
    with transaction.atomic():
        # The first visit's deadline counts from the meeting (the table's `count_from`).
        deployment = transition_run(
            deployment, "initial_meeting_arranged", user=user, note=note, meeting_on=meeting_on
        )
    return deployment


def deployment_scoping_done(deployment, *, user, note=""):
    with transaction.atomic():
        deployment = transition_run(deployment, "scoping_done", user=user, note=note)
    return deployment


def deployment_send_for_sign_off(deployment, *, user, note=""):
    with transaction.atomic():
        deployment = transition_run(
            deployment, "send_for_sign_off", user=user, note=note, today=_today()
        )
    return deployment


def deployment_school_signs_off(deployment, *, user, note=""):
    today = _today()
    if deployment.sent_for_sign_off_on and today < deployment.sent_for_sign_off_on:
        raise ValidationError("The school cannot sign off before the system leader sent the form.")
    with transaction.atomic():
        deployment = transition_run(
            deployment, "school_signs_off", user=user, note=note, today=today
        )
    return deployment


def deployment_submit(deployment, *, user, note=""):
    with transaction.atomic():
        deployment = transition_run(deployment, "submit", user=user, note=note, today=_today())
    return deployment


def deployment_rdp_returns(deployment, *, user, comments, sections, note=""):
    comments = _require_text(comments, "comments", "Say what needs to change.")
    sections = list(dict.fromkeys(sections or []))
    if not sections:
        raise ValidationError({"sections": "Select the sections to reopen."})
    unknown = [s for s in sections if s not in SECTION_KEYS]
    if unknown:
        raise ValidationError({"sections": f"Not a section: {', '.join(unknown)}."})
    with transaction.atomic():
        deployment = transition_run(
            deployment,
            "rdp_returns",
            user=user,
            note=note or comments,
            comments=comments,
            sections=sections,
        )
        email_queue(
            to=selectors.leader_emails(deployment),
            template="deployment_returned",
            context=_context(
                deployment,
                comments=comments,
                sections=[SECTIONS[k].title for k in sections],
            ),
        )
    return deployment


def deployment_rdp_accepts(deployment, *, user, note=""):
    with transaction.atomic():
        deployment = transition_run(
            deployment, "rdp_accepts", user=user, note=note, today=_today(), by=user
        )
        deployment_accepted(deployment, user=user)
    return deployment


def deployment_accepted(deployment: Deployment, *, user) -> None:
    """What follows the RDP's acceptance: the day claim is made in the
    background once the acceptance commits (a Celery task)."""
    from deployments.claims.services import claim_queue_for_deployment

    claim_queue_for_deployment(deployment)


def deployment_end_call_held(
    deployment, *, user, held_on, school_experience, future_plans, issues="", note=""
):
    errors = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the call."
    elif deployment.accepted_on and held_on < deployment.accepted_on:
        errors["held_on"] = "The call cannot be before the form was accepted."
    elif held_on > _today():
        errors["held_on"] = ERROR_FUTURE
    if not (school_experience or "").strip():
        errors["school_experience"] = "Describe the school's experience of the offer."
    if not (future_plans or "").strip():
        errors["future_plans"] = "Describe the school's future plans."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        deployment = transition_run(
            deployment,
            "end_call_held",
            user=user,
            note=note,
            held_on=held_on,
            school_experience=school_experience.strip(),
            future_plans=future_plans.strip(),
            issues=(issues or "").strip(),
        )
        email_queue(
            to=selectors.leader_emails(deployment)
            + (selectors.regions_staff_emails(deployment) if (issues or "").strip() else []),
            template="deployment_closed",
            context=_context(deployment, issues=(issues or "").strip()),
        )
    return deployment


def deployment_withdraw(deployment, *, user, reason, note=""):
    reason = _require_text(reason, "reason", "Give the reason for withdrawing.")
    with transaction.atomic():
        deployment = transition_run(
            deployment, "withdraw", user=user, note=note or reason, reason=reason
        )
    return deployment


# Pause and resume ------------------------------------------------------------


def _lock(deployment: Deployment) -> Deployment:
    return Deployment.objects.select_for_update().get(pk=deployment.pk)


def deployment_pause(deployment, *, user, reason):
    """Regions Group staff or the RDP stop the clock: the deployment becomes
    read-only and its due dates stop counting."""
    if not user.has_perm("deployments.pause_deployment", deployment):
        raise PermissionDenied("You cannot pause this deployment.")
    reason = _require_text(reason, "reason", "Give the reason for pausing.")
    with transaction.atomic():
        locked = _lock(deployment)
        if not locked.is_open:
            raise WorkflowConflict("Only an open deployment can be paused.", state=locked.state)
        if locked.is_paused:
            raise WorkflowConflict("This deployment is already paused.", state=locked.state)
        locked.paused_at = timezone.now()
        locked.pause_reason = reason
        locked.save(update_fields=["paused_at", "pause_reason"])
        timeline_record(locked, name="paused", by=user, note=reason)
        email_queue(
            to=selectors.leader_emails(locked) + selectors.contact_emails(locked),
            template="deployment_paused",
            context=_context(locked, reason=reason),
        )
    return locked


def deployment_resume(deployment, *, user, note=""):
    """Restart the clock: every open due date moves on by the working days
    the deployment was paused."""
    if not user.has_perm("deployments.pause_deployment", deployment):
        raise PermissionDenied("You cannot resume this deployment.")
    with transaction.atomic():
        locked = _lock(deployment)
        if not locked.is_paused:
            raise WorkflowConflict("This deployment is not paused.", state=locked.state)
        paused_days = working_days_between(timezone.localdate(locked.paused_at), _today())
        if locked.due_on:
            locked.due_on = add_working_days(locked.due_on, paused_days)
        locked.paused_at = None
        locked.pause_reason = ""
        locked.save(update_fields=["paused_at", "pause_reason", "due_on"])
        for request in locked.enhanced_requests.filter(
            state__in=EnhancedRequest.PENDING_STATES, due_on__isnull=False
        ):
            request.due_on = add_working_days(request.due_on, paused_days)
            request.save(update_fields=["due_on"])
        timeline_record(
            locked,
            name="resumed",
            by=user,
            note=note or f"Due dates moved on by {paused_days} working days.",
        )
        email_queue(
            to=selectors.leader_emails(locked) + selectors.contact_emails(locked),
            template="deployment_resumed",
            context=_context(locked, paused_days=paused_days),
        )
    return locked


# The form's sections ---------------------------------------------------------


def _section_check(deployment: Deployment, key: str, user) -> None:
    if key not in SECTIONS:
        raise ValidationError({"key": f"Not a section: {key}."})
    if not user.has_perm(section_permission(key), deployment):
        raise PermissionDenied("You cannot change this section.")
    problem = section_edit_problem(deployment, key)
    if problem:
        raise WorkflowConflict(problem, state=deployment.state)


@sensitive_variables("data", "cleaned", "valid")
def deployment_section_save(deployment, key: str, *, user, data: dict, keep_valid=False):
    """Save the given values of one section. A wrong value is a ValidationError
    and, by default, nothing of the request is saved (the API). With
    `keep_valid` (the HTML pages' autosave) the valid values are saved first
    and the errors raised after."""
    with transaction.atomic():
        deployment = _lock(deployment)
        _section_check(deployment, key, user)
        cleaned, errors = section_clean(deployment, key, data)
        if errors and not keep_valid:
            raise ValidationError(errors)
        valid = {name: value for name, value in cleaned.items() if name not in errors}
        if valid:
            if key == "bank_details":
                _bank_details_save(deployment, user=user, values=valid)
            else:
                section, _ = DeploymentSection.objects.get_or_create(deployment=deployment, key=key)
                section.data = {**section.data, **valid}
                section.updated_by = user
                section.save()
            if key in (deployment.reopened_sections or []):
                deployment.reopened_sections = [k for k in deployment.reopened_sections if k != key]
                deployment.save(update_fields=["reopened_sections"])
            timeline_record(
                deployment,
                name="section_saved",
                by=user,
                note=f"Saved “{SECTIONS[key].title}”: {', '.join(sorted(valid))}.",
            )
    if errors:
        raise ValidationError(errors)
    return deployment


@sensitive_variables("values", "sort_code", "account_number")
def _bank_details_save(deployment: Deployment, *, user, values: dict) -> None:
    bank, _ = BankDetails.objects.get_or_create(deployment=deployment)
    changed = False
    if "account_name" in values:
        bank.account_name = values["account_name"] or ""
        changed = True
    if "sort_code" in values:
        sort_code = values["sort_code"] or ""
        bank.sort_code_encrypted = crypto.encrypt(sort_code)
        bank.sort_code_last2 = sort_code[-2:]
        changed = True
    if "account_number" in values:
        account_number = values["account_number"] or ""
        bank.account_number_encrypted = crypto.encrypt(account_number)
        bank.account_number_last4 = account_number[-4:]
        changed = True
    if not changed:
        return
    bank.fingerprint = crypto.fingerprint(
        crypto.decrypt(bank.sort_code_encrypted), crypto.decrypt(bank.account_number_encrypted)
    )
    now = timezone.now()
    bank.changed_at = now
    bank.changed_by = user
    bank.save()
    deployment.bank_details_changed_at = now
    deployment.save(update_fields=["bank_details_changed_at"])


# The activity log ------------------------------------------------------------

ACTIVITY_STATES = (Deployment.State.ISSUED, Deployment.State.ENGAGED, Deployment.State.DELIVERY)


def activity_create(deployment, *, user, date, days, description, delivered_by=""):
    """Log what was done. An NLE names a colleague only if DfE agreed their
    wider team; dates fall between the issue and today (or the completion date)."""
    with transaction.atomic():
        deployment = _lock(deployment)
        if not user.has_perm("deployments.lead_deployment", deployment):
            raise PermissionDenied("Only the deployment's system leader logs activities.")
        if deployment.is_paused:
            raise WorkflowConflict(
                "This deployment is paused: it is read-only until it resumes.",
                state=deployment.state,
            )
        if deployment.state not in ACTIVITY_STATES:
            raise WorkflowConflict(
                "Activities are logged while the deployment is being delivered.",
                state=deployment.state,
            )
        errors = {}
        leader = deployment.system_leader
        if date is None:
            errors["date"] = "Enter the date of the activity."
        elif date < deployment.issued_on:
            errors["date"] = ERROR_NOT_BEFORE_ISSUE.format(
                issued=f"{deployment.issued_on:%-d %B %Y}"
            )
        elif date > _today():
            errors["date"] = ERROR_FUTURE
        elif deployment.completion_date and date > deployment.completion_date:
            errors["date"] = "The date cannot be after the deployment's completion date."
        try:
            days = half_days(days)
        except ValidationError as exc:
            errors["days"] = exc.messages[0]
        else:
            total = selectors.days_logged(deployment) + days
            if total > deployment.claim_cap_days:
                errors["days"] = (
                    f"This would log {total.normalize():f} days, more than the "
                    f"{deployment.claim_cap_days.normalize():f} agreed."
                )
        if not (description or "").strip():
            errors["description"] = "Describe the activity."
        name = (delivered_by or "").strip()
        by_colleague = bool(name) and name.lower() not in (
            "system_leader",
            leader.user.full_name.lower(),
        )
        if by_colleague and leader.kind == leader.Kind.NLE and not leader.wider_team_agreed:
            errors["delivered_by"] = (
                "An NLE delivers the support themselves unless DfE agreed their wider team."
            )
        if errors:
            raise ValidationError(errors)
        activity = Activity.objects.create(
            deployment=deployment,
            date=date,
            days=days,
            description=description.strip(),
            delivered_by=name if by_colleague else leader.user.full_name,
            by_colleague=by_colleague,
            created_by=user,
        )
        timeline_record(
            deployment,
            name="activity_logged",
            by=user,
            note=f"{days.normalize():f} days on {date:%-d %B %Y}",
        )
    return activity


# Enhanced support -------------------------------------------------------------


def request_email_context(request: EnhancedRequest, *, note: str = "", **extra) -> dict:
    """Every enhanced-request e-mail's context (the table's, the sweep's, the
    services'), in plain JSON."""
    return deployment_email_context(
        request.deployment,
        note=note,
        request_id=request.pk,
        kind=request.get_kind_display(),
        request_state=request.get_state_display(),
        **{"due_on": request.due_on.isoformat() if request.due_on else "", **extra},
    )


_request_context = request_email_context


def enhanced_request_create(
    deployment,
    *,
    user,
    kind,
    days=None,
    context="",
    benefit="",
    school_agrees=None,
    suggested_trust_uid="",
    tell_regions_group=False,
):
    """The system leader asks for one of the enhanced strand's options."""
    from schools.models import Trust

    with transaction.atomic():
        deployment = _lock(deployment)
        if not user.has_perm("deployments.request_enhanced_support", deployment):
            raise PermissionDenied("Only the deployment's system leader asks for enhanced support.")
        if deployment.state not in Deployment.OPEN_STATES or deployment.is_paused:
            raise WorkflowConflict(
                "Enhanced support is asked for during an open deployment.", state=deployment.state
            )
        existing = deployment.enhanced_requests.filter(
            state__in=EnhancedRequest.BLOCKING_STATES
        ).first()
        if existing:
            raise WorkflowConflict(
                "This deployment already has enhanced support "
                f"({existing.get_kind_display().lower()}, {existing.get_state_display().lower()}):"
                " one of an extension or a partnership.",
                state=existing.state,
            )
        errors = {}
        trust = None
        if kind == EnhancedRequest.Kind.EXTENSION:
            try:
                days = half_days(days, cap=Decimal(deployment.offer.max_extension_days))
            except ValidationError as exc:
                errors["days"] = exc.messages[0]
            if not (context or "").strip():
                errors["context"] = "Give the context for the extra days."
        elif kind == EnhancedRequest.Kind.FUNDED_PARTNERSHIP:
            days = None
            if not (benefit or "").strip():
                errors["benefit"] = "Set out the potential benefit to the school or trust."
            if school_agrees is not True:
                errors["school_agrees"] = "The school or trust must agree to a partnership."
            if suggested_trust_uid:
                trust = Trust.objects.filter(uid=suggested_trust_uid).first()
                if trust is None:
                    errors["suggested_trust_uid"] = "No trust has this group UID."
        elif kind == EnhancedRequest.Kind.UNFUNDED_PARTNERSHIP:
            days = None
            if suggested_trust_uid:
                trust = Trust.objects.filter(uid=suggested_trust_uid).first()
                if trust is None:
                    errors["suggested_trust_uid"] = "No trust has this group UID."
        else:
            errors["kind"] = "Select extension, funded_partnership or unfunded_partnership."
        if errors:
            raise ValidationError(errors)
        unfunded = kind == EnhancedRequest.Kind.UNFUNDED_PARTNERSHIP
        request = EnhancedRequest.objects.create(
            deployment=deployment,
            kind=kind,
            days=days,
            context=(context or "").strip(),
            benefit=(benefit or "").strip(),
            school_agrees=school_agrees,
            suggested_trust=trust,
            tell_regions_group=bool(tell_regions_group),
            state=EnhancedRequest.State.RECORDED if unfunded else EnhancedRequest.State.REQUESTED,
            requested_by=user,
        )
        request.due_on = workflow_due_on(request, start=_today())
        request.save(update_fields=["due_on"])
        timeline_record(request, name="requested" if not unfunded else "recorded", by=user)
        timeline_record(
            deployment,
            name="enhanced_support_requested",
            by=user,
            note=request.get_kind_display(),
        )
        if unfunded:
            if tell_regions_group:
                email_queue(
                    to=selectors.regions_staff_emails(deployment),
                    template="deployment_enhanced_unfunded",
                    context=_request_context(request),
                )
        else:
            email_queue(
                to=selectors.rdp_emails(deployment),
                template="deployment_enhanced_requested",
                context=_request_context(request),
            )
    return request


def enhanced_request_rdp_forwards(request, *, user, note=""):
    with transaction.atomic():
        request = transition_run(request, "rdp_forwards", user=user, note=note)
    return request


def _extension_window_end(offer, start: dt.date) -> dt.date:
    return start + dt.timedelta(weeks=offer.extension_window_weeks)


def enhanced_request_dfe_approves(
    request, *, user, completion_date=None, summary="", copy_to="", note=""
):
    """Approve: an extension raises the claim cap and sets the completion
    date; a funded partnership gets its grant offer and instalments."""
    today = _today()
    deployment = request.deployment
    offer = deployment.offer
    if request.kind == EnhancedRequest.Kind.EXTENSION:
        window_end = _extension_window_end(offer, today)
        if completion_date is None:
            completion_date = window_end
        elif not (today <= completion_date <= window_end):
            raise ValidationError(
                {
                    "completion_date": (
                        f"The completion date must be between today and {window_end:%-d %B %Y}"
                        f" ({offer.extension_window_weeks} weeks)."
                    )
                }
            )
    elif request.kind == EnhancedRequest.Kind.FUNDED_PARTNERSHIP:
        if request.suggested_trust is None:
            raise ValidationError(
                {"suggested_trust_uid": "Name the partner trust before approving."}
            )
        completion_date = None
    with transaction.atomic():
        request = transition_run(
            request,
            "dfe_approves",
            user=user,
            note=note or summary,
            by=user,
            today=today,
            completion_date=completion_date,
            summary=(summary or "").strip(),
        )
        request.copy_to = copy_to or ""
        request.save(update_fields=["copy_to"])
        deployment = _lock(request.deployment)
        if request.kind == EnhancedRequest.Kind.EXTENSION:
            deployment.approved_extension_days += request.days
            deployment.completion_date = completion_date
            deployment.save(update_fields=["approved_extension_days", "completion_date"])
        else:
            _grant_create(request, start=today)
        timeline_record(
            deployment,
            name="enhanced_support_approved",
            by=user,
            note=request.get_kind_display(),
        )
        _decision_email(request, approved=True)
    return request


def _grant_create(request: EnhancedRequest, *, start: dt.date) -> PartnershipGrant:
    offer = request.deployment.offer
    months = offer.partnership_months
    end_month = start.month - 1 + months
    year, month = start.year + end_month // 12, end_month % 12 + 1
    ends_on = dt.date(year, month, min(start.day, 28))
    grant = PartnershipGrant.objects.create(
        enhanced_request=request,
        partner_trust=request.suggested_trust,
        starts_on=start,
        ends_on=ends_on,
        months=months,
        total=offer.instalment_amount * offer.partnership_instalments,
    )
    count = offer.partnership_instalments
    for number in range(1, count + 1):
        if number == 1:
            condition = "On receipt of a signed grant offer confirming a signed SLA is in place."
            needs = [GrantInstalment.Evidence.SIGNED_GRANT_OFFER]
        elif number == count:
            condition = (
                "At the end of the partnership, on the trust's report of the activities "
                "and the school's confirmation they went ahead as described."
            )
            needs = [
                GrantInstalment.Evidence.PARTNERSHIP_REPORT,
                GrantInstalment.Evidence.SCHOOL_CONFIRMATION,
            ]
        else:
            condition = "On the trust's interim report of the activities."
            needs = [GrantInstalment.Evidence.PARTNERSHIP_REPORT]
        GrantInstalment.objects.create(
            grant=grant,
            number=number,
            amount=offer.instalment_amount,
            condition=condition,
            needs=[str(n) for n in needs],
        )
    return grant


def enhanced_request_dfe_declines(request, *, user, rationale, copy_to="", note=""):
    rationale = _require_text(rationale, "rationale", "Give the rationale for declining.")
    with transaction.atomic():
        request = transition_run(
            request,
            "dfe_declines",
            user=user,
            note=note or rationale,
            by=user,
            today=_today(),
            rationale=rationale,
        )
        request.copy_to = copy_to or ""
        request.save(update_fields=["copy_to"])
        timeline_record(
            request.deployment,
            name="enhanced_support_declined",
            by=user,
            note=f"{request.get_kind_display()}: {rationale}",
        )
        _decision_email(request, approved=False)
    return request


def _decision_email(request: EnhancedRequest, *, approved: bool) -> None:
    deployment = request.deployment
    to = selectors.leader_emails(deployment) + selectors.rdp_emails(deployment)
    if request.kind == EnhancedRequest.Kind.FUNDED_PARTNERSHIP:
        to += selectors.contact_emails(deployment)
    if request.copy_to:
        to.append(request.copy_to)
    email_queue(
        to=to,
        template="deployment_enhanced_decided",
        context=_request_context(
            request,
            approved=approved,
            rationale=request.rationale,
            summary=request.summary,
            completion_date=request.completion_date.isoformat() if request.completion_date else "",
            days=str(request.days) if request.days is not None else "",
        ),
    )


def grant_evidence_record(instalment, *, user, evidence, received_on):
    """Record that a piece of evidence arrived; the instalment's condition is
    met when everything it needs is in (the claims issue then pays it)."""
    request = instalment.grant.enhanced_request
    if not user.has_perm("deployments.record_grant_evidence", request):
        raise PermissionDenied("You cannot record grant evidence.")
    if evidence not in instalment.needs:
        raise ValidationError({"evidence": "This instalment does not need that evidence."})
    if received_on is None:
        raise ValidationError({"received_on": "Enter the date it was received."})
    if received_on > _today() or received_on < instalment.grant.starts_on:
        raise ValidationError(
            {"received_on": "The date must be between the grant's start and today."}
        )
    with transaction.atomic():
        locked = GrantInstalment.objects.select_for_update().get(pk=instalment.pk)
        locked.received = {**locked.received, evidence: received_on.isoformat()}
        now_met = locked.condition_met_on is None and all(
            n in locked.received for n in locked.needs
        )
        if now_met:
            locked.condition_met_on = max(
                dt.date.fromisoformat(locked.received[n]) for n in locked.needs
            )
        locked.save()
        if now_met:
            from deployments.claims.services import claim_queue_for_instalment

            claim_queue_for_instalment(locked)
        timeline_record(
            request,
            name="grant_evidence",
            by=user,
            note=f"Instalment {locked.number}: {GrantInstalment.Evidence(evidence).label}",
        )
    return locked


# Case studies ------------------------------------------------------------------


def case_study_save(deployment, *, user, title, context, support_carried_out, impact, next_steps):
    if not user.has_perm("deployments.write_case_study", deployment):
        raise PermissionDenied("You cannot write this deployment's case study.")
    values = {
        "title": title,
        "context": context,
        "support_carried_out": support_carried_out,
        "impact": impact,
        "next_steps": next_steps,
    }
    errors = {
        k: "Enter this part of the case study." for k, v in values.items() if not (v or "").strip()
    }
    if errors:
        raise ValidationError(errors)
    from deployments.delivery.sections import section_data

    focus = [a["key"] for a in section_data(deployment, "scope").get("focus_areas") or []]
    with transaction.atomic():
        study, _ = CaseStudy.objects.update_or_create(
            deployment=deployment,
            defaults={
                **{k: v.strip() for k, v in values.items()},
                "focus_areas": focus,
                "phase": deployment.school.phase if deployment.school else "",
                "created_by": user,
            },
        )
        timeline_record(deployment, name="case_study_saved", by=user, note=study.title)
    return study
