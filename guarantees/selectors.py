"""Reads for the Guarantees, self-assessments and complaints. List visibility
lives here: DRF object permissions never run on lists."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from guarantees.choices import GAP_RATINGS, ComplaintState, Rating
from guarantees.models import (
    Ambition,
    Complaint,
    Entitlement,
    Guarantee,
    SelfAssessment,
    SelfAssessmentRating,
)
from portal import scoping
from portal.models import Role

# GIAS "Phase of education" -> the phase keys entitlements name.
_GIAS_PHASES = {
    "nursery": {"nursery"},
    "primary": {"primary"},
    "middle deemed primary": {"primary"},
    "secondary": {"secondary"},
    "middle deemed secondary": {"secondary"},
    "all-through": {"primary", "secondary"},
    "16 plus": {"sixteen_plus"},
}


def academic_year_of(day: dt.date | None = None) -> int:
    """The first calendar year of the academic year (September to August)."""
    day = day or timezone.localdate()
    return day.year if day.month >= 9 else day.year - 1


def school_phase_keys(school) -> set[str]:
    """The phases a school teaches: from its GIAS phase, or, for special schools
    and others with no phase, from its statutory age range."""
    keys = set(_GIAS_PHASES.get((school.phase or "").strip().lower(), set()))
    low, high = school.statutory_low_age, school.statutory_high_age
    if not keys and low is not None and high is not None:
        if low < 11:
            keys.add("primary")
        if high > 11:
            keys.add("secondary")
    if high is not None and high > 16 and keys & {"secondary"}:
        keys.add("sixteen_plus")
    return keys


def entitlement_applies_to(entitlement: Entitlement, phases: set[str], school=None) -> bool:
    if entitlement.phases and not set(entitlement.phases) & phases:
        return False
    if school is not None and school.statutory_low_age is not None:
        low, high = school.statutory_low_age, school.statutory_high_age
        if entitlement.max_age is not None and low > entitlement.max_age:
            return False
        if entitlement.min_age is not None and high is not None and high < entitlement.min_age:
            return False
    return True


def entitlement_queryset() -> QuerySet[Entitlement]:
    return Entitlement.objects.select_related("ambition__guarantee")


def entitlement_list(*, guarantee: str = "", ambition: str = "", phase: str = ""):
    """Entitlements in Annex F order; `phase` keeps those for that phase (and
    those for every phase)."""
    queryset = entitlement_queryset()
    if guarantee:
        queryset = queryset.filter(ambition__guarantee__key=guarantee)
    if ambition:
        queryset = queryset.filter(ambition__letter=ambition)
    if phase:
        # JSON "contains" is not portable to SQLite; 62 rows are filtered here.
        ids = [e.pk for e in queryset if not e.phases or phase in e.phases]
        queryset = queryset.filter(pk__in=ids)
    return queryset


def entitlements_for_school(school) -> list[Entitlement]:
    phases = school_phase_keys(school)
    return [e for e in entitlement_queryset() if entitlement_applies_to(e, phases, school)]


def guarantees_with_entitlements() -> QuerySet[Guarantee]:
    return Guarantee.objects.prefetch_related(
        Prefetch(
            "ambitions",
            queryset=Ambition.objects.prefetch_related(
                Prefetch("entitlements", queryset=Entitlement.objects.order_by("position"))
            ),
        )
    )


# --- self-assessments ----------------------------------------------------------------------


def self_assessment_list_for(user) -> QuerySet[SelfAssessment]:
    """The self-assessments this user may read."""
    queryset = SelfAssessment.objects.select_related("school__region", "submitted_by")
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if user.role == Role.ADMIN or user.is_superuser:
        return queryset
    if user.role == Role.REGIONS_STAFF:
        return queryset.filter(scoping.in_users_regions_q(user, "school__region"))
    if user.role == Role.SCHOOL_CONTACT:
        return queryset.filter(scoping.acts_for_q(user, trust_field=None))
    if user.role == Role.SYSTEM_LEADER:
        from deployments.delivery.models import Deployment

        schools = Deployment.objects.filter(
            state__in=Deployment.OPEN_STATES, system_leader__user=user, school__isnull=False
        ).values("school_id")
        return queryset.filter(school_id__in=schools)
    return queryset.none()


def self_assessment_for(school, year: int) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(school=school, year=year)
        .prefetch_related(
            Prefetch("ratings", queryset=SelfAssessmentRating.objects.select_related("entitlement"))
        )
        .first()
    )


def self_assessment_latest_submitted(school) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(school=school, state=SelfAssessment.State.SUBMITTED)
        .order_by("-year")
        .first()
    )


def self_assessment_summary(assessment: SelfAssessment) -> list[dict]:
    """Per ambition: entitlements rated, met, partly met, not met and the
    percentage met (of those that apply: "Not applicable" is left out)."""
    rows: dict[int, dict] = {}
    ratings = assessment.ratings.select_related("entitlement__ambition__guarantee")
    for rating in ratings:
        ambition = rating.entitlement.ambition
        row = rows.setdefault(
            ambition.pk,
            {
                "ambition": ambition,
                "guarantee": ambition.guarantee.get_key_display(),
                "letter": ambition.letter,
                "title": ambition.title,
                "applicable": 0,
                "met": 0,
                "partly_met": 0,
                "not_met": 0,
            },
        )
        if rating.rating in ("", Rating.NOT_APPLICABLE):
            continue
        row["applicable"] += 1
        row[rating.rating] += 1
    result = sorted(
        rows.values(), key=lambda r: (r["ambition"].guarantee.position, r["ambition"].letter)
    )
    for row in result:
        row["percent_met"] = (
            round(100 * row["met"] / row["applicable"]) if row["applicable"] else None
        )
    return result


def guarantee_gaps_for_school(school, year: int | None = None) -> list[dict]:
    """The entitlements a school rated Not met or Partly met in its submitted
    self-assessment for `year` (default: its latest submitted one), with the
    deployment focus area each suggests (deployments.choices.FocusArea keys).
    For the deployment form's section 2."""
    queryset = SelfAssessment.objects.filter(school=school, state=SelfAssessment.State.SUBMITTED)
    assessment = (
        queryset.filter(year=year).first()
        if year is not None
        else queryset.order_by("-year").first()
    )
    if assessment is None:
        return []
    ratings = (
        assessment.ratings.filter(rating__in=GAP_RATINGS)
        .select_related("entitlement__ambition__guarantee")
        .order_by("entitlement__ambition__guarantee__position", "entitlement__ambition__letter",
                  "entitlement__position")
    )  # fmt: skip
    return [
        {
            "entitlement_id": r.entitlement_id,
            "reference": r.entitlement.reference,
            "text": r.entitlement.text,
            "rating": r.rating,
            "evidence": r.evidence,
            "focus_area": r.entitlement.focus_area,
        }
        for r in ratings
    ]


