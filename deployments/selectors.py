"""Reads for offers and eligibility: query shape, visibility and explanations."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateformat import format as date_format

from deployments.eligibility.engine import school_in_multi_academy_trust
from deployments.models import (
    Criterion,
    EligibilityAssessment,
    ExceptionRequest,
    RegionalDirectorAssessment,
    SupportOffer,
)
from portal import scoping
from schools.models import School, Trust

GRADE_NAMES = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}


def offer_list() -> QuerySet[SupportOffer]:
    return SupportOffer.objects.all()


def offer_current(today: dt.date | None = None, offers=None) -> SupportOffer | None:
    """The offer whose year contains today; else the latest that has started; else any.
    One query (there is one offer a year), none when given the `offers` already read."""
    today = today or timezone.localdate()
    offers = sorted(
        SupportOffer.objects.all() if offers is None else offers,
        key=lambda o: o.starts_on,
        reverse=True,
    )
    return (
        next((o for o in offers if o.starts_on <= today <= o.ends_on), None)
        or next((o for o in offers if o.starts_on <= today), None)
        or (offers[0] if offers else None)
    )


def offer_for_date(day: dt.date) -> SupportOffer | None:
    return SupportOffer.objects.filter(starts_on__lte=day, ends_on__gte=day).first()


def trust_region_id(trust: Trust) -> int | None:
    """The region most of a trust's open schools are in (trusts have no region of their own)."""
    counts = Counter(
        School.objects.filter(trust=trust, status__in=School.OPEN_STATUSES)
        .exclude(region__isnull=True)
        .values_list("region_id", flat=True)
    )
    if not counts:
        return None
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def target_region_id(target) -> int | None:
    if isinstance(target, School):
        return target.region_id
    if isinstance(target, Trust):
        if not hasattr(target, "_tsi_region_id"):
            target._tsi_region_id = trust_region_id(target)
        return target._tsi_region_id
    return getattr(target, "region_id", None)


SORTS = {
    "name": ("school__name", "trust__name"),
    "criterion": ("criterion", "school__name", "trust__name"),
    "run": ("run_length", "school__name"),
    "latest": ("latest_inspection_date", "school__name"),
    "trust": ("school__trust__name", "school__name"),
}
DEFAULT_SORT = "-latest"


def _case_state_for(target: str):
    from deployments.matching.models import SupportCase

    return Subquery(
        SupportCase.objects.filter(offer=OuterRef("offer"), **{target: OuterRef(target)})
        .order_by("-opened_at", "-pk")
        .values("state")[:1]
    )


def _case_state():
    """The state of the latest support case for the row's school or trust and offer
    (None when there is none): the list's "support pipeline" column."""
    return Coalesce(_case_state_for("school"), _case_state_for("trust"))


def latest_case_state(assessment: EligibilityAssessment) -> str | None:
    """`_case_state` for one row that was read without it."""
    return (
        EligibilityAssessment.objects.filter(pk=assessment.pk)
        .annotate(case_state=_case_state())
        .values_list("case_state", flat=True)
        .first()
    )


def sort_assessments(qs: QuerySet, sort: str) -> QuerySet:
    """Ordered by one of SORTS ("-" first for descending); anything else is the default."""
    sort = sort or DEFAULT_SORT
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = DEFAULT_SORT.lstrip("-"), DEFAULT_SORT
    prefix = "-" if sort.startswith("-") else ""
    fields = SORTS[key]
    return qs.order_by(f"{prefix}{fields[0]}", *fields[1:], "id")


def assessments() -> QuerySet[EligibilityAssessment]:
    """Every current eligibility row, in the default order, with the related rows
    joined. The list's filters (deployments.filters.EligibilityFilterSet) narrow it."""
    qs = (
        EligibilityAssessment.objects.current()
        .select_related("offer", "region", "school", "school__trust", "trust")
        .annotate(case_state=_case_state())
    )
    return sort_assessments(qs, DEFAULT_SORT)


