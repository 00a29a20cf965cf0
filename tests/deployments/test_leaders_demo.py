"""seed_demo's system leaders and school coordinates (small scale)."""

import random

import pytest

from deployments.leaders.demo import LEADER_COUNTS, seed_system_leaders
from deployments.leaders.models import SystemLeader
from deployments.matching.ranking import rank_candidates
from portal.models import Role
from schools.demo import is_invented_person_name, seed_register
from schools.models import School, SchoolLink
from tests.deployments.factories import SupportCaseFactory
from web.demo import DEMO_PASSWORD, seed_users


@pytest.fixture
def seeded(db):
    seed_register(scale="small", rng=random.Random(20230901))
    seed_users()
    return seed_system_leaders(scale="small", password=DEMO_PASSWORD)


def test_about_40_invented_leaders_with_logins_across_the_regions(seeded):
    leaders = list(SystemLeader.objects.select_related("user").prefetch_related("regions"))
    assert len(leaders) == LEADER_COUNTS["small"] == seeded["system leaders"]
    assert all(leader.user.role == Role.SYSTEM_LEADER for leader in leaders)
    invented = [leader for leader in leaders if leader.user.email != "system.leader@example.org"]
    assert len(invented) == len(leaders) - 1
    assert all(is_invented_person_name(leader.user.full_name) for leader in invented)
    assert leaders[0].user.check_password(DEMO_PASSWORD)
    assert {leader.kind for leader in leaders} == {"mat_ceo", "nle"}
    regions = {region.name for leader in leaders for region in leader.regions.all()}
    assert len(regions) >= 7
    assert all(leader.focus_areas and leader.phases for leader in leaders)


def test_the_demo_system_leader_login_has_a_profile_in_north_west(seeded):
    leader = SystemLeader.objects.get(user__email="system.leader@example.org")
    assert "North West" in {region.name for region in leader.regions.all()}
    assert leader.available


def test_a_second_run_adds_no_leader(seeded):
    again = seed_system_leaders(scale="small", password=DEMO_PASSWORD)
    assert again["system leaders added"] == 0
    assert SystemLeader.objects.count() == LEADER_COUNTS["small"]


def test_every_demo_school_has_plausible_coordinates_and_successors_share_them(seeded):
    assert not School.objects.filter(easting__isnull=True).exists()
    assert not School.objects.filter(easting__lt=90000).exists()
    assert not School.objects.filter(northing__gt=657000).exists()
    link = SchoolLink.objects.filter(kind=SchoolLink.Kind.PREDECESSOR).first()
    new, old = School.objects.get(urn=link.urn), School.objects.get(urn=link.linked_urn)
    assert (new.easting, new.northing) == (old.easting, old.northing)


def test_a_demo_case_has_candidates(seeded):
    school = School.objects.filter(region__name="North West", status="open").first()
    ranked = rank_candidates(SupportCaseFactory(eligibility__school=school))
    assert len(ranked) >= 10
    assert any("Works in North West" in c.reasons for c in ranked[:10])
