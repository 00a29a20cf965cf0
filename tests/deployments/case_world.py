"""A small world for support-case tests: two regions, an eligible school in a
multi-academy trust in the North West, two system leaders, and one person per
role in and out of the region. Import the `world` fixture into a test module."""

from dataclasses import dataclass, field

import pytest

from deployments.models import SupportCase
from portal.models import Role
from tests.deployments.factories import (
    EligibilityAssessmentFactory,
    NleFactory,
    SupportCaseFactory,
    SupportOfferFactory,
    SystemLeaderFactory,
)
from tests.portal.factories import UserFactory
from tests.schools.factories import (
    LocalAuthorityFactory,
    RegionFactory,
    SchoolFactory,
    TrustFactory,
)

ACTORS = (
    "regions_staff_in",
    "regions_staff_out",
    "director_in",
    "director_out",
    "rdp_in",
    "rdp_out",
    "system_leader",
    "other_system_leader",
    "contact",
    "other_contact",
    "admin",
    "finance",
)


@dataclass
class World:
    offer: object
    north_west: object
    london: object
    trust: object
    school: object
    eligibility: object
    leader: object
    second_leader: object
    users: dict = field(default_factory=dict)

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)

    def case(self, state=SupportCase.State.IDENTIFIED, **kwargs) -> SupportCase:
        """A case already at `state`, proposed to `leader` from with_rdp on;
        `school=` another North West school for a second case."""
        if state != SupportCase.State.IDENTIFIED and state not in (
            SupportCase.State.WITHDRAWN,
            SupportCase.State.DECLINED,
        ):
            kwargs.setdefault("system_leader", self.leader)
        eligibility = self.eligibility
        if "school" in kwargs and kwargs["school"] != self.school:
            eligibility = EligibilityAssessmentFactory(
                offer=self.offer, school=kwargs.pop("school"), region=self.north_west
            )
        kwargs.setdefault("opened_by", self.users["regions_staff_in"])
        return SupportCaseFactory(eligibility=eligibility, state=state, **kwargs)


def _person(key, role, **kwargs):
    return UserFactory(
        role=role, email=f"{key.replace('_', '-')}@example.org", full_name=key.title(), **kwargs
    )


@pytest.fixture
def world(db):
    return build_world()


def build_world() -> World:
    offer = SupportOfferFactory()
    nw = RegionFactory(name="North West", code="E12000002")
    london = RegionFactory(name="London", code="E12000007")
    trust = TrustFactory(name="Harbour Learning Trust")
    school = SchoolFactory(
        name="Ashby Primary",
        local_authority=LocalAuthorityFactory(region=nw),
        trust=trust,
        headteacher="Ms Ada Head",
        postcode="M1 1AA",
        town="Manchester",
    )
    eligibility = EligibilityAssessmentFactory(offer=offer, school=school, region=nw)
    users = {
        "regions_staff_in": _person("regions_staff_in", Role.REGIONS_STAFF, regions=[nw]),
        "regions_staff_out": _person("regions_staff_out", Role.REGIONS_STAFF, regions=[london]),
        "director_in": _person("director_in", Role.REGIONAL_DIRECTOR, regions=[nw]),
        "director_out": _person("director_out", Role.REGIONAL_DIRECTOR, regions=[london]),
        "rdp_in": _person("rdp_in", Role.RDP, regions=[nw]),
        "rdp_out": _person("rdp_out", Role.RDP, regions=[london]),
        "system_leader": _person("system_leader", Role.SYSTEM_LEADER),
        "other_system_leader": _person("other_system_leader", Role.SYSTEM_LEADER),
        "contact": _person("contact", Role.SCHOOL_CONTACT, school=school),
        "other_contact": _person("other_contact", Role.SCHOOL_CONTACT, school=SchoolFactory()),
        # The Admin role; superusers pass every has_perm until the fix for that lands.
        "admin": _person("admin", Role.ADMIN, is_staff=True),
        "finance": _person("finance", Role.FINANCE),
    }
    leader = SystemLeaderFactory(
        mat_ceo=True,
        user=users["system_leader"],
        trust=TrustFactory(name="Beacon Academies"),
        regions=[nw],
    )
    second_leader = NleFactory(
        user=users["other_system_leader"],
        school=SchoolFactory(name="Cedar High", local_authority=LocalAuthorityFactory(region=nw)),
        regions=[nw],
    )
    return World(
        offer=offer,
        north_west=nw,
        london=london,
        trust=trust,
        school=school,
        eligibility=eligibility,
        leader=leader,
        second_leader=second_leader,
        users=users,
    )
