"""Writes for deployments. The only module that changes their state.

One function per transition (the contract's "Deployments" and "Enhanced
support" tables): validate the fields (ValidationError -> 400), run the
django-fsm transition through `portal.workflow.transition_run` (403/409, lock,
timeline), which sets the next due date and queues the hand-off e-mail from
the workflow's table (`deployments.delivery.models`); the services add only
e-mails that are not a state's hand-off. Section saves, the activity log,
pause/resume follow the same order: permission, state, values. Enhanced
support requests and their grants: `deployments.delivery.enhanced`."""

import datetime as dt

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
)
from deployments.delivery.sections import (
    COMPLETED,
    SECTIONS,
    half_days,
    section_clean,
    section_edit_problem,
    section_missing,
    section_permission,
    section_saved_fields,
    section_statuses,
)
from portal.emails import email_context
from portal.notify import email_queue
from portal.text import days as text_days
from portal.workdays import add_working_days, working_days_between
from portal.workflow import WorkflowConflict, timeline_record, transition_run
from portal.workflow_spec import workflow_due_on

ERROR_NOT_BEFORE_ISSUE = "The date cannot be before the deployment was issued ({issued})."
ERROR_FUTURE = "The date cannot be in the future."


def _today() -> dt.date:
    return timezone.localdate()


def deployment_email_context(deployment: Deployment, *, note: str = "", **extra) -> dict:
    """Every deployment e-mail's context (the table's hand-offs, the overdue
    sweep's and the services'), through the one e-mail context builder; `extra`
    wins over the deployment's own values (a request's `due_on`, say)."""
    values = {
        "deployment_id": deployment.pk,
        "target_name": str(deployment.target),
        "region": deployment.region.name,
        "system_leader": deployment.system_leader.user.full_name,
        "state": deployment.get_state_display(),
        "due_on": deployment.due_on or "",
        "meeting_on": deployment.meeting_on or "",
        "reason": deployment.withdrawn_reason,
        "note": note,
        "path": reverse("deployments:deployment-detail", args=[deployment.pk]),
    }
    if deployment.state == Deployment.State.WITHDRAWN:
        values["withdrawn_by"] = _withdrawn_by(deployment)
    return email_context({**values, **extra})


def _withdrawn_by(deployment: Deployment) -> str:
    """ "the system leader" or the Regions Group member who withdrew it."""
    event = (
        deployment.timeline_events.filter(name__in=("withdraw", "system_leader_withdraws"))
        .select_related("by")
        .order_by("-at", "-id")
        .first()
    )
    if event is None:
        return ""
    if event.name == "system_leader_withdraws":
        return "the system leader"
    return f"{event.by_name}, Regions Group" if event.by_name else "Regions Group staff"


