"""portal.scoping: "acts for the school" is its own contacts and its trust's,
the same answer as a predicate, a query and a recipient list; "in my regions"
likewise."""

import pytest

from portal import scoping
from portal.models import Role
from schools.models import School
from tests.portal.factories import SchoolContactFactory, TrustContactFactory, UserFactory
from tests.schools.factories import (
    LocalAuthorityFactory,
    RegionFactory,
    SchoolFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    """Two schools of one trust, a school of another trust, a school in no trust,
    and one contact of each school and trust."""
    harbour, beacon = TrustFactory(name="Harbour"), TrustFactory(name="Beacon")
    schools = {
        "harbour_a": SchoolFactory(trust=harbour),
        "harbour_b": SchoolFactory(trust=harbour),
        "beacon_a": SchoolFactory(trust=beacon),
        "alone": SchoolFactory(),
    }
    people = {f"{key}_contact": SchoolContactFactory(school=s) for key, s in schools.items()}
    people["harbour_office"] = TrustContactFactory(trust=harbour)
    people["beacon_office"] = TrustContactFactory(trust=beacon)
    people["left"] = TrustContactFactory(trust=harbour, is_active=False)
    people["staff"] = UserFactory(role=Role.REGIONS_STAFF)
    return harbour, beacon, schools, people


def test_a_schools_contacts_are_its_own_and_its_trusts(town):
    harbour, _beacon, schools, people = town
    assert set(scoping.contacts_of(schools["harbour_a"])) == {
        people["harbour_a_contact"],
        people["harbour_office"],
    }
    assert set(scoping.contacts_of(schools["alone"])) == {people["alone_contact"]}
    assert set(scoping.contacts_of(harbour)) == {people["harbour_office"]}
    assert scoping.contact_emails(schools["harbour_a"]) == sorted(
        [people["harbour_a_contact"].email, people["harbour_office"].email]
    )


def test_acts_for_the_predicate_the_query_and_the_recipients_agree(town):
    """For every person and school: acts_for == the school is in their query ==
    the person is among the school's contacts."""
    _harbour, _beacon, schools, people = town
    for user in people.values():
        listed = set(School.objects.filter(scoping.schools_acted_for_q(user)))
        for school in schools.values():
            acts = scoping.acts_for(user, school)
            assert acts == (school in listed) == (user in scoping.contacts_of(school)), (
                user,
                school,
            )
    assert scoping.acts_for(people["harbour_office"], schools["harbour_b"])
    assert not scoping.acts_for(people["beacon_office"], schools["harbour_a"])
    assert not scoping.acts_for(people["harbour_a_contact"], schools["harbour_b"])


def test_a_record_about_a_school_or_its_deployment_resolves_to_the_school(town):
    _harbour, _beacon, schools, people = town

    class Record:
        school, trust = schools["harbour_b"], None

    class AboutADeployment:
        deployment = Record()

    assert scoping.target_of(AboutADeployment()) == schools["harbour_b"]
    assert scoping.acts_for(people["harbour_office"], AboutADeployment())
    assert not scoping.acts_for(people["beacon_office"], AboutADeployment())


def test_in_my_regions_as_a_predicate_and_a_query_agree():
    north, south = RegionFactory(name="Scoping North"), RegionFactory(name="Scoping South")
    near = SchoolFactory(local_authority=LocalAuthorityFactory(region=north))
    far = SchoolFactory(local_authority=LocalAuthorityFactory(region=south))
    staff = UserFactory(role=Role.REGIONS_STAFF, regions=[north])
    assert scoping.in_users_regions(staff, near) and not scoping.in_users_regions(staff, far)
    ids = set(School.objects.filter(scoping.in_users_regions_q(staff)).values_list("pk", flat=True))
    assert near.pk in ids and far.pk not in ids