def assessment_list(*, filters: dict | None = None) -> QuerySet[EligibilityAssessment]:
    """Current eligibility rows, filtered as the list reads its parameters (offer,
    region, criterion, status, kind, q, trust_ceo, school, trust, sort); status
    defaults to "eligible" here ("all" for every current row)."""
    from deployments.filters import EligibilityFilterSet

    data = {"status": EligibilityAssessment.Status.ELIGIBLE}
    data.update({k: v for k, v in (filters or {}).items() if v not in (None, "")})
    return EligibilityFilterSet(data, queryset=assessments()).qs


# What the eligibility list's rows show (templates/jinja/deployments/eligibility_rows.html).
# Loading only these, without the offer, halves fetching a page of 50 rows (the
# evidence JSON and every address column were read and built for nothing).
LIST_ROW_FIELDS = (
    "id",
    "offer_id",
    "criterion",
    "status",
    "run_length",
    "latest_inspection_date",
    "latest_grade",
    "predecessor_used",
    "through_trust_ceo",
    "region__name",
    "school__urn",
    "school__name",
    "school__trust__name",
    "trust__uid",
    "trust__name",
)


def assessment_rows() -> QuerySet[EligibilityAssessment]:
    """`assessments` shaped for the list page's rows."""
    return (
        assessments()
        .select_related(None)
        .select_related("region", "school", "school__trust", "trust")
        .only(*LIST_ROW_FIELDS)
    )


def assessment_history_for(*, school=None, trust=None) -> QuerySet[EligibilityAssessment]:
    """Every row for one school or trust, superseded ones too, newest first."""
    return (
        EligibilityAssessment.objects.filter(school=school, trust=trust)
        .select_related("offer", "rd_assessment", "exception_request")
        .order_by("-computed_at", "-id")
    )


def case_record_visibility(user) -> Q | None:
    """`deployments.rules.reads_case_record` as a query on an RD assessment or an
    exception request: None when the user reads every record."""
    from portal.models import Role

    if not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.ADMIN:
        return None
    if user.role in (Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR):
        return scoping.in_users_regions_q(user)
    if user.role == Role.SCHOOL_CONTACT:
        return scoping.acts_for_q(user)
    return Q(pk__in=[])


def rd_assessment_list_for(user) -> QuerySet[RegionalDirectorAssessment]:
    """The RD assessments a user may read (`deployments.view_rd_assessment`)."""
    qs = rd_assessment_list()
    visible = case_record_visibility(user)
    return qs if visible is None else qs.filter(visible)


def rd_assessment_list(*, offer=None, region=None) -> QuerySet[RegionalDirectorAssessment]:
    qs = RegionalDirectorAssessment.objects.select_related(
        "offer", "school", "trust", "region", "assessed_by"
    )
    if offer:
        qs = qs.filter(offer=offer)
    if region:
        qs = qs.filter(region=region)
    return qs


def exception_request_list(*, offer=None, region=None, status=None) -> QuerySet[ExceptionRequest]:
    qs = ExceptionRequest.objects.select_related(
        "offer", "school", "trust", "region", "requested_by", "decided_by"
    )
    if offer:
        qs = qs.filter(offer=offer)
    if region:
        qs = qs.filter(region=region)
    if status:
        qs = qs.filter(status=status)
    return qs


def exception_request_list_for(user, *, status=None) -> QuerySet[ExceptionRequest]:
    """The requests a user may read (`deployments.view_exception_request`): those
    of `case_record_visibility`, and the ones the user made."""
    qs = exception_request_list(status=status)
    visible = case_record_visibility(user)
    return qs if visible is None else qs.filter(visible | Q(requested_by_id=user.pk))


def exception_request_home_rows(user, states, limit: int) -> dict:
    """Home: the exception requests this user reads in `states` (the table's
    states whose step is the user's role's)."""
    from django.urls import reverse

    waiting = (
        exception_request_list_for(user)
        .filter(status__in=states)
        .select_related(None)
        .select_related("school", "trust")
    )
    return {
        "rows": [
            {
                "text": f"Support by exception: {request.target}",
                "href": reverse("deployments:exception-detail", args=[request.pk]),
            }
            for request in waiting[:limit]
        ]
    }


