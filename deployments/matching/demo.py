"""Demo support cases, so each demo login has work waiting when it signs in.

Walked through the real services (permissions, timeline, due dates, e-mails),
never written directly: the demo shows what the workflow itself produces.
- the demo school contact's school: a case at "system leader check", the demo
  system leader asked to take it on;
- another eligible North West school: a case walked to "deployment issued",
  its deployment led by the demo system leader;
- one more eligible North West school with no case, so a newcomer signed in as
  Regions Group staff can open a case from scratch (the Regional Director's
  assessment, criterion C, makes one eligible if the register has none left).
Idempotent: with any support case present it adds nothing."""

import datetime as dt

from django.db import transaction

from deployments.matching import services
from deployments.matching.models import SupportCase
from deployments.matching.ranking import rank_candidates
from deployments.models import EligibilityAssessment, SystemLeader
from deployments.services import rd_assessment_record
from portal.models import User
from schools.models import School

DEMO_OVERRIDE = "Demo data: the demo system leader takes this case."


def _demo_user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _propose(case, *, staff, leader):
    listed = any(c.system_leader.pk == leader.pk for c in rank_candidates(case))
    return services.support_case_propose(
        case,
        user=staff,
        system_leader=leader,
        note="Proposed from the ranked candidates.",
        override_reason="" if listed else DEMO_OVERRIDE,
    )


@transaction.atomic
def seed_support_cases() -> dict[str, int]:
    if SupportCase.objects.exists():
        return {"support cases": SupportCase.objects.count()}
    staff = _demo_user("regions.staff@example.gov.uk")
    rdp = _demo_user("rdp.north@example.org")
    director = _demo_user("director.nw@example.gov.uk")
    contact = _demo_user("school.contact@example.org")
    leader = SystemLeader.objects.filter(user__email="system.leader@example.org").first()
    if not all((staff, rdp, director, contact, leader)) or contact.school_id is None:
        return {"support cases": 0}
    eligible = (
        EligibilityAssessment.objects.current()
        .eligible()
        .filter(region__name="North West", school__isnull=False)
        .order_by("school__urn")
    )
    own = eligible.filter(school=contact.school).first()
    other = eligible.exclude(school=contact.school).first()
    if own is not None:
        case = services.support_case_open(user=staff, eligibility=own)
        case = _propose(case, staff=staff, leader=leader)
        case = services.support_case_rdp_contacts_school(case, user=rdp, note="Called the head.")
        services.support_case_school_confirms(
            case, user=contact, context="We would welcome support with leadership."
        )
    if other is not None:
        case = services.support_case_open(user=staff, eligibility=other)
        case = _propose(case, staff=staff, leader=leader)
        case = services.support_case_rdp_contacts_school(case, user=rdp)
        case = services.support_case_school_confirms(case, user=rdp, context="Confirmed by phone.")
        case = services.support_case_system_leader_accepts(case, user=leader.user)
        case = services.support_case_school_accepts_match(case, user=rdp)
        case = services.support_case_director_approves(case, user=director)
        services.support_case_issue_deployment(case, user=rdp)
    _keep_a_school_to_open_a_case_for(director)
    return {"support cases": SupportCase.objects.count()}


def _keep_a_school_to_open_a_case_for(director: User) -> None:
    eligible = (
        EligibilityAssessment.objects.current()
        .eligible()
        .filter(region__name="North West", school__isnull=False)
    )
    with_case = SupportCase.objects.filter(school__isnull=False).values("school")
    if eligible.exclude(school__in=with_case).exists():
        return
    any_eligible = eligible.first()
    if any_eligible is None:
        return
    offer = any_eligible.offer
    school = (
        School.objects.filter(region__name="North West", status=School.Status.OPEN)
        .exclude(pk__in=eligible.values("school"))
        .order_by("urn")
        .first()
    )
    if school is not None:
        rd_assessment_record(
            user=director,
            offer=offer,
            school=school,
            reason="Demo data: a sharp fall in outcomes and a new, inexperienced head.",
            assessed_on=offer.starts_on + dt.timedelta(days=66),
        )
