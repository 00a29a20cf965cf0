"""Shared builders for the deployment tests: a deployment in the North West
with its system leader, school contact, RDP and Regions Group staff."""

import datetime as dt
from dataclasses import dataclass

from portal.models import Role
from tests.deployments.factories import DeploymentFactory, IssuedCaseFactory
from tests.portal.factories import UserFactory
from tests.schools.factories import LocalAuthorityFactory, RegionFactory, SchoolFactory

ACCOUNT_NUMBER = "31926819"
SORT_CODE = "601613"

SECTION_VALUES = {
    "details": {
        "contact_name": "Ada Head",
        "contact_email": "ada@school.example.org",
        "contact_role": "Headteacher",
    },
    "scope": {
        "additional_details": "Two RI judgements; leadership turnover.",
        "focus_areas": [
            {"key": "leadership_management", "priority": "high"},
            {"key": "attendance", "priority": "medium"},
        ],
        "programmes": ["npqh", "persistent-absence"],
        "governance_support_needed": False,
    },
    "mid_review": {"progress": "Leaders now monitor teaching.", "changes": "None."},
    "closure": {
        "all_activities_completed": True,
        "impact": "Improvement plan in place.",
        "next_steps": "funded_trust_partnership",
    },
    "bank_details": {
        "account_name": "Leader Trust",
        "sort_code": SORT_CODE,
        "account_number": ACCOUNT_NUMBER,
    },
    "claim": {"days": "9.5"},
    "school_confirmation": {
        "work_as_described": True,
        "comments": "",
        "name": "Ada Head",
        "role": "Headteacher",
    },
    "declaration": {"confirmed": True, "name": "Leader"},
}


@dataclass
class Cast:
    deployment: object
    leader: object
    contact: object
    rdp: object
    staff: object
    region: object


def make_cast(*, issued_days_ago=40, kind="nle", wider_team_agreed=False) -> Cast:
    region = RegionFactory(name="North West", code="E12000002")
    school = SchoolFactory(local_authority=LocalAuthorityFactory(region=region))
    case = IssuedCaseFactory(
        school=school,
        region=region,
        system_leader__wider_team_agreed=wider_team_agreed,
    )
    deployment = DeploymentFactory(
        support_case=case,
        system_leader=case.system_leader,
        issued_on=dt.date.today() - dt.timedelta(days=issued_days_ago),
    )
    contact = UserFactory(role=Role.SCHOOL_CONTACT, school=school, full_name="Ada Head")
    rdp = UserFactory(role=Role.RDP, regions=[region])
    staff = UserFactory(role=Role.REGIONS_STAFF, regions=[region])
    return Cast(deployment, case.system_leader.user, contact, rdp, staff, region)


def ready_to_sign(cast):
    """The cast's deployment with sections 1-7 complete, one activity logged
    and sent to the school to sign off (through the services)."""
    from decimal import Decimal

    from deployments.delivery import services

    Deployment = type(cast.deployment)
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    cast.deployment.refresh_from_db()
    for key in ("details", "scope", "mid_review", "closure", "bank_details", "claim"):
        services.deployment_section_save(
            cast.deployment, key, user=cast.leader, data=SECTION_VALUES[key]
        )
    services.activity_create(
        cast.deployment,
        user=cast.leader,
        date=dt.date.today() - dt.timedelta(days=3),
        days=Decimal("2"),
        description="Coached the head on monitoring",
        mode="remote",
    )
    services.deployment_section_save(
        cast.deployment, "declaration", user=cast.leader, data=SECTION_VALUES["declaration"]
    )
    cast.deployment.refresh_from_db()
    return services.deployment_send_for_sign_off(cast.deployment, user=cast.leader)
