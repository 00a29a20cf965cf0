"""Writes for offers and eligibility. The only module that changes their state."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from deployments.eligibility import engine
from deployments.models import (
    COMPUTED_CRITERIA,
    Criterion,
    EligibilityAssessment,
    ExceptionRequest,
    RegionalDirectorAssessment,
    SupportOffer,
)
from deployments.selectors import target_region_id
from portal.workflow import timeline_record, workflow_enter
from schools.models import School, Trust

RECOMPUTE_JOB_KIND = "deployments.eligibility_recompute"
REASON_REQUIRED = "Enter the reason."
TARGET_CLOSED = "This school closed before the offer's academic year started."
TRUST_HAS_NO_REGION = "This trust has no open schools, so it has no region."
ASSESSED_IN_FUTURE = "The date of the assessment must be today or in the past."
NO_OFFER_FOR_DATE = "There is no TSI offer for the academic year this date is in."
ASSESSED_OUTSIDE_YEAR = "The date of the assessment must be inside the offer's academic year."
REQUEST_ALREADY_DECIDED = "This request has already been decided."
ALREADY_PENDING = "There is already a request waiting for a decision for this school or trust."
ALREADY_ELIGIBLE_BY_EXCEPTION = "This school or trust is already eligible by exception."

# Postgres advisory lock key: one recompute writes at a time.
_RECOMPUTE_LOCK = 7_204_001


def support_offer_ensure(*, academic_year: str, **values) -> tuple[SupportOffer, bool]:
    """Create the offer for an academic year if missing (never overwrites admin edits)."""
    offer = SupportOffer.objects.filter(academic_year=academic_year).first()
    if offer is not None:
        return offer, False
    return support_offer_create(academic_year=academic_year, **values), True


def support_offer_create(**values) -> SupportOffer:
    """A new year's offer (the Django admin creates offers through this)."""
    offer = SupportOffer(**values)
    offer.full_clean()
    offer.save()
    return offer


def support_offer_update(*, offer: SupportOffer, **values) -> SupportOffer:
    """Change an offer's policy numbers; only the given fields are written."""
    for name, value in values.items():
        setattr(offer, name, value)
    offer.full_clean()
    offer.save()
    return offer


# ---------------------------------------------------------------- computed criteria


_COMPARED = (
    "region_id",
    "run_length",
    "latest_inspection_date",
    "latest_grade",
    "predecessor_used",
    "through_trust_ceo",
    "evidence",
)


def _desired_row(offer, facts, finding, rule_set_key, now) -> EligibilityAssessment:
    return EligibilityAssessment(
        offer=offer,
        school_id=facts.id,
        region_id=facts.region_id,
        criterion=finding.criterion,
        status=EligibilityAssessment.Status.ELIGIBLE,
        run_length=finding.run_length,
        latest_inspection_date=finding.latest.start_date,
        latest_grade=finding.latest.grade,
        predecessor_used=finding.predecessor_used,
        through_trust_ceo=facts.in_multi_academy_trust,
        evidence=finding.evidence(rule_set_key),
        computed_at=now,
    )


def _same(existing: EligibilityAssessment, desired: EligibilityAssessment) -> bool:
    return all(getattr(existing, f) == getattr(desired, f) for f in _COMPARED)


def _lock_recompute():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_RECOMPUTE_LOCK])


