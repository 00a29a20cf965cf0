"""Writes for self-assessments and complaints: the only module that changes them.

Complaint steps follow the workflow pattern: one service per transition calls
`portal.workflow.transition_run` (lock, 403/409 checks, timeline), which sets
the next stage's due date from the complaint's table (its `ComplaintStageSla`
row); the service then e-mails the complainant."""

import hashlib
import secrets

import rules
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from guarantees import selectors
from guarantees.choices import DECISION_OUTCOMES, ComplaintState, Rating
from guarantees.models import (
    Complaint,
    LocalAuthorityTuitionContact,
    SelfAssessment,
    SelfAssessmentRating,
)
from portal import scoping
from portal.emails import email_context
from portal.notify import email_queue
from portal.ratelimit import hit, within_limits
from portal.workflow import timeline_record, transition_run
from portal.workflow_spec import workflow_due_on

# --- messages the tests assert on ------------------------------------------------------------
SUBMITTED_IS_FINAL = "This self-assessment has been submitted and can no longer be changed."
RATING_MISSING = "Rate {reference}: Met, Partly met, Not met or Not applicable."
EVIDENCE_MISSING = "Enter the evidence for your rating of {reference}."
LINK_GOVERNOR_MISSING = "Enter the name of the link governor for the Guarantees."
RATING_UNKNOWN = "Choose Met, Partly met, Not met or Not applicable."
NOT_FOR_THIS_SCHOOL = "This entitlement does not apply to this school's phase."
RATE_LIMITED = (
    "Too many complaints have been sent from this e-mail address or connection today. "
    "Try again tomorrow, or contact the school directly."
)
REASON_REQUIRED = "Enter the reason."
OUTCOME_REQUIRED = "Choose the outcome."
ENTITLEMENT_REQUIRED = "Select at least one entitlement."
CONFIRM_LINK_INVALID = "This link is not valid or has expired."

CONFIRM_SALT = "guarantees.complaint-confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# --- self-assessments ------------------------------------------------------------------------


def self_assessment_start(*, school, year: int, user) -> SelfAssessment:
    """This year's self-assessment for a school (a draft with one row per
    entitlement that applies to its phase), creating it the first time."""
    if not rules.has_perm("guarantees.edit_self_assessment", user, school):
        raise PermissionDenied("Only the school's contact can fill in its self-assessment.")
    with transaction.atomic():
        assessment, created = SelfAssessment.objects.get_or_create(
            school=school, year=year, defaults={"created_by": user}
        )
        if created:
            SelfAssessmentRating.objects.bulk_create(
                SelfAssessmentRating(assessment=assessment, entitlement=entitlement)
                for entitlement in selectors.entitlements_for_school(school)
            )
    return assessment


def self_assessment_save(
    *,
    assessment: SelfAssessment,
    user,
    ratings: dict[int, tuple[str, str]],
    link_governor_name: str = "",
    link_governor_email: str = "",
) -> SelfAssessment:
    """Save ratings ({entitlement id: (rating, evidence)}) and the link governor
    as a draft. Nothing is saved when a value is wrong."""
    if not rules.has_perm("guarantees.edit_self_assessment", user, assessment):
        raise PermissionDenied("Only the school's contact can change its self-assessment.")
    with transaction.atomic():
        locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.state == SelfAssessment.State.SUBMITTED:
            raise ValidationError(SUBMITTED_IS_FINAL)
        rows = {r.entitlement_id: r for r in locked.ratings.all()}
        errors = {}
        for entitlement_id, (rating, _evidence) in ratings.items():
            if entitlement_id not in rows:
                errors[f"rating_{entitlement_id}"] = NOT_FOR_THIS_SCHOOL
            elif rating and rating not in Rating.values:
                errors[f"rating_{entitlement_id}"] = RATING_UNKNOWN
        if errors:
            raise ValidationError(errors)
        changed = []
        for entitlement_id, (rating, evidence) in ratings.items():
            row = rows[entitlement_id]
            row.rating, row.evidence = rating or "", (evidence or "").strip()
            changed.append(row)
        SelfAssessmentRating.objects.bulk_update(changed, ["rating", "evidence"])
        locked.link_governor_name = (link_governor_name or "").strip()
        locked.link_governor_email = (link_governor_email or "").strip()
        locked.full_clean()
        locked.save()
    return locked