def _require_text(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


# Creation (the support case's `issue_deployment` calls this) -----------------


def deployment_create_for_case(*, case) -> Deployment:
    """The deployment a support case's `issue_deployment` creates (called
    inside that transition's transaction), due by the offer's initial-meeting SLA.
    A case matched again after a withdrawal gets the offer's core days less the
    days logged on its earlier deployments."""
    today = _today()
    deployment = Deployment(
        support_case=case,
        offer=case.offer,
        system_leader=case.system_leader,
        school=case.school,
        trust=case.trust,
        region=case.region,
        issued_on=today,
        earlier_days_logged=case.earlier_days_logged(),
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


SIGN_MISSING = {
    "work_as_described": "Select yes if the work was carried out as described",
    "name": "Enter your name",
    "role": "Enter your role",
}


def deployment_school_confirm_and_sign(deployment, *, user, data: dict):
    """The school's "Confirm and sign": section 8 saved and `school_signs_off`
    taken in one transaction; a wrong or missing value saves nothing."""
    with transaction.atomic():
        deployment = deployment_section_save(
            deployment, "school_confirmation", user=user, data=data
        )
        missing = section_missing(deployment, "school_confirmation")
        if missing:
            raise ValidationError({name: SIGN_MISSING[name] for name in missing})
        deployment = deployment_school_signs_off(deployment, user=user)
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
            context=deployment_email_context(
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
            context=deployment_email_context(deployment, issues=(issues or "").strip()),
        )
    return deployment


def deployment_withdraw(deployment, *, user, reason, note=""):
    """Regions Group staff withdraw the deployment; the case is matched again
    (`interruptions.deployment_withdrawal_follows`)."""
    return _withdraw(deployment, "withdraw", user=user, reason=reason, note=note)


def deployment_system_leader_withdraws(deployment, *, user, reason, note=""):
    """The system leader withdraws (before sending the form for sign-off); the
    case is matched again, never with them."""
    return _withdraw(deployment, "system_leader_withdraws", user=user, reason=reason, note=note)


def _withdraw(deployment, name: str, *, user, reason, note):
    from deployments.delivery.interruptions import deployment_withdrawal_follows

    reason = _require_text(reason, "reason", "Give the reason for withdrawing.")
    with transaction.atomic():
        deployment = transition_run(deployment, name, user=user, note=note or reason, reason=reason)
        deployment_withdrawal_follows(deployment, user=user)
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
            context=deployment_email_context(locked, reason=reason),
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
            context=deployment_email_context(locked, paused_days=paused_days),
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
            if deployment.delay_reported_on and user.has_perm(
                "deployments.lead_deployment", deployment
            ):
                deployment.delay_clear()  # the leader is back at work
                deployment.save(
                    update_fields=["delay_reported_on", "delay_reason", "delay_expected_resume_on"]
                )
            reopened = key in (deployment.reopened_sections or [])
            if reopened:
                deployment.reopened_sections = [k for k in deployment.reopened_sections if k != key]
                deployment.save(update_fields=["reopened_sections"])
            timeline_record(
                deployment,
                name="section_saved",
                by=user,
                note=f"Saved “{SECTIONS[key].title}”: {section_saved_fields(key, valid)}.",
            )
            if key == "mid_review":
                _mid_review_return(deployment, user=user, reopened=reopened)
    if errors:
        raise ValidationError(errors)
    return deployment


def _mid_review_return(deployment: Deployment, *, user, reopened: bool) -> None:
    """Completing the mid-engagement review is the guidance's "mid-TSIO
    engagement checklist and complete return to RDP": the region's RDPs get it
    by e-mail and the timeline records `mid_review_returned`. Once: a re-save of
    a returned review sends nothing, unless the RDP reopened the section
    (`rdp_returns`) and this save completes it again."""
    if section_statuses(deployment)["mid_review"] != COMPLETED:
        return
    returned = deployment.timeline_events.filter(name="mid_review_returned").exists()
    if returned and not reopened:
        return
    data = next(s.data for s in deployment.sections.all() if s.key == "mid_review")
    timeline_record(deployment, name="mid_review_returned", by=user, note="E-mailed to the RDP.")
    email_queue(
        to=selectors.rdp_emails(deployment),
        template="deployment_mid_review_returned",
        context=deployment_email_context(
            deployment, progress=data.get("progress") or "", changes=data.get("changes") or ""
        ),
    )


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


def activity_create(
    deployment, *, user, date, days, description, delivered_by="", mode=Activity.Mode.FACE_TO_FACE
):
    """Log what was done and how (face to face or remote). An NLE names a
    colleague only if DfE agreed their wider team; dates fall between the issue
    and today (or the completion date)."""
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
        if mode not in Activity.Mode.values:
            errors["mode"] = "Select whether the activity was face to face or remote."
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
            mode=mode,
            created_by=user,
        )
        timeline_record(
            deployment,
            name="activity_logged",
            by=user,
            note=f"{text_days(days)} {'day' if days == 1 else 'days'} on {date:%-d %B %Y}, "
            f"{activity.get_mode_display().lower()}",
        )
    return activity


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
