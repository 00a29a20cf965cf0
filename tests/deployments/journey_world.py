"""A small world in which each role has exactly one waiting task, for the
browser tests that sign in as each role: the support-case world
(tests/deployments/case_world.py) with one case at each partner's step, the
school contact's case in London (where the world's RDP does not work, so it
is not also theirs), and one claim waiting for finance outside both regions."""

from dataclasses import dataclass

from deployments.models import SupportCase
from portal.models import Role
from tests.deployments.claim_fixtures import accepted_deployment
from tests.deployments.factories import EligibilityAssessmentFactory, SupportCaseFactory
from tests.portal.factories import UserFactory
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

S = SupportCase.State


@dataclass
class Task:
    """A user's one waiting task: the record's page and what they do there."""

    user: object
    path: str
    action: str  # a CSS selector for the action the page must offer
    action_text: str


def build_journey_world(world) -> dict[str, Task]:
    def nw_school(name):
        return SchoolFactory(
            name=name, local_authority=LocalAuthorityFactory(region=world.north_west)
        )

    def case_path(case):
        return f"/cases/{case.pk}/"

    identified = world.case()  # the world's school: Regions Group staff propose a leader
    with_rdp = world.case(S.WITH_RDP, school=nw_school("Birch Primary"))
    leader_check = world.case(S.SYSTEM_LEADER_CHECK, school=nw_school("Cobb Academy"))
    approval = world.case(S.DIRECTOR_APPROVAL, school=nw_school("Dale School"))
    london_school = SchoolFactory(
        name="Elm Primary", local_authority=LocalAuthorityFactory(region=world.london)
    )
    engagement = SupportCaseFactory(
        eligibility=EligibilityAssessmentFactory(
            offer=world.offer, school=london_school, region=world.london
        ),
        state=S.SCHOOL_ENGAGEMENT,
        system_leader=world.second_leader,
        opened_by=world.regions_staff_out,
    )
    contact = UserFactory(
        role=Role.SCHOOL_CONTACT, school=london_school, email="elm-contact@example.org"
    )
    # The system leader's own deployment, accepted and claimed: its claim waits for finance.
    claim_cast = accepted_deployment(
        days="9.5", region_name="East Midlands", offer=world.offer, system_leader=world.leader
    )
    from deployments.claims.services import claim_create_for_deployment

    claim = claim_create_for_deployment(deployment_id=claim_cast.deployment.pk)
    transition = "[data-transitions] a[data-transition={}]"
    return {
        "regions_staff": Task(
            world.regions_staff_in,
            case_path(identified),
            "[data-candidates] a",
            "Propose",
        ),
        "rdp": Task(
            world.rdp_in,
            case_path(with_rdp),
            transition.format("rdp_contacts_school"),
            "",
        ),
        "system_leader": Task(
            world.system_leader,
            case_path(leader_check),
            transition.format("system_leader_accepts"),
            "",
        ),
        "regional_director": Task(
            world.director_in,
            case_path(approval),
            transition.format("director_approves"),
            "",
        ),
        "school_contact": Task(
            contact, case_path(engagement), transition.format("school_confirms"), ""
        ),
        "finance": Task(
            world.finance,
            f"/claims/{claim.pk}/",
            ".govuk-button-group a.govuk-button",
            "Approve",
        ),
    }
