import importlib

import pytest

from portal.models import Role
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory


@pytest.fixture
def nw_school(north_west):
    return SchoolFactory(
        local_authority=LocalAuthorityFactory(region=north_west),
        phase="Primary",
        statutory_low_age=4,
        statutory_high_age=11,
        name="Brookside Primary School",
    )


@pytest.fixture
def london_school(london):
    return SchoolFactory(local_authority=LocalAuthorityFactory(region=london))


@pytest.fixture
def contact(make_user, nw_school):
    """The North West school's contact."""
    return make_user(Role.SCHOOL_CONTACT, school=nw_school, email="head@brookside.example")


@pytest.fixture
def trust_contact(nw_school):
    """A contact of the North West school's trust: acts for the school as its own contact does."""
    from tests.portal.factories import TrustContactFactory
    from tests.schools.factories import TrustFactory

    nw_school.trust = TrustFactory(name="Brookside Learning Trust")
    nw_school.save(update_fields=["trust"])
    return TrustContactFactory(trust=nw_school.trust)


@pytest.fixture
def other_trust_contact(trust_contact):
    """A contact of another trust: acts for none of the North West school's records."""
    from tests.portal.factories import TrustContactFactory

    return TrustContactFactory()


@pytest.fixture
def nw_staff(make_user, north_west):
    return make_user(Role.REGIONS_STAFF, regions=[north_west])


@pytest.fixture
def london_staff(make_user, london):
    return make_user(Role.REGIONS_STAFF, regions=[london])


@pytest.fixture
def annex_f_loaded(db):
    """The Guarantees and stage deadlines the data migration loads, again: a
    transactional test starts after another one may have flushed them."""
    from django.apps import apps

    migration = importlib.import_module("guarantees.migrations.0002_load_annex_f_guarantees")
    migration.load(apps, None)