# --- complaints ----------------------------------------------------------------------------


def complaint_queryset() -> QuerySet[Complaint]:
    return Complaint.objects.select_related(
        "school__region", "school__local_authority", "region", "local_authority"
    ).prefetch_related("entitlements__ambition__guarantee", "timeline_events__by")


def complaint_list_for(user) -> QuerySet[Complaint]:
    """Complaints this user may see: the school's contacts (their school or
    trust) and Regions Group staff (their regions); never one whose
    complainant has not confirmed their e-mail address yet."""
    queryset = complaint_queryset().exclude(state=ComplaintState.AWAITING_CONFIRMATION)
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if user.role == Role.REGIONS_STAFF:
        return queryset.filter(scoping.in_users_regions_q(user, "school__region"))
    if user.role == Role.SCHOOL_CONTACT:
        return queryset.filter(scoping.acts_for_q(user, trust_field=None))
    return queryset.none()


def complaint_home_rows(user, states, limit: int) -> dict:
    """Home: the complaints this user sees in `states` (the table's states
    whose step is the user's role's), due first."""
    from django.urls import reverse
    from django.utils import timezone

    from guarantees.models import COMPLAINT_WORKFLOW

    today = timezone.localdate()
    waiting = (
        complaint_list_for(user)
        .filter(state__in=states)
        .select_related(None)
        .select_related("school")
        .prefetch_related(None)
        .order_by("due_on", "pk")
    )
    return {
        "rows": [
            {
                "text": f"{c.reference}, {c.school.name}: "
                f"{COMPLAINT_WORKFLOW.step(c.state).queue_label}",
                "href": reverse("guarantees:complaint-detail", args=[c.pk]),
                "due_on": c.due_on,
                "overdue": c.is_overdue(today),
            }
            for c in waiting[:limit]
        ],
        "link": reverse("guarantees:complaint-list"),
        "link_text": "See every complaint",
    }


def complaint_public_status(*, reference: str, email: str) -> Complaint | None:
    """The complaint with this reference raised from this address, if any."""
    reference = (reference or "").strip().upper()
    email = (email or "").strip()
    if not reference or not email:
        return None
    return Complaint.objects.filter(
        reference=reference, complainant_email__iexact=email, erased_at__isnull=True
    ).first()