def self_assessment_submit(*, assessment: SelfAssessment, user) -> SelfAssessment:
    """Submit: every entitlement rated, evidence for each rating that is not
    "Not applicable", and the link governor named."""
    if not rules.has_perm("guarantees.edit_self_assessment", user, assessment):
        raise PermissionDenied("Only the school's contact can submit its self-assessment.")
    with transaction.atomic():
        locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.state == SelfAssessment.State.SUBMITTED:
            raise ValidationError(SUBMITTED_IS_FINAL)
        errors = {}
        for row in locked.ratings.select_related("entitlement__ambition__guarantee"):
            reference = row.entitlement.reference
            if not row.rating:
                errors[f"rating_{row.entitlement_id}"] = RATING_MISSING.format(reference=reference)
            elif row.rating != Rating.NOT_APPLICABLE and not row.evidence.strip():
                errors[f"evidence_{row.entitlement_id}"] = EVIDENCE_MISSING.format(
                    reference=reference
                )
        if not locked.link_governor_name.strip():
            errors["link_governor_name"] = LINK_GOVERNOR_MISSING
        if errors:
            raise ValidationError(errors)
        locked.state = SelfAssessment.State.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        locked.save()
    return locked


# --- complaints: public submission -----------------------------------------------------------


def _limits() -> dict:
    return {
        "per_email": 3,
        "per_ip": 10,
        "status_misses": 20,
        "window_seconds": 24 * 3600,
        **getattr(settings, "GUARANTEES_COMPLAINT_LIMITS", {}),
    }


def _rate_keys(email: str, ip: str) -> list[str]:
    digest = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]
    return [f"guarantees:complaints:email:{digest}", f"guarantees:complaints:ip:{ip or '-'}"]


def complaint_rate_allowed(*, email: str, ip: str) -> bool:
    """Count this complaint against its address and its IP for the day, before
    it is saved; False once either has sent its allowance (portal.ratelimit)."""
    limits = _limits()
    email_key, ip_key = _rate_keys(email, ip)
    return within_limits(
        (email_key, limits["per_email"]),
        (ip_key, limits["per_ip"]),
        window=limits["window_seconds"],
    )


def complaint_status_lookup_limited(*, ip: str) -> bool:
    """Status look-ups that found nothing, per IP: guessing references is slow."""
    return cache.get(f"guarantees:status-misses:{ip or '-'}", 0) >= _limits()["status_misses"]


def complaint_status_lookup_count(*, ip: str) -> None:
    hit(f"guarantees:status-misses:{ip or '-'}", 3600)


def _reference_new() -> str:
    while True:
        body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
        reference = f"PG-{body[:4]}-{body[4:]}"
        if not Complaint.objects.filter(reference=reference).exists():
            return reference


def _check_complaint_fields(*, school, entitlements, description, relationship, email):
    errors = {}
    if not entitlements:
        errors["entitlements"] = ENTITLEMENT_REQUIRED
    if not (description or "").strip():
        errors["description"] = "Enter what happened."
    if relationship not in Complaint.Relationship.values:
        errors["relationship"] = "Choose parent, carer or pupil."
    if errors:
        raise ValidationError(errors)


def complaint_confirm_token(complaint: Complaint) -> str:
    return signing.dumps({"complaint": complaint.pk}, salt=CONFIRM_SALT)


def complaint_submit_public(
    *,
    school,
    entitlements,
    description: str,
    relationship: str,
    email: str,
    name: str = "",
    concerns_la_tuition: bool = False,
    ip: str = "",
) -> Complaint:
    """A complaint from the public form. It reaches the school only once the
    complainant confirms their e-mail address through the link sent now."""
    _check_complaint_fields(
        school=school,
        entitlements=entitlements,
        description=description,
        relationship=relationship,
        email=email,
    )
    if not (email or "").strip():
        raise ValidationError({"email": "Enter your e-mail address."})
    if not complaint_rate_allowed(email=email, ip=ip):
        raise ValidationError(RATE_LIMITED, code="rate_limited")
    with transaction.atomic():
        complaint = Complaint.objects.create(
            reference=_reference_new(),
            school=school,
            region=school.region,
            channel=Complaint.Channel.ONLINE,
            complainant_name=(name or "").strip(),
            complainant_email=email.strip(),
            relationship=relationship,
            description=description.strip(),
            concerns_la_tuition=bool(concerns_la_tuition),
        )
        complaint.entitlements.set(entitlements)
        timeline_record(complaint, name="submitted", by_label="The complainant")
        link = reverse("guarantees:complaint-confirm", args=[complaint_confirm_token(complaint)])
        email_queue(
            to=[complaint.complainant_email],
            template="complaint_confirm_email",
            context=email_context(
                reference=complaint.reference,
                school=school.name,
                link=link,
                days=CONFIRM_MAX_AGE // (24 * 3600),
            ),
        )
    return complaint


