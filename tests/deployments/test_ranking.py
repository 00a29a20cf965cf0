"""Ranked candidates: every hard filter, the MAT-CEO-first order, the score's
parts and their reasons, and a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deployments.choices import Phase
from deployments.matching.ranking import (
    case_needs,
    miles_sentence,
    rank_candidates,
    school_phase_key,
)
from tests.deployments.factories import (
    DeploymentFactory,
    SupportCaseFactory,
    SystemLeaderFactory,
)
from tests.schools.factories import (
    LocalAuthorityFactory,
    OfstedInspectionFactory,
    SchoolFactory,
    TrustFactory,
)

MILE = 1609.344
HOME = (400000, 400000)


@pytest.fixture
def nw_la(north_west):
    return LocalAuthorityFactory(region=north_west)


@pytest.fixture
def case(nw_la):
    school = SchoolFactory(local_authority=nw_la, easting=HOME[0], northing=HOME[1])
    return SupportCaseFactory(eligibility__school=school)


def school_at(miles_east: float, **kwargs):
    return SchoolFactory(easting=int(HOME[0] + miles_east * MILE), northing=HOME[1], **kwargs)


def ranked_ids(case):
    return [c.system_leader.pk for c in rank_candidates(case)]


def reasons_of(case, leader):
    return next(c.reasons for c in rank_candidates(case) if c.system_leader.pk == leader.pk)


# --- hard filters -------------------------------------------------------------


def test_a_leader_with_no_reason_to_refuse_is_a_candidate(case):
    leader = SystemLeaderFactory()
    assert ranked_ids(case) == [leader.pk]


def test_a_leader_who_declared_a_conflict_with_the_school_is_never_listed(case):
    leader = SystemLeaderFactory()
    leader.conflict_schools.add(case.school)
    assert ranked_ids(case) == []


def test_a_leader_who_declared_a_conflict_with_the_schools_trust_is_never_listed(case):
    trust = TrustFactory()
    case.school.trust = trust
    case.school.save()
    leader = SystemLeaderFactory()
    leader.conflict_trusts.add(trust)
    assert ranked_ids(case) == []


def test_the_ceo_of_the_schools_own_trust_is_never_listed(case):
    trust = TrustFactory()
    case.school.trust = trust
    case.school.save()
    SystemLeaderFactory(mat_ceo=True, trust=trust)
    other = SystemLeaderFactory(mat_ceo=True)
    assert ranked_ids(case) == [other.pk]


def test_an_nle_whose_school_is_in_the_schools_own_trust_is_never_listed(case):
    trust = TrustFactory()
    case.school.trust = trust
    case.school.save()
    SystemLeaderFactory(school=SchoolFactory(trust=trust))
    assert ranked_ids(case) == []


def test_a_leader_who_declined_this_case_is_not_listed_again(case):
    leader = SystemLeaderFactory()
    case.declined_by.add(leader)
    assert ranked_ids(case) == []
    assert ranked_ids(SupportCaseFactory()) == [leader.pk]


def test_an_unavailable_leader_is_never_listed(case):
    SystemLeaderFactory(available=False)
    assert ranked_ids(case) == []


def test_a_leader_whose_account_is_deactivated_is_never_listed(case):
    SystemLeaderFactory(user__is_active=False)
    assert ranked_ids(case) == []


def test_a_leader_at_capacity_is_never_listed_but_closed_deployments_free_a_place(case):
    full = SystemLeaderFactory(max_concurrent_deployments=1)
    DeploymentFactory(system_leader=full)
    freed = SystemLeaderFactory(max_concurrent_deployments=1)
    DeploymentFactory(system_leader=freed, state="closed")
    assert ranked_ids(case) == [freed.pk]


def test_for_a_trust_case_a_conflict_with_any_school_of_the_trust_excludes(nw_la):
    trust = TrustFactory()
    member = SchoolFactory(trust=trust, local_authority=nw_la)
    trust_case = SupportCaseFactory(
        eligibility__school=None, eligibility__trust=trust, eligibility__region=nw_la.region
    )
    conflicted = SystemLeaderFactory()
    conflicted.conflict_schools.add(member)
    SystemLeaderFactory(mat_ceo=True, trust=trust)
    free = SystemLeaderFactory()
    assert ranked_ids(trust_case) == [free.pk]


# --- order and reasons ----------------------------------------------------------


def test_mat_ceos_come_before_nles_even_with_a_lower_score(case, north_west):
    nle = SystemLeaderFactory(regions=[north_west], school=school_at(1))
    ceo = SystemLeaderFactory(mat_ceo=True, phases=[])
    ranked = rank_candidates(case)
    assert [c.system_leader.pk for c in ranked] == [ceo.pk, nle.pk]
    assert ranked[0].score < ranked[1].score
    assert [c.rank for c in ranked] == [1, 2]


def test_a_leader_who_works_in_the_region_ranks_above_one_who_does_not(case, north_west, london):
    away = SystemLeaderFactory(regions=[london])
    here = SystemLeaderFactory(regions=[north_west])
    assert ranked_ids(case) == [here.pk, away.pk]
    assert "Works in North West" in reasons_of(case, here)
    assert "Does not work in North West" in reasons_of(case, away)


def test_phase_match_ranks_higher_and_says_so(case):
    secondary = SystemLeaderFactory(phases=["secondary"])
    primary = SystemLeaderFactory(phases=["primary", "secondary"])
    assert ranked_ids(case) == [primary.pk, secondary.pk]
    assert "Primary phase matches" in reasons_of(case, primary)
    assert "Does not list the primary phase" in reasons_of(case, secondary)


def test_focus_areas_count_against_the_cases_known_needs(case):
    OfstedInspectionFactory(
        school=case.school,
        overall_effectiveness=3,
        behaviour_and_attitudes=3,
        quality_of_education=2,
        leadership_and_management=2,
    )
    # needs: leadership_management (always), behaviour and attendance (behaviour judged RI)
    assert case_needs(case, case.school.inspections.first()) == [
        "behaviour",
        "attendance",
        "leadership_management",
    ]
    two = SystemLeaderFactory(focus_areas=["behaviour", "leadership_management", "other"])
    one = SystemLeaderFactory(focus_areas=["leadership_management"])
    assert ranked_ids(case) == [two.pk, one.pk]
    assert "2 of 3 focus areas" in reasons_of(case, two)
    assert "1 of 3 focus areas" in reasons_of(case, one)


def test_the_nearer_leader_ranks_higher_and_the_distance_is_in_miles(case):
    far = SystemLeaderFactory(school=school_at(40))
    near = SystemLeaderFactory(school=school_at(14))
    assert ranked_ids(case) == [near.pk, far.pk]
    assert "About 14 miles away" in reasons_of(case, near)
    assert "About 40 miles away" in reasons_of(case, far)


def test_a_mat_ceos_base_is_the_nearest_school_of_their_trust(case):
    trust = TrustFactory()
    school_at(50, trust=trust)
    school_at(-9, trust=trust)
    ceo = SystemLeaderFactory(mat_ceo=True, trust=trust)
    assert "About 9 miles away" in reasons_of(case, ceo)


def test_an_unplaced_school_gives_distance_unknown(nw_la):
    unplaced = SupportCaseFactory(eligibility__school=SchoolFactory(local_authority=nw_la))
    leader = SystemLeaderFactory(school=school_at(3))
    assert "Distance unknown" in reasons_of(unplaced, leader)


def test_load_and_experience_are_reasons_and_the_freer_leader_ranks_higher(case):
    busy = SystemLeaderFactory(max_concurrent_deployments=3)
    DeploymentFactory(system_leader=busy)
    free = SystemLeaderFactory(max_concurrent_deployments=3)
    assert ranked_ids(case) == [free.pk, busy.pk]
    assert "1 of 3 deployments in use" in reasons_of(case, busy)
    assert "0 of 3 deployments in use" in reasons_of(case, free)
    assert "No completed deployments yet" in reasons_of(case, free)


def test_completed_deployments_count_as_experience(case):
    seasoned = SystemLeaderFactory()
    DeploymentFactory(system_leader=seasoned, state="closed")
    DeploymentFactory(system_leader=seasoned, state="closed")
    novice = SystemLeaderFactory()
    assert ranked_ids(case) == [seasoned.pk, novice.pk]
    assert "2 completed deployments" in reasons_of(case, seasoned)


def test_a_full_match_scores_100(case, north_west):
    DeploymentFactory(
        system_leader=(leader := SystemLeaderFactory(regions=[north_west], school=school_at(0))),
        state="closed",
    )
    for _ in range(2):
        DeploymentFactory(system_leader=leader, state="closed")
    [candidate] = rank_candidates(case)
    assert candidate.score == 100
    assert candidate.reasons == [
        "Primary phase matches",
        "1 of 1 focus areas",
        "Less than a mile away",
        "Works in North West",
        "3 completed deployments",
        "0 of 2 deployments in use",
        "30 of 30 days free",
    ]


# --- the parts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "type_name", "type_group", "key"),
    [
        ("Primary", "Community school", "", Phase.PRIMARY),
        ("Middle deemed secondary", "Community school", "", Phase.SECONDARY),
        ("16 plus", "Free schools 16 to 19", "", Phase.SIXTEEN_PLUS),
        ("Not applicable", "Community special school", "Special schools", Phase.SPECIAL),
        ("Not applicable", "Pupil referral unit", "", Phase.ALTERNATIVE_PROVISION),
        ("Not applicable", "Academy alternative provision converter", "", "alternative_provision"),
        ("Not applicable", "Further education", "", None),
    ],
)
def test_school_phase_key_maps_gias_phase_and_type(phase, type_name, type_group, key):
    school = SchoolFactory.build(phase=phase, type_name=type_name, type_group=type_group)
    assert school_phase_key(school) == key


def test_a_trust_case_needs_governance_and_finance(nw_la):
    trust = TrustFactory()
    SchoolFactory(trust=trust, local_authority=nw_la)
    trust_case = SupportCaseFactory(
        eligibility__school=None, eligibility__trust=trust, eligibility__region=nw_la.region
    )
    assert case_needs(trust_case) == [
        "governance_trust",
        "leadership_management",
        "financial_management",
    ]


def test_many_free_school_meals_add_pupil_premium(case):
    case.school.percentage_fsm = 41
    assert "pupil_premium" in case_needs(case)


@pytest.mark.parametrize(
    ("miles", "text"),
    [(None, "Distance unknown"), (0.4, "Less than a mile away"), (1.2, "About 1 mile away")],
)
def test_miles_sentence(miles, text):
    assert miles_sentence(miles) == text


def test_ranking_takes_the_same_few_queries_for_3_or_30_leaders(case, north_west):
    def count_for_ranking():
        fresh = type(case).objects.get(pk=case.pk)
        with CaptureQueriesContext(connection) as queries:
            rank_candidates(fresh)
        return len(queries)

    for _ in range(2):
        DeploymentFactory(system_leader=SystemLeaderFactory(mat_ceo=True, regions=[north_west]))
    DeploymentFactory(system_leader=SystemLeaderFactory(regions=[north_west]))
    few = count_for_ranking()
    for _ in range(27):
        leader = SystemLeaderFactory(regions=[north_west], school=school_at(5))
        DeploymentFactory(system_leader=leader, state="closed")
    assert len(rank_candidates(case)) == 30
    assert count_for_ranking() == few


def test_ranking_thirty_leaders_takes_at_most_ten_queries(
    case, north_west, django_assert_max_num_queries
):
    for _ in range(15):
        SystemLeaderFactory(mat_ceo=True, regions=[north_west])
        SystemLeaderFactory(school=school_at(2))
    fresh = (
        type(case)
        .objects.select_related("school", "school__trust", "region", "eligibility")
        .get(pk=case.pk)
    )
    # the case: its latest inspection and its offer (the days it needs); the leaders the
    # listed rules leave out (one UNION), the other leaders, deployment loads, region
    # members, MATs' nearest schools; track records: trusts' profiles, NLEs' schools; the
    # days logged on the case's withdrawn deployments (the days its next one needs)
    with django_assert_max_num_queries(10):
        ranked = rank_candidates(fresh)
        assert len(ranked) == 30
        # what a page shows of each candidate is loaded already
        assert all(c.system_leader.user.full_name and str(c.system_leader.base) for c in ranked)