# The evidence keys of a recorded criterion that only the readers of its case
# record see: the free-text reason and the names of the people who acted.
PRIVATE_EVIDENCE = {
    Criterion.RD_ASSESSMENT: ("deployments.view_rd_assessment", ("reason", "assessed_by")),
    Criterion.EXCEPTION: (
        "deployments.view_exception_request",
        ("reason", "requested_by", "approved_by"),
    ),
}


def evidence_for(user, assessment: EligibilityAssessment) -> dict:
    """The assessment's evidence as this user may read it."""
    permission, private = PRIVATE_EVIDENCE.get(assessment.criterion, (None, ()))
    if permission is None or user.has_perm(permission, assessment):
        return assessment.evidence
    return {k: v for k, v in assessment.evidence.items() if k not in private}


@dataclass
class EligibilitySummary:
    offer: SupportOffer | None
    sentences: list[str] = field(default_factory=list)
    eligible: bool = False
    through_trust_ceo: str = ""
    eligible_schools_in_trust: int = 0
    assessments: list[EligibilityAssessment] = field(default_factory=list)

    @property
    def headline(self) -> str:
        return self.sentences[0] if self.sentences else ""


def _long_date(day) -> str:
    return date_format(day, "j F Y") if day else ""


def assessment_sentence(assessment: EligibilityAssessment) -> str:
    """One sentence, e.g. "Eligible: 3 consecutive Requires improvement judgements,
    latest inspection 12 October 2023"."""
    prefix = (
        "Eligible"
        if assessment.status == EligibilityAssessment.Status.ELIGIBLE
        else "No longer eligible"
    )
    when = _long_date(assessment.latest_inspection_date)
    if assessment.criterion == Criterion.RI_RUN:
        text = (
            f"{prefix}: {assessment.run_length} consecutive Requires improvement judgements, "
            f"latest inspection {when}"
        )
        if assessment.predecessor_used:
            urns = ", ".join(assessment.evidence.get("predecessor_urns", []))
            text += f" (includes inspections of predecessor URN {urns})"
        return text
    if assessment.criterion == Criterion.INADEQUATE:
        return f"{prefix}: Inadequate judgement, inspection {when}"
    if assessment.criterion == Criterion.RD_ASSESSMENT:
        on = assessment.evidence.get("assessed_on", "")
        on = _long_date(dt.date.fromisoformat(on)) if on else ""
        return f"{prefix}: assessed by the Regional Director as needing immediate support on {on}"
    decided = assessment.evidence.get("approved_on", "")
    decided = _long_date(dt.date.fromisoformat(decided)) if decided else ""
    return f"{prefix} by exception, approved by Regions Group on {decided}"


def eligibility_summary(*, school=None, trust=None, offer=None) -> EligibilitySummary:
    """The sentences that explain a school's or trust's eligibility for the offer."""
    offer = offer or offer_current()
    summary = EligibilitySummary(offer=offer)
    if offer is None or (school is None and trust is None):
        return summary
    qs = EligibilityAssessment.objects.current().filter(offer=offer)
    qs = qs.filter(school=school) if school is not None else qs.filter(trust=trust)
    rows = sorted(qs, key=lambda a: (a.status != "eligible", a.criterion))
    summary.assessments = rows
    summary.sentences = [assessment_sentence(a) for a in rows]
    summary.eligible = any(a.status == EligibilityAssessment.Status.ELIGIBLE for a in rows)
    if school is not None:
        if not summary.sentences:
            summary.sentences = [f"Not eligible for the {offer.academic_year} offer"]
        if school_in_multi_academy_trust(school):
            summary.through_trust_ceo = (
                f"This school is in {school.trust.name}: support goes through the Trust CEO."
            )
    else:
        summary.eligible_schools_in_trust = (
            EligibilityAssessment.objects.current()
            .eligible()
            .filter(offer=offer, school__trust=trust)
            .values("school_id")
            .distinct()
            .count()
        )
        if not summary.sentences:
            summary.sentences = [
                f"The trust itself is not eligible for the {offer.academic_year} offer"
            ]
    return summary
