"""Demo history for the Outcomes page: finished deployments of the 2023/24 offer.

Deployments that ended a year or two ago, so the register's later inspections
(the demo's Ofsted histories run to 2026) fall after them and the Outcomes page
shows what came of the support. They are history, not work waiting: recorded as
finished (accepted or closed, sections filled in, dated inside the offer year)
rather than walked through today's services, whose steps are stamped with
today's date and the acting user of the region. The schools are the eligible
schools that have no support case yet; the demo's "open a case from scratch"
school in the North West is made again afterwards (matching/demo.py). Two of
them get one more inspection after their support (a graded inspection from
September 2024, so without an overall grade), so that the page shows every
outcome: one improved, one declined. Deterministic for a given register; with
any accepted or closed deployment present it adds nothing."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from deployments.delivery.models import Activity, Deployment, DeploymentSection
from deployments.leaders.models import SystemLeader
from deployments.matching.demo import _keep_a_school_to_open_a_case_for
from deployments.matching.models import SupportCase
from deployments.models import EligibilityAssessment
from portal.models import Role, User
from portal.workflow import timeline_record
from schools.models import OfstedInspection

DEMO_LEADER_EMAIL = "system.leader@example.org"
HOW_MANY = 7
# Deployment number -> the key judgements of an inspection added after its support.
LATER_JUDGEMENTS = {2: (3, 4, 3, 3), 4: (2, 2, 2, 2)}
# The offer's core days spread over these, so the claims match the log.
ACTIVITIES = (
    "Scoping visit: met the headteacher and chair of governors.",
    "Reviewed the improvement plan with senior leaders.",
    "Joint lesson visits and feedback to middle leaders.",
    "Governance review with the governing board.",
    "Closing review of progress against the plan.",
)
FOCUS = (
    ["leadership_management", "teaching_learning"],
    ["attendance", "behaviour"],
    ["curriculum_teacher_development"],
    ["governance_trust", "leadership_management"],
    ["pupil_premium", "teaching_learning"],
    ["wellbeing_safeguarding"],
)


def _sections(n: int, school_name: str, days: int) -> dict[str, dict]:
    return {
        "details": {
            "contact_name": "Head of " + school_name,
            "contact_email": "head@school.example.org",
            "contact_role": "Headteacher",
        },
        "scope": {
            "additional_details": "Eligible on its latest inspection; leadership capacity.",
            "focus_areas": [{"key": k, "priority": "high"} for k in FOCUS[n % len(FOCUS)]],
            "programmes": [],
            "governance_support_needed": n % 2 == 0,
            "through_trust_ceo_confirmed": True,
        },
        "mid_review": {"progress": "Leaders monitor teaching weekly.", "changes": "None."},
        "closure": {
            "all_activities_completed": True,
            "impact": "An improvement plan the governors own.",
            "next_steps": "no_further_support",
        },
        "claim": {"days": str(days)},
        "school_confirmation": {
            "work_as_described": True,
            "comments": "",
            "name": "Head of " + school_name,
            "role": "Headteacher",
        },
        "declaration": {"confirmed": True, "name": "The system leader"},
    }


def _leader_for(region_id: int, n: int, used: set[int]) -> SystemLeader | None:
    kind = SystemLeader.Kind.MAT_CEO if n % 2 == 0 else SystemLeader.Kind.NLE
    leaders = (
        SystemLeader.objects.filter(regions=region_id)
        .exclude(user__email=DEMO_LEADER_EMAIL)
        .exclude(pk__in=used)
        .order_by("kind" if kind == SystemLeader.Kind.MAT_CEO else "-kind", "pk")
    )
    return leaders.first()


@transaction.atomic
def seed_finished_deployments() -> dict[str, int]:
    finished = Deployment.objects.filter(
        state__in=[Deployment.State.ACCEPTED, Deployment.State.CLOSED]
    )
    if finished.exists():
        return {"finished deployments": finished.count()}
    staff = User.objects.filter(role=Role.REGIONS_STAFF).order_by("pk").first()
    rdp = User.objects.filter(role=Role.RDP).order_by("pk").first()
    if staff is None or rdp is None:
        return {"finished deployments": 0}
    with_case = SupportCase.objects.filter(school__isnull=False).values("school")
    eligible = (
        EligibilityAssessment.objects.current()
        .eligible()
        .filter(school__isnull=False, region__isnull=False)
        .exclude(school__in=with_case)
        .select_related("school", "offer")
        .order_by("school__urn")[:HOW_MANY]
    )
    used: set[int] = set()
    for n, eligibility in enumerate(eligible):
        leader = _leader_for(eligibility.region_id, n, used)
        if leader is None:
            continue
        used.add(leader.pk)
        offer = eligibility.offer
        issued = max(eligibility.latest_inspection_date or offer.starts_on, offer.starts_on)
        issued += dt.timedelta(days=21 + 7 * n)
        accepted = issued + dt.timedelta(days=120)
        closed = n % 2 == 0
        case = SupportCase.objects.create(
            offer=offer,
            eligibility=eligibility,
            school=eligibility.school,
            region_id=eligibility.region_id,
            state=SupportCase.State.DEPLOYMENT_ISSUED,
            system_leader=leader,
            opened_by=staff,
            owner=staff,
            school_confirmed=True,
            school_contacted_on=issued - dt.timedelta(days=14),
            leader_asked_on=issued - dt.timedelta(days=10),
        )
        deployment = Deployment.objects.create(
            support_case=case,
            offer=offer,
            system_leader=leader,
            school=eligibility.school,
            region_id=eligibility.region_id,
            state=Deployment.State.CLOSED if closed else Deployment.State.ACCEPTED,
            issued_on=issued,
            meeting_on=issued + dt.timedelta(days=5),
            sent_for_sign_off_on=accepted - dt.timedelta(days=10),
            school_signed_on=accepted - dt.timedelta(days=7),
            submitted_on=accepted - dt.timedelta(days=5),
            accepted_on=accepted,
            accepted_by=rdp,
            end_call_held_on=accepted + dt.timedelta(days=30) if closed else None,
            closed_on=accepted + dt.timedelta(days=30) if closed else None,
            school_experience="Positive: leaders valued the challenge." if closed else "",
            future_plans="Joining a strong trust is being considered." if closed else "",
        )
        DeploymentSection.objects.bulk_create(
            DeploymentSection(deployment=deployment, key=key, data=data)
            for key, data in _sections(n, eligibility.school.name, offer.core_days).items()
        )
        Activity.objects.bulk_create(
            Activity(
                deployment=deployment,
                date=issued + dt.timedelta(days=7 + 14 * k),
                days=Decimal(offer.core_days) / len(ACTIVITIES),
                description=ACTIVITIES[k],
                delivered_by=str(leader),
                created_by=leader.user,
            )
            for k in range(len(ACTIVITIES))
        )
        timeline_record(
            deployment,
            name="closed" if closed else "accepted",
            by_label="Demo data",
            note=f"Support delivered {issued:%-d %B %Y} to {accepted:%-d %B %Y}.",
        )
        if n in LATER_JUDGEMENTS:
            _inspect_after(deployment, LATER_JUDGEMENTS[n])
    director = User.objects.filter(role=Role.REGIONAL_DIRECTOR).order_by("pk").first()
    if director is not None:
        _keep_a_school_to_open_a_case_for(director)
    return {"finished deployments": finished.count()}


def _inspect_after(deployment: Deployment, grades: tuple[int, int, int, int]) -> None:
    """A graded inspection (no overall grade, as from September 2024) of the
    deployment's school, before any later one the register already has."""
    offer_end = deployment.offer.ends_on + dt.timedelta(days=30)
    start = max(deployment.accepted_on + dt.timedelta(days=180), offer_end)
    quality, behaviour, personal, leadership = grades
    OfstedInspection.objects.create(
        school=deployment.school,
        inspection_number=f"DEMO-{deployment.school.urn}-1",
        kind=OfstedInspection.Kind.GRADED,
        inspection_type="S5 Inspection",
        start_date=start,
        end_date=start + dt.timedelta(days=1),
        publication_date=start + dt.timedelta(days=35),
        quality_of_education=quality,
        behaviour_and_attitudes=behaviour,
        personal_development=personal,
        leadership_and_management=leadership,
        safeguarding_effective=True,
        source=OfstedInspection.Source.SEED,
    )