def complaint_confirm_email(*, token: str) -> Complaint:
    """The complainant followed the link: the complaint reaches the school."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(CONFIRM_LINK_INVALID) from exc
    complaint = Complaint.objects.filter(pk=data.get("complaint")).first()
    if complaint is None:
        raise ValidationError(CONFIRM_LINK_INVALID)
    if complaint.state != ComplaintState.AWAITING_CONFIRMATION:
        return complaint  # a second click changes nothing
    with transaction.atomic():
        complaint = transition_run(
            complaint,
            "confirm_email",
            user=None,
            by_label="The complainant",
            note="E-mail address confirmed.",
            at=timezone.now(),
        )
        _on_received(complaint)
    return complaint


def complaint_record_paper(
    *,
    user,
    school,
    entitlements,
    description: str,
    relationship: str,
    name: str = "",
    email: str = "",
    concerns_la_tuition: bool = False,
    received_on=None,
) -> Complaint:
    """A complaint the school received on paper, recorded by its contact (or
    the region's staff): it starts at "received by the school"."""
    if not rules.has_perm("guarantees.record_paper_complaint", user, school):
        raise PermissionDenied("You cannot record complaints for this school.")
    _check_complaint_fields(
        school=school,
        entitlements=entitlements,
        description=description,
        relationship=relationship,
        email=email,
    )
    now = timezone.now()
    with transaction.atomic():
        complaint = Complaint.objects.create(
            reference=_reference_new(),
            school=school,
            region=school.region,
            channel=Complaint.Channel.PAPER,
            state=ComplaintState.RECEIVED,
            complainant_name=(name or "").strip(),
            complainant_email=(email or "").strip(),
            relationship=relationship,
            description=description.strip(),
            concerns_la_tuition=bool(concerns_la_tuition),
            received_at=now,
            recorded_by=user,
        )
        complaint.entitlements.set(entitlements)
        note = f"Received on paper on {received_on:%d %B %Y}." if received_on else ""
        timeline_record(complaint, name="recorded_on_paper", by=user, note=note)
        _on_received(complaint)
    return complaint


def _school_contact_emails(school) -> list[str]:
    """The school's contacts and its trust's (`portal.scoping.contacts_of`)."""
    return scoping.contact_emails(school)


def _on_received(complaint: Complaint) -> None:
    """First stage: due date, the school's contacts told, and the local
    authority recorded and told when it is about tuition it provides."""
    complaint.due_on = workflow_due_on(complaint, start=timezone.localdate())
    complaint.overdue_notified_on = None
    complaint.save(update_fields=["due_on", "overdue_notified_on"])
    context = complaint_email_context(complaint)
    email_queue(
        to=_school_contact_emails(complaint.school),
        template="complaint_school_new",
        context=context,
    )
    if complaint.concerns_la_tuition and complaint.school.local_authority_id:
        complaint.local_authority = complaint.school.local_authority
        contact = LocalAuthorityTuitionContact.objects.filter(
            local_authority=complaint.local_authority
        ).first()
        complaint.la_notified_at = timezone.now() if contact else None
        complaint.save(update_fields=["local_authority", "la_notified_at"])
        if contact:
            email_queue(to=[contact.email], template="complaint_la_tuition", context=context)
        timeline_record(
            complaint,
            name="local_authority_recorded",
            by_label="The portal",
            note=(
                f"{complaint.local_authority.name} recorded as the provider of one-to-one "
                + ("tuition and notified." if contact else "tuition (no contact address held).")
            ),
        )


def complaint_email_context(complaint: Complaint, *, note: str = "", **extra) -> dict:
    """Every complaint e-mail's context (the services', the overdue sweep's),
    through the one e-mail context builder (absolute links, GOV.UK dates)."""
    values = {
        "note": note,
        "reference": complaint.reference,
        "school": complaint.school.name,
        "state": complaint.get_state_display(),
        "outcome": complaint.get_outcome_display() if complaint.outcome else "",
        "due_on": complaint.due_on or "",
        "link": reverse("guarantees:complaint-detail", args=[complaint.pk]),
        "status_link": reverse("guarantees:complaint-status"),
    }
    return email_context({**extra, **values})


def _step(complaint, name, *, user, note="", **kwargs) -> Complaint:
    with transaction.atomic():
        updated = transition_run(complaint, name, user=user, note=note, **kwargs)
        if updated.complainant_email and not updated.is_erased:
            email_queue(
                to=[updated.complainant_email],
                template="complaint_status_changed",
                context=complaint_email_context(updated),
            )
    return updated


def _require(**fields) -> None:
    errors = {name: REASON_REQUIRED for name, value in fields.items() if not (value or "").strip()}
    if errors:
        raise ValidationError(errors)


def _require_outcome(outcome) -> None:
    if outcome not in dict(DECISION_OUTCOMES):
        raise ValidationError({"outcome": OUTCOME_REQUIRED})


# --- complaints: one service per transition --------------------------------------------------


def complaint_acknowledge(complaint, *, user, note: str = "") -> Complaint:
    return _step(complaint, "acknowledge", user=user, note=note)


def complaint_school_resolves(complaint, *, user, outcome: str, response: str) -> Complaint:
    _require_outcome(outcome)
    _require(response=response)
    return _step(
        complaint,
        "school_resolves",
        user=user,
        note=response,
        outcome=outcome,
        response=response.strip(),
        at=timezone.now(),
    )


def complaint_refer_to_governing_body(
    complaint, *, user, response: str, link_governor_name: str
) -> Complaint:
    _require(response=response, link_governor_name=link_governor_name)
    return _step(
        complaint,
        "refer_to_governing_body",
        user=user,
        note=response,
        response=response.strip(),
        link_governor_name=link_governor_name.strip(),
    )


def complaint_governing_body_decides(complaint, *, user, outcome: str, response: str) -> Complaint:
    _require_outcome(outcome)
    _require(response=response)
    return _step(
        complaint,
        "governing_body_decides",
        user=user,
        note=response,
        outcome=outcome,
        response=response.strip(),
    )


def complaint_refer_to_ombudsman(
    complaint, *, user, ombudsman_reference: str = "", note: str = ""
) -> Complaint:
    return _step(
        complaint,
        "refer_to_ombudsman",
        user=user,
        note=note,
        ombudsman_reference=(ombudsman_reference or "").strip(),
    )


def complaint_ombudsman_recommends(
    complaint, *, user, outcome: str, recommendation: str
) -> Complaint:
    _require_outcome(outcome)
    _require(recommendation=recommendation)
    return _step(
        complaint,
        "ombudsman_recommends",
        user=user,
        note=recommendation,
        outcome=outcome,
        recommendation=recommendation.strip(),
    )


def complaint_secretary_of_state_directs(complaint, *, user, direction: str) -> Complaint:
    _require(direction=direction)
    return _step(
        complaint,
        "secretary_of_state_directs",
        user=user,
        note=direction,
        direction=direction.strip(),
    )


def complaint_school_complies(complaint, *, user, note: str = "") -> Complaint:
    return _step(complaint, "school_complies", user=user, note=note, at=timezone.now())


def complaint_close(complaint, *, user, note: str = "") -> Complaint:
    return _step(complaint, "close", user=user, note=note, at=timezone.now())


def complaint_withdraw(complaint, *, user, reason: str) -> Complaint:
    _require(reason=reason)
    return _step(complaint, "withdraw", user=user, note=reason, at=timezone.now())


def complaint_mark_vexatious(complaint, *, user, reason: str) -> Complaint:
    _require(reason=reason)
    return _step(
        complaint,
        "mark_vexatious",
        user=user,
        note=reason,
        reason=reason.strip(),
        at=timezone.now(),
    )


def complaint_erase_personal_data(complaint, *, user, note: str = "") -> Complaint:
    """On the complainant's request: blank their name, address and account of
    what happened, here and in the record's history; keep the rest for statistics."""
    if not rules.has_perm("guarantees.erase_complainant_data", user, complaint):
        raise PermissionDenied("You cannot erase this complainant's details.")
    erased = {"complainant_name": "", "complainant_email": "", "description": "[erased]"}
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        for field, value in erased.items():
            setattr(locked, field, value)
        locked.erased_at = timezone.now()
        locked.save()
        Complaint.history.filter(id=locked.pk).update(**erased)
        timeline_record(locked, name="personal_data_erased", by=user, note=note)
    return locked
