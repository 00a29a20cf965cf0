"""Matching uses what it stores: a leader's days (capacity in days, not only in
deployments), the exclusion rules with their reasons, the one weights table,
and each candidate's track record (their trust's Ofsted profile or their own
school's latest judgement)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deployments.matching import exclusions, weights
from deployments.matching.exclusions import days_sentence, remaining_days
from deployments.matching.ranking import rank_candidates, screen_candidates
from deployments.matching.selectors import track_record
from tests.deployments.factories import DeploymentFactory, SupportCaseFactory, SystemLeaderFactory
from tests.deployments.helpers import GOOD, INADEQUATE, OUTSTANDING, RI, add_inspections
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory


@pytest.fixture
def case(north_west):
    school = SchoolFactory(local_authority=LocalAuthorityFactory(region=north_west))
    return SupportCaseFactory(eligibility__school=school)  # the offer's 10 core days


def screened(case):
    screening = screen_candidates(type(case).objects.get(pk=case.pk))
    return (
        [c.system_leader.pk for c in screening.candidates],
        {row.system_leader.pk: row.reasons for row in screening.left_out},
    )


# --- capacity in days --------------------------------------------------------------


def test_a_leader_with_fewer_days_left_than_the_case_needs_is_left_out_and_says_why(case):
    leader = SystemLeaderFactory(days_available=20, max_concurrent_deployments=3)
    DeploymentFactory(system_leader=leader, approved_extension_days=Decimal("2"))
    ranked, left_out = screened(case)
    assert ranked == []
    assert left_out[leader.pk] == ["12 of 20 days committed; 8 left, 10 needed"]


def test_a_leader_with_exactly_the_days_needed_left_is_a_candidate(case):
    leader = SystemLeaderFactory(days_available=20, max_concurrent_deployments=3)
    DeploymentFactory(system_leader=leader)
    ranked, left_out = screened(case)
    assert ranked == [leader.pk] and left_out == {}
    [candidate] = rank_candidates(case)
    assert candidate.days_committed == 10 and candidate.days_remaining == 10
    assert "10 of 20 days free" in candidate.reasons


def test_half_a_day_short_is_short(case):
    leader = SystemLeaderFactory(days_available=20, max_concurrent_deployments=3)
    DeploymentFactory(system_leader=leader, approved_extension_days=Decimal("0.5"))
    assert screened(case)[1][leader.pk] == ["10.5 of 20 days committed; 9.5 left, 10 needed"]


@pytest.mark.parametrize("state", ["closed", "withdrawn"])
def test_closed_and_withdrawn_deployments_commit_no_days(case, state):
    leader = SystemLeaderFactory(days_available=10)
    DeploymentFactory(system_leader=leader, state=state, approved_extension_days=Decimal("5"))
    assert screened(case)[0] == [leader.pk]


@pytest.mark.parametrize("state", ["issued", "delivery", "school_sign_off", "accepted"])
def test_every_open_deployment_commits_its_core_and_extension_days(case, state):
    leader = SystemLeaderFactory(days_available=24, max_concurrent_deployments=3)
    DeploymentFactory(system_leader=leader, state=state, approved_extension_days=Decimal("5"))
    assert screened(case)[1][leader.pk] == ["15 of 24 days committed; 9 left, 10 needed"]


def test_more_committed_than_offered_leaves_zero_days_not_a_negative_number(case):
    """The leader lowered their days after taking deployments on."""
    leader = SystemLeaderFactory(days_available=20, max_concurrent_deployments=3)
    DeploymentFactory(system_leader=leader, approved_extension_days=Decimal("5"))
    DeploymentFactory(system_leader=leader)
    assert screened(case)[1][leader.pk] == ["25 of 20 days committed; 0 left, 10 needed"]


def test_a_leader_offering_no_days_is_left_out(case):
    leader = SystemLeaderFactory(days_available=0)
    assert screened(case)[1][leader.pk] == ["0 of 0 days committed; 0 left, 10 needed"]


def test_a_leader_with_every_deployment_place_in_use_is_left_out_with_both_reasons(case):
    leader = SystemLeaderFactory(days_available=15, max_concurrent_deployments=1)
    DeploymentFactory(system_leader=leader)
    assert screened(case)[1][leader.pk] == [
        "At capacity: 1 of 1 deployments in use",
        "10 of 15 days committed; 5 left, 10 needed",
    ]


@given(
    available=st.integers(min_value=0, max_value=400),
    committed=st.decimals(min_value=0, max_value=999, places=1, allow_nan=False),
)
def test_remaining_days_are_never_negative_and_never_more_than_offered(available, committed):
    left = remaining_days(available, committed)
    assert Decimal(0) <= left <= available
    assert left == max(Decimal(0), available - committed)


@given(
    available=st.integers(min_value=0, max_value=60),
    committed=st.integers(min_value=0, max_value=120).map(lambda n: Decimal(n) / 2),
    needed=st.integers(min_value=1, max_value=20),
)
def test_the_days_rule_leaves_out_exactly_the_leaders_short_of_days(available, committed, needed):
    class Leader:
        days_available = available
        committed_days = committed

    class Facts:
        days_needed = Decimal(needed)

    reason = exclusions._days_short(Leader, Facts)
    assert bool(reason) == (available - committed < needed)
    if reason:
        assert reason == days_sentence(available, committed, needed)
        assert "-" not in reason


# --- the other rules, listed with their reasons --------------------------------------


def test_the_case_specific_rules_name_the_leaders_they_leave_out(case):
    trust = TrustFactory()
    case.school.trust = trust
    case.school.save()
    declined = SystemLeaderFactory()
    case.declined_by.add(declined)
    conflicted = SystemLeaderFactory()
    conflicted.conflict_schools.add(case.school)
    conflicted.conflict_trusts.add(trust)
    own = SystemLeaderFactory(mat_ceo=True, trust=trust)
    SystemLeaderFactory(available=False)  # not about this case: left out silently
    _ranked, left_out = screened(case)
    assert left_out == {
        declined.pk: ["Already declined this case"],
        conflicted.pk: [
            "Declared a conflict with the school (or a school of the trust)",
            "Declared a conflict with the trust",
        ],
        own.pk: ["Leads or works in the school's own trust"],
    }


def test_every_rule_has_a_code_and_a_reason_or_a_check():
    codes = [rule.code for rule in exclusions.EXCLUSIONS]
    assert len(codes) == len(set(codes))
    for rule in exclusions.EXCLUSIONS:
        assert (rule.query is None) != (rule.check is None)
        assert rule.check is not None or rule.reason


# --- the weights table ---------------------------------------------------------------


def test_the_weights_add_up_to_100_and_each_says_what_it_rewards_and_why():
    assert sum(w.points for w in weights.WEIGHTS) == 100
    assert all(w.rewards and w.why and w.label for w in weights.WEIGHTS)


def test_the_scorer_reads_the_weights_table(case, north_west, monkeypatch):
    leader = SystemLeaderFactory(regions=[north_west], phases=[], focus_areas=[])
    before = rank_candidates(case)[0].score
    monkeypatch.setitem(weights.POINTS, "region", 40)
    assert rank_candidates(case)[0].score == before + 25
    assert rank_candidates(case)[0].system_leader.pk == leader.pk


# --- track records ---------------------------------------------------------------------


def test_a_mat_ceo_candidate_shows_their_trusts_share_of_good_or_outstanding_schools(case):
    trust = TrustFactory(name="Beacon Academies")
    good, outstanding, weak, improved, new = (SchoolFactory(trust=trust) for _ in range(5))
    add_inspections(good, [("2022-01-10", GOOD)])
    add_inspections(outstanding, [("2021-03-01", OUTSTANDING)])
    add_inspections(weak, [("2019-01-01", GOOD), ("2023-01-01", RI)])  # the latest counts
    add_inspections(improved, [("2019-01-01", INADEQUATE), ("2023-05-01", GOOD)])
    closed = SchoolFactory(trust=trust, status="closed")
    add_inspections(closed, [("2020-01-01", INADEQUATE)])  # closed: not counted
    SystemLeaderFactory(mat_ceo=True, trust=trust)
    [candidate] = rank_candidates(case)
    profile = candidate.trust_profile
    assert (profile.schools, profile.graded, profile.good_or_outstanding) == (5, 4, 3)
    assert profile.share == 75 and candidate.school_judgement is None
    assert track_record(candidate) == (
        "Beacon Academies: 3 of 4 graded schools Good or Outstanding (75%); 1 not yet graded"
    )
    assert new.inspections.count() == 0


def test_an_nle_candidate_shows_their_own_schools_latest_judgement(case):
    school = SchoolFactory(name="Cedar High")
    add_inspections(school, [("2018-02-01", OUTSTANDING), ("2023-03-14", GOOD)])
    SystemLeaderFactory(school=school)
    [candidate] = rank_candidates(case)
    assert candidate.trust_profile is None
    assert candidate.school_judgement["latest_grade"] == GOOD
    assert track_record(candidate) == "Cedar High: Good (14 March 2023)"


def test_a_track_record_without_judgements_says_so(case):
    SystemLeaderFactory(school=SchoolFactory(name="New Free School"))
    SystemLeaderFactory(mat_ceo=True, trust=TrustFactory(name="Empty Trust"))
    records = sorted(track_record(c) for c in rank_candidates(case))
    assert records == [
        "Empty Trust: no open schools in the register",
        "New Free School: no graded inspection",
    ]


def test_the_cases_region_leaders_come_first_among_those_left_out(case, north_west, london):
    far = SystemLeaderFactory(user__full_name="Alex Far", days_available=0, regions=[london])
    near = SystemLeaderFactory(user__full_name="Zoe Near", days_available=0, regions=[north_west])
    screening = screen_candidates(type(case).objects.get(pk=case.pk))
    assert [row.system_leader.pk for row in screening.left_out] == [near.pk, far.pk]
