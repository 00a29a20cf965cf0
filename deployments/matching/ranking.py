"""Ranked system-leader candidates for a support case.

Hard filters (the contract): never a leader who declared a conflict with the
school or its trust (for a trust case: the trust or any of its schools), who
leads or works in the school's own trust, who already declined this case, who
is unavailable (or whose account is deactivated) or at capacity.

Then MAT CEOs before NLEs (guidance sections 4 and 8: "normally a MAT CEO or an
NLE where a MAT CEO isn't available"), then a score out of 100 with its reasons
as short sentences:

- phase (30): the leader lists the school's phase (`school_phase_key`); for a
  trust case, any phase of the trust's open schools;
- focus areas (25, in proportion): the share of the case's known needs
  (`case_needs`) the leader lists;
- distance (20, falling to 0 at 60 miles): straight line from the leader's base
  (an NLE's school; a MAT CEO's nearest school of their trust) to the school
  (a trust case: the middle of its schools), from GIAS Easting and Northing;
- same region (15): the leader works in the case's region;
- completed deployments (5): experience, full marks from 3 closed deployments;
- current load (5): the share of their capacity still free.

One SQL query ranks every leader (`eligible_leaders`: filters, counts, region
and distance as annotations); reading the case's facts takes at most two more
(its latest inspection, a trust's schools), whatever the number of leaders.
`rank_candidates(case) -> list[Candidate]`, best first."""

import math
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from deployments.choices import FocusArea, Phase
from deployments.leaders.models import SystemLeader

METRES_PER_MILE = 1609.344
WEIGHT_PHASE = 30
WEIGHT_FOCUS = 25
WEIGHT_DISTANCE = 20
DISTANCE_ZERO_MILES = 60
WEIGHT_REGION = 15
WEIGHT_COMPLETED = 5
COMPLETED_FULL_MARKS = 3
WEIGHT_LOAD = 5


@dataclass
class Candidate:
    system_leader: SystemLeader
    rank: int = 0
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


# GIAS "PhaseOfEducation (name)" -> the contract's phase key.
GIAS_PHASES = {
    "Nursery": Phase.NURSERY,
    "Primary": Phase.PRIMARY,
    "Middle deemed primary": Phase.PRIMARY,
    "Secondary": Phase.SECONDARY,
    "Middle deemed secondary": Phase.SECONDARY,
    "All-through": Phase.ALL_THROUGH,
    "16 plus": Phase.SIXTEEN_PLUS,
}


def school_phase_key(school) -> str | None:
    """The contract's phase key for a school: its GIAS phase, or (phase "Not
    applicable") special or alternative provision from its type."""
    if school is None:
        return None
    if school.phase in GIAS_PHASES:
        return GIAS_PHASES[school.phase]
    type_name = (school.type_name or "").lower()
    if "alternative provision" in type_name or "pupil referral" in type_name:
        return Phase.ALTERNATIVE_PROVISION
    if "special" in type_name or school.type_group == "Special schools":
        return Phase.SPECIAL
    return None


# A judgement below Good (3 or 4), or a report-card grade below Expected, in an
# area of the latest inspection points at these focus areas.
JUDGEMENT_NEEDS = {
    "quality_of_education": (FocusArea.TEACHING_LEARNING, FocusArea.CURRICULUM_TEACHER_DEVELOPMENT),
    "behaviour_and_attitudes": (FocusArea.BEHAVIOUR, FocusArea.ATTENDANCE),
    "personal_development": (FocusArea.WELLBEING_SAFEGUARDING,),
    "leadership_and_management": (FocusArea.LEADERSHIP_MANAGEMENT,),
}
REPORT_CARD_NEEDS = {
    "rc_curriculum_and_teaching": (
        FocusArea.TEACHING_LEARNING,
        FocusArea.CURRICULUM_TEACHER_DEVELOPMENT,
    ),
    "rc_achievement": (FocusArea.TEACHING_LEARNING,),
    "rc_attendance_and_behaviour": (FocusArea.BEHAVIOUR, FocusArea.ATTENDANCE),
    "rc_personal_development": (FocusArea.WELLBEING_SAFEGUARDING,),
    "rc_inclusion": (FocusArea.PUPIL_PREMIUM,),
    "rc_leadership_and_governance": (
        FocusArea.LEADERSHIP_MANAGEMENT,
        FocusArea.GOVERNANCE_TRUST,
    ),
}
WEAK_REPORT_CARD = ("needs_attention", "urgent")
HIGH_FSM_PERCENT = 30  # about 1.3 times the national share of pupils eligible for FSM
TRUST_NEEDS = (
    FocusArea.GOVERNANCE_TRUST,
    FocusArea.LEADERSHIP_MANAGEMENT,
    FocusArea.FINANCIAL_MANAGEMENT,
)