def eligibility_recompute(*, offer: SupportOffer, school_ids=None, progress=None) -> dict:
    """Recompute criteria A and B for every school (or the given schools and
    their successors). Unchanged evidence writes nothing; changed evidence
    supersedes the row with a new one; a lost criterion marks the row "no
    longer eligible". Set-based: a constant number of queries."""
    if progress:
        progress.total(3, "Reading schools and inspections")
    result = engine.compute(offer=offer, school_ids=school_ids)
    if progress:
        progress.advance(1, f"Applied the rules to {len(result.scope)} schools", force=True)
    now = timezone.now()
    desired: dict[tuple[int, str], EligibilityAssessment] = {}
    for school_id, findings in result.findings.items():
        facts = result.schools[school_id]
        for finding in findings:
            desired[(school_id, finding.criterion)] = _desired_row(
                offer, facts, finding, result.rule_set_key, now
            )

    counts = {"created": 0, "superseded": 0, "no_longer_eligible": 0, "unchanged": 0}
    with transaction.atomic():
        _lock_recompute()
        existing_qs = (
            EligibilityAssessment.objects.current()
            .filter(offer=offer, school__isnull=False, criterion__in=COMPUTED_CRITERIA)
            .select_for_update()
        )
        if school_ids is not None:
            existing_qs = existing_qs.filter(school_id__in=list(result.scope))
        existing = {(row.school_id, row.criterion): row for row in existing_qs}
        if progress:
            progress.advance(2, f"Comparing with {len(existing)} recorded rows", force=True)

        to_update, to_create = [], []
        for key, row in existing.items():
            want = desired.get(key)
            if want is None:
                if row.status == EligibilityAssessment.Status.ELIGIBLE:
                    row.status = EligibilityAssessment.Status.NO_LONGER_ELIGIBLE
                    row.computed_at = now
                    to_update.append(row)
                    counts["no_longer_eligible"] += 1
            elif row.status == EligibilityAssessment.Status.ELIGIBLE and _same(row, want):
                counts["unchanged"] += 1
            else:
                row.status = EligibilityAssessment.Status.SUPERSEDED
                to_update.append(row)
                to_create.append(want)
                counts["superseded"] += 1
        to_create.extend(want for key, want in desired.items() if key not in existing)
        counts["created"] = len(to_create)
        if to_update:
            bulk_update_with_history(
                to_update,
                EligibilityAssessment,
                ["status", "computed_at"],
                batch_size=2000,
                default_change_reason="recompute",
            )
        if to_create:
            bulk_create_with_history(
                to_create,
                EligibilityAssessment,
                batch_size=2000,
                default_change_reason="recompute",
            )
    counts.update(
        schools=len(result.scope),
        inspections=result.inspections_read,
        eligible=len(desired),
    )
    if progress:
        progress.advance(3, "Saved", force=True)
    return counts


def eligibility_recompute_schools(*, school_ids) -> dict[str, dict]:
    """After an inspection import: recompute only the affected schools, for every offer."""
    school_ids = list(school_ids)
    return {
        offer.academic_year: eligibility_recompute(offer=offer, school_ids=school_ids)
        for offer in SupportOffer.objects.all()
    }


def eligibility_recompute_start(*, user, offer: SupportOffer):
    """Queue a full recompute as a background job; returns the job to poll."""
    from portal.services import job_create

    return job_create(
        kind=RECOMPUTE_JOB_KIND,
        label=f"Recompute eligibility for the {offer.academic_year} offer",
        user=user,
        params={"offer_id": offer.pk},
    )


# ---------------------------------------------------------------- recorded criteria


def _target_facts(*, offer, school, trust) -> tuple[int, bool]:
    """(region id, through trust CEO) for a school or trust, or a ValidationError."""
    if (school is None) == (trust is None):
        raise ValidationError("Choose one school or one trust.")
    if school is not None:
        if not engine.is_listed(school.status, school.closed_on, offer.starts_on):
            raise ValidationError(TARGET_CLOSED)
        if school.region_id is None:
            raise ValidationError("This school has no region in the register.")
        return school.region_id, engine.school_in_multi_academy_trust(school)
    region_id = target_region_id(trust)
    if region_id is None:
        raise ValidationError(TRUST_HAS_NO_REGION)
    return region_id, False


