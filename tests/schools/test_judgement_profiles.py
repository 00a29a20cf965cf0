"""The register's aggregate reads for matching: a trust's share of Good or
Outstanding schools and a school's latest graded judgement, one query each
whatever the number of trusts or schools."""

import pytest

from schools.selectors import school_latest_judgements, trust_judgement_profiles
from tests.deployments.helpers import GOOD, INADEQUATE, OUTSTANDING, RI, add_inspections
from tests.schools.factories import SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db


def test_trust_profiles_count_open_schools_by_their_latest_graded_judgement(
    django_assert_num_queries,
):
    strong, mixed, new = TrustFactory(), TrustFactory(), TrustFactory()
    for grade in (GOOD, OUTSTANDING):
        add_inspections(SchoolFactory(trust=strong), [("2022-01-01", grade)])
    add_inspections(SchoolFactory(trust=mixed), [("2018-01-01", GOOD), ("2023-01-01", RI)])
    add_inspections(SchoolFactory(trust=mixed), [("2023-02-01", INADEQUATE)])
    SchoolFactory(trust=mixed)  # not yet graded
    SchoolFactory(trust=new)
    with django_assert_num_queries(1):
        profiles = trust_judgement_profiles(trust_ids=[strong.pk, mixed.pk, new.pk])
    assert (profiles[strong.pk].good_or_outstanding, profiles[strong.pk].share) == (2, 100)
    assert (profiles[mixed.pk].schools, profiles[mixed.pk].graded) == (3, 2)
    assert profiles[mixed.pk].share == 0
    assert profiles[new.pk].share is None


def test_latest_judgements_of_many_schools_take_one_query(django_assert_num_queries):
    schools = [SchoolFactory() for _ in range(3)]
    add_inspections(schools[0], [("2019-05-01", RI), ("2023-05-01", GOOD)])
    with django_assert_num_queries(1):
        found = school_latest_judgements(school_ids=[s.pk for s in schools])
    assert found[schools[0].pk]["latest_grade"] == GOOD
    assert found[schools[1].pk]["latest_grade"] is None