def case_needs(case, latest_inspection=None) -> list[str]:
    """The focus areas a case is known to need, in the 12 keys' order.

    - Every case needs leadership and management (the offer's core).
    - The latest inspection named in the eligibility evidence: each area judged
      below Good (or a report-card area below Expected) adds its focus areas;
      safeguarding not effective adds wellbeing and safeguarding.
    - The school's context: 30% or more of pupils eligible for free school meals
      adds pupil premium; a school in a multi-academy trust, or a trust case,
      adds governance and trust development (a trust case also financial
      management).
    """
    needs = {FocusArea.LEADERSHIP_MANAGEMENT}
    inspection = latest_inspection
    if inspection is not None:
        for field_name, areas in JUDGEMENT_NEEDS.items():
            if (getattr(inspection, field_name) or 0) >= 3:
                needs.update(areas)
        for field_name, areas in REPORT_CARD_NEEDS.items():
            if getattr(inspection, field_name) in WEAK_REPORT_CARD:
                needs.update(areas)
        if inspection.safeguarding_effective is False or inspection.rc_safeguarding_met is False:
            needs.add(FocusArea.WELLBEING_SAFEGUARDING)
    school = case.school if case.school_id else None
    if school is not None:
        if school.percentage_fsm is not None and school.percentage_fsm >= HIGH_FSM_PERCENT:
            needs.add(FocusArea.PUPIL_PREMIUM)
        if school.trust_id and getattr(school.trust, "kind", "") == "multi_academy":
            needs.add(FocusArea.GOVERNANCE_TRUST)
    else:
        needs.update(TRUST_NEEDS)
    return [key for key in FocusArea.values if key in needs]


def _latest_inspection(case):
    """The latest inspection the eligibility evidence names (one query), else
    the school's latest graded one."""
    from schools.models import OfstedInspection

    if not case.school_id:
        return None
    evidence = (case.eligibility.evidence or {}) if case.eligibility_id else {}
    numbers = [i.get("number") for i in evidence.get("inspections", []) if i.get("number")]
    if numbers:
        found = OfstedInspection.objects.filter(inspection_number=numbers[-1]).first()
        if found is not None:
            return found
    return (
        OfstedInspection.objects.filter(school_id=case.school_id)
        .order_by("-start_date", "-id")
        .first()
    )


@dataclass
class CaseFacts:
    """What ranking needs to know about the case, read once."""

    region_id: int | None
    region_name: str
    trust_id: int | None
    phases: set[str]
    phase_label: str
    needs: list[str]
    point: tuple[float, float] | None  # Easting, Northing of the school (or trust centre)
    conflict_school_ids: list[int]


def case_facts(case) -> CaseFacts:
    from schools.models import School

    region_name = case.region.name if case.region_id else ""
    if case.school_id:
        school = case.school
        phase = school_phase_key(school)
        point = (
            (float(school.easting), float(school.northing))
            if school.easting is not None and school.northing is not None
            else None
        )
        return CaseFacts(
            region_id=case.region_id,
            region_name=region_name,
            trust_id=school.trust_id,
            phases={phase} if phase else set(),
            phase_label=Phase(phase).label if phase else "",
            needs=case_needs(case, _latest_inspection(case)),
            point=point,
            conflict_school_ids=[school.pk],
        )
    schools = list(
        School.objects.filter(trust_id=case.trust_id, status__in=School.OPEN_STATUSES).only(
            "pk", "phase", "type_name", "type_group", "easting", "northing"
        )
    )
    phases = {p for p in (school_phase_key(s) for s in schools) if p}
    placed = [s for s in schools if s.easting is not None and s.northing is not None]
    point = (
        (
            sum(s.easting for s in placed) / len(placed),
            sum(s.northing for s in placed) / len(placed),
        )
        if placed
        else None
    )
    return CaseFacts(
        region_id=case.region_id,
        region_name=region_name,
        trust_id=case.trust_id,
        phases=phases,
        phase_label="",
        needs=case_needs(case),
        point=point,
        conflict_school_ids=[s.pk for s in schools],
    )


def _squared_distance(prefix: str, point: tuple[float, float]):
    """(easting - e)^2 + (northing - n)^2 in floating point (metres squared:
    too big for a 32-bit integer)."""
    east = Cast(F(f"{prefix}easting"), FloatField()) - Value(point[0])
    north = Cast(F(f"{prefix}northing"), FloatField()) - Value(point[1])
    return east * east + north * north


