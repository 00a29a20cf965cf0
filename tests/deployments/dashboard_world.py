"""A small offer year for the dashboard tests: schools and a trust in the North
West and London at every stage of the funnel, overdue and pending work, days
logged and claimed, and one approved claim."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from deployments.claims.services import claim_approve, claim_create_for_deployment
from deployments.delivery.models import Activity, DeploymentSection, EnhancedRequest
from deployments.models import Criterion
from portal.models import Role
from tests.deployments.claim_fixtures import accepted_deployment, current_offer, finance
from tests.deployments.factories import (
    DeploymentFactory,
    EligibilityAssessmentFactory,
    IssuedCaseFactory,
    SupportCaseFactory,
)
from tests.portal.factories import UserFactory
from tests.schools.factories import (
    LocalAuthorityFactory,
    RegionFactory,
    SchoolFactory,
    TrustFactory,
)


@dataclass
class DashboardWorld:
    offer: object
    north_west: object
    london: object
    staff: object
    finance: object
    admin: object


def _school(region):
    return SchoolFactory(local_authority=LocalAuthorityFactory(region=region))


def build_dashboard_world() -> DashboardWorld:
    offer = current_offer()
    nw = RegionFactory(name="North West")
    london = RegionFactory(name="London")
    today = dt.date.today()

    # North West: an eligible school with no case (eligible by two criteria: one school).
    quiet = _school(nw)
    EligibilityAssessmentFactory(offer=offer, school=quiet)
    EligibilityAssessmentFactory(
        offer=offer, school=quiet, criterion=Criterion.RI_RUN, run_length=3
    )
    # A case waiting for the RDP, overdue.
    SupportCaseFactory(
        eligibility=EligibilityAssessmentFactory(offer=offer, school=_school(nw)),
        state="with_rdp",
        due_on=today - dt.timedelta(days=3),
    )
    # A deployment withdrawn after it had reached delivery (its history says so).
    case = IssuedCaseFactory(
        eligibility=EligibilityAssessmentFactory(offer=offer, school=_school(nw))
    )
    withdrawn = DeploymentFactory(
        support_case=case, system_leader=case.system_leader, state="delivery"
    )
    withdrawn.state = "withdrawn"
    withdrawn.save()
    # A trust's deployment, closed, whose completed scope chose two focus areas.
    trust_case = IssuedCaseFactory(
        eligibility=EligibilityAssessmentFactory(
            offer=offer, school=None, trust=TrustFactory(), region=nw
        )
    )
    closed = DeploymentFactory(
        support_case=trust_case, system_leader=trust_case.system_leader, state="closed"
    )
    DeploymentSection.objects.create(
        deployment=closed,
        key="scope",
        data={
            "focus_areas": [
                {"key": "behaviour", "priority": "high"},
                {"key": "attendance", "priority": "low"},
            ],
            "programmes": [],
        },
    )
    Activity.objects.create(
        deployment=closed,
        date=today - dt.timedelta(days=5),
        days=Decimal("2.5"),
        description="Governance review",
        created_by=trust_case.system_leader.user,
    )
    # An engaged deployment, overdue, with an extension request waiting for DfE.
    engaged_case = IssuedCaseFactory(
        eligibility=EligibilityAssessmentFactory(offer=offer, school=_school(nw))
    )
    engaged = DeploymentFactory(
        support_case=engaged_case,
        system_leader=engaged_case.system_leader,
        state="engaged",
        due_on=today - dt.timedelta(days=1),
    )
    EnhancedRequest.objects.create(
        deployment=engaged,
        kind="extension",
        state="with_dfe",
        days=Decimal("3"),
        requested_by=engaged_case.system_leader.user,
    )
    # North West and London: accepted deployments with claims, one approved.
    reviewer = finance()
    approved = accepted_deployment(days="10", offer=offer)
    claim_approve(claim_create_for_deployment(deployment_id=approved.deployment.pk), user=reviewer)
    EligibilityAssessmentFactory(offer=offer, school=approved.deployment.school)
    in_london = accepted_deployment(days="9.5", offer=offer, region_name="London")
    waiting = claim_create_for_deployment(deployment_id=in_london.deployment.pk)
    waiting.due_on = today - dt.timedelta(days=2)  # finance's review is overdue
    waiting.save(update_fields=["due_on"])
    EligibilityAssessmentFactory(offer=offer, school=in_london.deployment.school)
    EligibilityAssessmentFactory(offer=offer, school=_school(london))
    staff = UserFactory(role=Role.REGIONS_STAFF, regions=[nw, london])
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    return DashboardWorld(offer, nw, london, staff, reviewer, admin)


@pytest.fixture
def dashboard_world(db):
    return build_dashboard_world()
