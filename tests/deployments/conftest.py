"""Fixtures shared by the eligibility page and API tests."""

import pytest

from tests.deployments.case_world import world  # noqa: F401  (the support-case world)
from tests.deployments.dashboard_world import dashboard_world  # noqa: F401  (the dashboards)
from tests.deployments.factories import SupportOfferFactory
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory


@pytest.fixture
def offer(db):
    return SupportOfferFactory()


@pytest.fixture
def nw_school(north_west):
    return SchoolFactory(local_authority=LocalAuthorityFactory(region=north_west))


@pytest.fixture
def london_school(london):
    return SchoolFactory(local_authority=LocalAuthorityFactory(region=london))