def eligible_leaders(case, facts: CaseFacts | None = None):
    """Leaders who pass every hard filter for this case, annotated with what
    the score needs: `active` and `completed` deployments, `in_region`, and for
    MAT CEOs `trust_base_d2` (squared metres to the nearest school of their
    trust). One query."""
    from deployments.delivery.models import Deployment
    from schools.models import School

    facts = facts or case_facts(case)
    deployments = Deployment.objects.filter(system_leader=OuterRef("pk")).order_by()

    def count_of(states):
        counted = (
            deployments.filter(state__in=states)
            .values("system_leader")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    leaders = (
        SystemLeader.objects.available()
        .exclude(declined_cases=case)
        .annotate(
            active=count_of(Deployment.OPEN_STATES),
            completed=count_of([Deployment.State.CLOSED]),
            in_region=Exists(
                SystemLeader.regions.through.objects.filter(
                    systemleader_id=OuterRef("pk"), region_id=facts.region_id
                )
            ),
        )
        .filter(active__lt=F("max_concurrent_deployments"))
    )
    if facts.conflict_school_ids:
        leaders = leaders.exclude(conflict_schools__in=facts.conflict_school_ids)
    if facts.trust_id:
        leaders = (
            leaders.exclude(conflict_trusts=facts.trust_id)
            .exclude(trust_id=facts.trust_id)
            .exclude(school__trust_id=facts.trust_id)
        )
    if facts.point is not None:
        nearest = (
            School.objects.filter(
                trust_id=OuterRef("trust_id"),
                status__in=School.OPEN_STATUSES,
                easting__isnull=False,
                northing__isnull=False,
            )
            .annotate(d2=_squared_distance("", facts.point))
            .order_by("d2")
            .values("d2")[:1]
        )
        leaders = leaders.annotate(trust_base_d2=Subquery(nearest, output_field=FloatField()))
    return leaders.select_related("user", "trust", "school").order_by()


def miles_between(d2: float | None) -> float | None:
    return None if d2 is None else math.sqrt(d2) / METRES_PER_MILE


def miles_sentence(miles: float | None) -> str:
    if miles is None:
        return "Distance unknown"
    if miles < 1:
        return "Less than a mile away"
    rounded = round(miles)
    return f"About {rounded} mile{'s' if rounded != 1 else ''} away"


def _leader_miles(leader, point) -> float | None:
    if point is None:
        return None
    if leader.kind == SystemLeader.Kind.NLE:
        school = leader.school
        if school is None or school.easting is None or school.northing is None:
            return None
        return miles_between((school.easting - point[0]) ** 2 + (school.northing - point[1]) ** 2)
    return miles_between(getattr(leader, "trust_base_d2", None))


def score_leader(leader, facts: CaseFacts) -> Candidate:
    """A candidate's score and reasons (no queries: the leader carries its annotations)."""
    candidate = Candidate(system_leader=leader)
    score = 0.0
    reasons = candidate.reasons
    leader_phases = set(leader.phases or [])
    if facts.phases:
        if leader_phases & facts.phases:
            score += WEIGHT_PHASE
            reasons.append(
                f"{facts.phase_label} phase matches" if facts.phase_label else "A phase matches"
            )
        else:
            reasons.append(
                f"Does not list the {facts.phase_label.lower()} phase"
                if facts.phase_label
                else "No phase of the trust's schools matches"
            )
    if facts.needs:
        overlap = len(set(leader.focus_areas or []) & set(facts.needs))
        score += WEIGHT_FOCUS * overlap / len(facts.needs)
        reasons.append(f"{overlap} of {len(facts.needs)} focus areas")
    miles = _leader_miles(leader, facts.point)
    if miles is not None:
        score += WEIGHT_DISTANCE * max(0.0, 1 - miles / DISTANCE_ZERO_MILES)
    reasons.append(miles_sentence(miles))
    if leader.in_region:
        score += WEIGHT_REGION
        reasons.append(f"Works in {facts.region_name}")
    elif facts.region_name:
        reasons.append(f"Does not work in {facts.region_name}")
    completed = leader.completed
    score += WEIGHT_COMPLETED * min(completed, COMPLETED_FULL_MARKS) / COMPLETED_FULL_MARKS
    reasons.append(
        f"{completed} completed deployment{'s' if completed != 1 else ''}"
        if completed
        else "No completed deployments yet"
    )
    capacity = leader.max_concurrent_deployments
    score += WEIGHT_LOAD * (capacity - leader.active) / capacity
    reasons.append(f"{leader.active} of {capacity} deployments in use")
    candidate.score = round(score, 1)
    return candidate


def rank_candidates(case) -> list[Candidate]:
    """Every leader who passes the hard filters, best first: MAT CEOs before
    NLEs, then by score, then by name."""
    facts = case_facts(case)
    candidates = [score_leader(leader, facts) for leader in eligible_leaders(case, facts)]
    candidates.sort(
        key=lambda c: (
            c.system_leader.kind != SystemLeader.Kind.MAT_CEO,
            -c.score,
            c.system_leader.user.full_name,
            c.system_leader.pk,
        )
    )
    for rank, candidate in enumerate(candidates, start=1):
        candidate.rank = rank
    return candidates