def _record_decided_criterion(
    *,
    offer,
    school,
    trust,
    region_id,
    in_multi_academy_trust,
    criterion,
    evidence,
    latest_date,
    **links,
) -> EligibilityAssessment:
    current = (
        EligibilityAssessment.objects.current()
        .select_for_update()
        .filter(offer=offer, criterion=criterion, school=school, trust=trust)
        .first()
    )
    if current is not None:
        current.status = EligibilityAssessment.Status.SUPERSEDED
        current.save(update_fields=["status"])
    row = EligibilityAssessment(
        offer=offer,
        school=school,
        trust=trust,
        region_id=region_id,
        criterion=criterion,
        status=EligibilityAssessment.Status.ELIGIBLE,
        latest_inspection_date=latest_date,
        through_trust_ceo=in_multi_academy_trust,
        evidence=evidence,
        computed_at=timezone.now(),
        **links,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def rd_assessment_record(
    *,
    user,
    offer: SupportOffer,
    reason: str,
    assessed_on: dt.date | None = None,
    school: School | None = None,
    trust: Trust | None = None,
) -> RegionalDirectorAssessment:
    """Criterion C: the Regional Director assesses a school or trust as needing
    immediate support. The caller has checked `deployments.record_rd_assessment`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": ASSESSED_IN_FUTURE})
    if not offer.contains(assessed_on):
        raise ValidationError({"assessed_on": ASSESSED_OUTSIDE_YEAR})
    region_id, in_multi_academy_trust = _target_facts(offer=offer, school=school, trust=trust)
    assessment = RegionalDirectorAssessment(
        offer=offer,
        school=school,
        trust=trust,
        region_id=region_id,
        assessed_by=user,
        assessed_on=assessed_on,
        reason=reason,
    )
    assessment.full_clean()
    assessment.save()
    _record_decided_criterion(
        offer=offer,
        school=school,
        trust=trust,
        region_id=region_id,
        in_multi_academy_trust=in_multi_academy_trust,
        criterion=Criterion.RD_ASSESSMENT,
        evidence={
            "assessed_by": user.full_name,
            "assessed_on": assessed_on.isoformat(),
            "reason": reason,
        },
        latest_date=None,
        rd_assessment=assessment,
    )
    return assessment


@transaction.atomic
def exception_request_create(
    *,
    user,
    offer: SupportOffer,
    source: str,
    reason: str,
    school: School | None = None,
    trust: Trust | None = None,
) -> ExceptionRequest:
    """Ask for access by exception. The caller has checked `deployments.request_exception`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    region_id, _ = _target_facts(offer=offer, school=school, trust=trust)
    same_target = ExceptionRequest.objects.filter(offer=offer, school=school, trust=trust)
    if same_target.filter(status=ExceptionRequest.Status.PENDING).exists():
        raise ValidationError(ALREADY_PENDING)
    if (
        EligibilityAssessment.objects.eligible()
        .filter(offer=offer, school=school, trust=trust, criterion=Criterion.EXCEPTION)
        .exists()
    ):
        raise ValidationError(ALREADY_ELIGIBLE_BY_EXCEPTION)
    exception_request = ExceptionRequest(
        offer=offer,
        school=school,
        trust=trust,
        region_id=region_id,
        source=source,
        reason=reason,
        requested_by=user,
    )
    exception_request.full_clean()
    exception_request.save()
    return exception_request


@transaction.atomic
def exception_request_decide(
    *, exception_request: ExceptionRequest, user, approve: bool, note: str = ""
) -> ExceptionRequest:
    """Approve or decline a pending request. The caller has checked
    `deployments.approve_exception` for this request."""
    exception_request = ExceptionRequest.objects.select_for_update().get(pk=exception_request.pk)
    if not exception_request.is_pending:
        raise ValidationError(REQUEST_ALREADY_DECIDED)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "Enter why the request is declined."})
    exception_request.status = (
        ExceptionRequest.Status.APPROVED if approve else ExceptionRequest.Status.DECLINED
    )
    exception_request.decided_by = user
    exception_request.decided_at = timezone.now()
    exception_request.decision_note = note
    exception_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    timeline_record(
        exception_request, name="approved" if approve else "declined", by=user, note=note
    )
    workflow_enter(exception_request)
    if approve:
        school = exception_request.school
        _record_decided_criterion(
            offer=exception_request.offer,
            school=school,
            trust=exception_request.trust,
            region_id=exception_request.region_id,
            in_multi_academy_trust=bool(school) and engine.school_in_multi_academy_trust(school),
            criterion=Criterion.EXCEPTION,
            evidence={
                "source": exception_request.source,
                "reason": exception_request.reason,
                "requested_by": exception_request.requested_by.full_name,
                "approved_by": user.full_name,
                "approved_on": timezone.localdate().isoformat(),
            },
            latest_date=None,
            exception_request=exception_request,
        )
    return exception_request
