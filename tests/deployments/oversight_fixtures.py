"""Builders for the outcomes and forecast tests: finished deployments of schools
with the inspections after them."""

import datetime as dt

from deployments.delivery.models import Deployment, DeploymentSection
from schools.models import OfstedInspection
from tests.deployments.factories import (
    DeploymentFactory,
    EligibilityAssessmentFactory,
    IssuedCaseFactory,
    SupportOfferFactory,
    SystemLeaderFactory,
)
from tests.schools.factories import LocalAuthorityFactory, OfstedInspectionFactory, SchoolFactory

ISSUED = dt.date(2023, 11, 1)
ACCEPTED = dt.date(2024, 3, 1)


def finished_deployment(
    region,
    *,
    eligible_grade=4,
    criterion="B",
    state=Deployment.State.ACCEPTED,
    issued_on=ISSUED,
    kind="nle",
    focus_areas=("leadership_management",),
    offer=None,
    school=None,
):
    """An accepted (or closed) deployment at a new school in `region`, the school
    eligible by `criterion` on a judgement of `eligible_grade` (None: no
    inspection behind it, as for criterion C), with a completed scope section."""
    school = school or SchoolFactory(local_authority=LocalAuthorityFactory(region=region))
    offer = offer or SupportOfferFactory()
    eligibility = EligibilityAssessmentFactory(
        offer=offer,
        school=school,
        criterion=criterion,
        latest_grade=eligible_grade,
        latest_inspection_date=dt.date(2023, 10, 12) if eligible_grade else None,
        evidence=(
            {
                "inspections": [
                    {
                        "number": f"E{school.urn}",
                        "start_date": "2023-10-12",
                        "grade": eligible_grade,
                    }
                ]
            }
            if eligible_grade
            else {}
        ),
    )
    leader = SystemLeaderFactory(mat_ceo=True) if kind == "mat_ceo" else SystemLeaderFactory()
    case = IssuedCaseFactory(eligibility=eligibility, system_leader=leader)
    deployment = DeploymentFactory(
        support_case=case,
        system_leader=leader,
        issued_on=issued_on,
        state=state,
        accepted_on=ACCEPTED,
        closed_on=ACCEPTED + dt.timedelta(days=20) if state == Deployment.State.CLOSED else None,
    )
    DeploymentSection.objects.create(
        deployment=deployment,
        key="scope",
        data={
            "additional_details": "Leadership",
            "focus_areas": [{"key": k, "priority": "high"} for k in focus_areas],
            "governance_support_needed": False,
        },
    )
    return deployment


def inspect(school, day, grade=None, **fields):
    """A graded inspection of `school` on `day` (a date or ISO text) with `grade`."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return OfstedInspectionFactory(
        school=school, start_date=day, overall_effectiveness=grade, **fields
    )


def report_card(school, day, **areas):
    """A report card of `school` on `day`: areas given as rc_<name>=grade key."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return OfstedInspectionFactory(
        school=school,
        start_date=day,
        kind=OfstedInspection.Kind.REPORT_CARD,
        inspection_type="Report card inspection",
        overall_effectiveness=None,
        rc_safeguarding_met=areas.pop("safeguarding_met", True),
        **areas,
    )
