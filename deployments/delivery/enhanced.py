"""Writes for enhanced support (guidance section 5): the system leader's
request, the RDP's quality assurance, DfE's decision, and a funded
partnership's grant and the evidence that makes its instalments due.

The same order as every service: permission, state, values; transitions go
through `portal.workflow.transition_run`, which sets the deadline and sends
the hand-off e-mail from the request's table (`deployments.delivery.models`).
The decision's e-mail names it: the service sends it, to the table's recipients."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from deployments.delivery import grants, selectors
from deployments.delivery.models import Deployment, EnhancedRequest
from deployments.delivery.sections import half_days
from deployments.delivery.services import (
    _lock,
    _require_text,
    _today,
    deployment_email_context,
)
from portal.notify import email_queue
from portal.workflow import WorkflowConflict, timeline_record, transition_run
from portal.workflow_spec import party_emails, spec_for, workflow_due_on

ERROR_EXTENSION_NEEDS_AGREEMENT = "The school or trust must agree to the extra days."
ERROR_PARTNERSHIP_NEEDS_AGREEMENT = "The school or trust must agree to a partnership."


def extension_state_problem(deployment: Deployment) -> str:
    """Why extra days cannot be asked for now ("" when they can): only while
    the deployment is engaged or in delivery."""
    if deployment.state in EnhancedRequest.EXTENSION_STATES:
        return ""
    if deployment.state == Deployment.State.ISSUED:
        return (
            "Extra days are asked for once the initial meeting has taken place, "
            "while the support is being delivered."
        )
    return (
        "Extra days are asked for while the support is being delivered: this "
        f"deployment is at “{deployment.get_state_display()}”, so the form is already "
        "with the school or the RDP."
    )


def request_email_context(request: EnhancedRequest, *, note: str = "", **extra) -> dict:
    """Every enhanced-request e-mail's context (the table's, the sweep's, the
    services'), in plain JSON."""
    return deployment_email_context(
        request.deployment,
        note=note,
        request_id=request.pk,
        kind=request.get_kind_display(),
        request_state=request.get_state_display(),
        **{"due_on": request.due_on or "", **extra},
    )


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
        if kind == EnhancedRequest.Kind.EXTENSION:
            problem = extension_state_problem(deployment)
            if problem:
                raise WorkflowConflict(problem, state=deployment.state)
        errors = {}
        trust = None
        if kind == EnhancedRequest.Kind.EXTENSION:
            try:
                days = half_days(days, cap=Decimal(deployment.offer.max_extension_days))
            except ValidationError as exc:
                errors["days"] = exc.messages[0]
            if not (context or "").strip():
                errors["context"] = "Give the context for the extra days."
            if school_agrees is not True:
                errors["school_agrees"] = ERROR_EXTENSION_NEEDS_AGREEMENT
        elif kind == EnhancedRequest.Kind.FUNDED_PARTNERSHIP:
            days = None
            if not (benefit or "").strip():
                errors["benefit"] = "Set out the potential benefit to the school or trust."
            if school_agrees is not True:
                errors["school_agrees"] = ERROR_PARTNERSHIP_NEEDS_AGREEMENT
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
        timeline_record(
            request,
            name="requested" if not unfunded else "recorded",
            by=user,
            note=_agreement_note(school_agrees),
        )
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
                    context=request_email_context(request),
                )
        else:
            email_queue(
                to=selectors.rdp_emails(deployment),
                template="deployment_enhanced_requested",
                context=request_email_context(request),
            )
    return request


def _agreement_note(school_agrees) -> str:
    """The school's agreement as the request's history records it."""
    if school_agrees is True:
        return "The school or trust agrees."
    if school_agrees is False:
        return "The school or trust does not agree."
    return ""


def enhanced_request_rdp_forwards(request, *, user, note=""):
    with transaction.atomic():
        request = transition_run(request, "rdp_forwards", user=user, note=note)
    return request


def _extension_window_end(offer, start: dt.date) -> dt.date:
    return start + dt.timedelta(weeks=offer.extension_window_weeks)


def enhanced_request_dfe_approves(
    request,
    *,
    user,
    completion_date=None,
    summary="",
    copy_to="",
    note="",
    partner_trust_uid="",
    starts_on=None,
    partner_contact_email="",
):
    """Approve: an extension raises the claim cap and sets the completion
    date; a funded partnership gets its grant offer and instalments, paid to
    the partner trust (`deployments.delivery.grants`)."""
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
    grant_values = None
    if request.kind == EnhancedRequest.Kind.FUNDED_PARTNERSHIP:
        # The grant's values are checked (400) only when the step is allowed
        # now: a refused step answers its 403 or 409 first (transition_run).
        if request.state == EnhancedRequest.State.WITH_DFE and user.has_perm(
            "deployments.decide_enhanced_request", request
        ):
            grant_values = grants.grant_approval_check(
                request,
                partner_trust_uid=partner_trust_uid,
                starts_on=starts_on,
                partner_contact_email=partner_contact_email,
                today=today,
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
            grants.grant_create(request, **grant_values, user=user)
        timeline_record(
            deployment,
            name="enhanced_support_approved",
            by=user,
            note=request.get_kind_display(),
        )
        _decision_email(request, approved=True)
    return request


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
    # The table's recipients for the decision (deployments.delivery.workflows).
    email = spec_for(request).step(request.state).email
    to = party_emails(request, email.parties(request))
    if request.copy_to:
        to.append(request.copy_to)
    email_queue(
        to=to,
        template=email.template,
        context=request_email_context(
            request,
            approved=approved,
            rationale=request.rationale,
            summary=request.summary,
            completion_date=request.completion_date or "",
            days=str(request.days) if request.days is not None else "",
        ),
    )
