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

A constant number of set-based queries ranks every leader, whatever their
number (`eligible_leaders`): the leaders who pass the filters, deployment
counts per leader, the leaders of the case's region, and each MAT's nearest
school to the case; reading the case's facts takes one or two more (its latest
inspection, a trust's schools). No per-leader query. (Counts and distances as
correlated subqueries per leader made PostgreSQL plan, and JIT-compile, an
expensive query: about 0.2 s more per ranking.)
`rank_candidates(case) -> list[Candidate]`, best first."""

import math
from dataclasses import dataclass, field

from django.db.models import Count, F, FloatField, Min, Q, Value
from django.db.models.functions import Cast

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


def _squared_distance(point: tuple[float, float]):
    """(easting - e)^2 + (northing - n)^2 of a school, in floating point
    (metres squared: too big for a 32-bit integer)."""
    east = Cast(F("easting"), FloatField()) - Value(point[0])
    north = Cast(F("northing"), FloatField()) - Value(point[1])
    return east * east + north * north


# The columns a candidate's leader is loaded with (its user's name and e-mail,
# its base's names): pages can show them without another query.
LOADED_FIELDS = (
    "id",
    "user_id",
    "kind",
    "trust_id",
    "school_id",
    "phases",
    "focus_areas",
    "max_concurrent_deployments",
    "days_available",
    "available",
    "wider_team_agreed",
    "user__id",
    "user__full_name",
    "user__email",
    "user__is_active",
    "trust__id",
    "trust__uid",
    "trust__name",
    "school__id",
    "school__urn",
    "school__name",
    "school__easting",
    "school__northing",
    "school__trust_id",
    "school__region_id",
)


def _passing_filters(case, facts: CaseFacts):
    """Leaders who pass every hard filter but capacity (one query, no
    correlated subqueries: it stays cheap to plan and run)."""
    leaders = SystemLeader.objects.available().exclude(declined_cases=case)
    leaders = leaders.exclude(pk__in=case.withdrawn_leader_ids())  # withdrew: never again
    if facts.conflict_school_ids:
        leaders = leaders.exclude(conflict_schools__in=facts.conflict_school_ids)
    if facts.trust_id:
        leaders = (
            leaders.exclude(conflict_trusts=facts.trust_id)
            .exclude(trust_id=facts.trust_id)
            .exclude(school__trust_id=facts.trust_id)
        )
    return leaders.select_related("user", "trust", "school").only(*LOADED_FIELDS).order_by()


def _deployment_counts() -> dict[int, tuple[int, int]]:
    """leader id -> (deployments in progress, completed deployments): one grouped query."""
    from deployments.delivery.models import Deployment

    rows = (
        Deployment.objects.filter(state__in=[*Deployment.OPEN_STATES, Deployment.State.CLOSED])
        .values("system_leader_id")
        .annotate(
            active=Count("pk", filter=Q(state__in=Deployment.OPEN_STATES)),
            completed=Count("pk", filter=Q(state=Deployment.State.CLOSED)),
        )
        .order_by()
    )
    return {row["system_leader_id"]: (row["active"], row["completed"]) for row in rows}


def _leaders_in_region(region_id) -> set[int]:
    through = SystemLeader.regions.through
    return set(
        through.objects.filter(region_id=region_id).values_list("systemleader_id", flat=True)
    )


def _trust_distances(point) -> dict[int, float]:
    """trust id -> squared metres from `point` to the trust's nearest open
    school, for every trust a MAT CEO leads: one grouped query."""
    from schools.models import School

    if point is None:
        return {}
    rows = (
        School.objects.filter(
            trust_id__in=SystemLeader.objects.filter(kind=SystemLeader.Kind.MAT_CEO).values(
                "trust_id"
            ),
            status__in=School.OPEN_STATUSES,
            easting__isnull=False,
            northing__isnull=False,
        )
        .values("trust_id")
        .annotate(d2=Min(_squared_distance(point)))
        .order_by()
    )
    return {row["trust_id"]: row["d2"] for row in rows}


def eligible_leaders(case, facts: CaseFacts | None = None) -> list[SystemLeader]:
    """Leaders who pass every hard filter for this case, each carrying what the
    score needs: `active` and `completed` deployments, `in_region`, and for a
    MAT CEO `trust_base_d2` (squared metres to the nearest school of their
    trust). Four queries, whatever the number of leaders."""
    facts = facts or case_facts(case)
    counts = _deployment_counts()
    in_region = _leaders_in_region(facts.region_id)
    distances = _trust_distances(facts.point)
    leaders = []
    for leader in _passing_filters(case, facts):
        leader.active, leader.completed = counts.get(leader.pk, (0, 0))
        if leader.active >= leader.max_concurrent_deployments:
            continue
        leader.in_region = leader.pk in in_region
        leader.trust_base_d2 = distances.get(leader.trust_id)
        leaders.append(leader)
    return leaders


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


def leader_miles_to_case(case) -> float | None:
    """Straight-line miles from the case's proposed leader's base to the school or
    trust (the distance the ranking scores)."""
    leader = case.system_leader
    facts = case_facts(case)
    if leader is None or facts.point is None:
        return None
    if leader.kind != SystemLeader.Kind.NLE:
        leader.trust_base_d2 = _trust_distances(facts.point).get(leader.trust_id)
    return _leader_miles(leader, facts.point)
