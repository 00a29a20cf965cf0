"""Outcomes: the first judgement after a deployment started against the one that
made the school eligible (deployments/oversight/outcomes.py), in the API and on
the page."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deployments.delivery.models import Deployment
from deployments.oversight import outcomes
from schools.models import OfstedInspection
from tests.deployments.oversight_fixtures import ISSUED, finished_deployment, inspect, report_card
from tests.schools.factories import OfstedInspectionFactory

pytestmark = pytest.mark.django_db
RC = OfstedInspection.ReportCardGrade


def outcome_of(deployment):
    return outcomes.outcome_list().get(pk=deployment.pk).outcome


def level_of(inspection):
    return outcomes.judgements().filter(pk=inspection.pk).values_list("level", flat=True).first()


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("eligible", "next_grade", "expected"),
    [(4, 2, "improved"), (4, 3, "improved"), (3, 3, "same"), (4, 4, "same"), (3, 4, "declined")],
)
def test_a_graded_judgement_is_compared_with_the_eligible_one(
    north_west, eligible, next_grade, expected
):
    deployment = finished_deployment(north_west, eligible_grade=eligible)
    inspect(deployment.school, "2024-05-10", next_grade)

    assert outcome_of(deployment) == expected


def test_without_a_judgement_since_the_start_the_school_is_not_yet_inspected(north_west):
    deployment = finished_deployment(north_west)
    inspect(deployment.school, "2023-10-12", 4)  # the one that made it eligible
    OfstedInspectionFactory(school=deployment.school, start_date=dt.date(2024, 2, 1), ungraded=True)

    row = outcomes.outcome_rows(outcomes.outcome_list())[0]

    assert row["outcome"] == "not_yet_inspected"
    assert row["next_inspection"] is None and row["days_after_start"] is None


def test_the_first_judgement_after_the_start_is_chosen_not_the_latest(north_west):
    deployment = finished_deployment(north_west, eligible_grade=4)
    inspect(deployment.school, ISSUED, 2)  # on the day it was issued: before the support
    first = inspect(deployment.school, "2024-06-01", 4)
    inspect(deployment.school, "2025-09-01", 2)

    row = outcomes.outcome_rows(outcomes.outcome_list())[0]

    assert row["next_inspection"]["inspection_number"] == first.inspection_number
    assert row["outcome"] == "same"
    assert row["days_after_start"] == (dt.date(2024, 6, 1) - ISSUED).days
    assert row["days_after_support"] == (dt.date(2024, 6, 1) - dt.date(2024, 3, 1)).days


def test_an_inferred_judgement_never_counts_as_the_next_inspection(north_west):
    deployment = finished_deployment(north_west, eligible_grade=4)
    inspect(
        deployment.school,
        "2024-05-01",
        3,
        inspection_number="INF-123-1",
        source=OfstedInspection.Source.INFERRED,
    )

    assert outcome_of(deployment) == "not_yet_inspected"


@pytest.mark.parametrize(
    ("areas", "level"),
    [
        ({"rc_achievement": RC.URGENT, "rc_inclusion": RC.STRONG}, 4),
        ({"rc_achievement": RC.EXPECTED, "safeguarding_met": False}, 4),
        ({"rc_achievement": RC.NEEDS_ATTENTION, "rc_inclusion": RC.EXCEPTIONAL}, 3),
        ({"rc_achievement": RC.EXPECTED, "rc_inclusion": RC.EXCEPTIONAL}, 2),
        ({"rc_achievement": RC.STRONG, "rc_inclusion": RC.EXCEPTIONAL}, 1),
        ({}, None),
    ],
)
def test_a_report_card_takes_the_place_of_its_weakest_area(nw_school, areas, level):
    assert level_of(report_card(nw_school, "2026-01-12", **areas)) == level


def test_a_category_of_concern_is_level_four_on_any_inspection(nw_school):
    card = report_card(
        nw_school, "2026-01-12", rc_achievement=RC.EXPECTED, category_of_concern="SM"
    )
    graded = inspect(nw_school, "2025-01-12", 3, category_of_concern="SWK")

    assert (level_of(card), level_of(graded)) == (4, 4)


def test_a_graded_inspection_without_an_overall_grade_takes_its_worst_key_judgement(nw_school):
    not_judged = inspect(
        nw_school,
        "2025-03-05",
        None,
        quality_of_education=3,
        behaviour_and_attitudes=2,
        personal_development=2,
        leadership_and_management=2,
    )
    unsafe = inspect(
        nw_school, "2025-04-05", None, quality_of_education=2, safeguarding_effective=False
    )
    no_grades = inspect(nw_school, "2025-05-05", None)

    assert (level_of(not_judged), level_of(unsafe), level_of(no_grades)) == (3, 4, None)


@pytest.mark.parametrize(
    ("eligible", "areas", "expected"),
    [
        (4, {"rc_achievement": RC.NEEDS_ATTENTION}, "improved"),
        (3, {"rc_achievement": RC.NEEDS_ATTENTION}, "same"),
        (3, {"rc_leadership_and_governance": RC.URGENT}, "declined"),
        (3, {"rc_achievement": RC.EXPECTED}, "improved"),
    ],
)
def test_a_report_card_after_the_support_is_compared_by_its_place(
    north_west, eligible, areas, expected
):
    deployment = finished_deployment(north_west, eligible_grade=eligible)
    report_card(deployment.school, "2026-01-12", **areas)

    assert outcome_of(deployment) == expected


def test_a_school_eligible_by_assessment_is_compared_with_its_latest_judgement_before(north_west):
    deployment = finished_deployment(north_west, eligible_grade=None, criterion="C")
    before = inspect(deployment.school, "2022-01-10", 2)
    inspect(deployment.school, "2024-09-10", 3)

    row = outcomes.outcome_rows(outcomes.outcome_list())[0]

    assert row["eligible_judgement"]["inspection_number"] == before.inspection_number
    assert row["eligible_judgement"]["basis"] == "latest_before_support"
    assert row["outcome"] == "declined"


def test_a_school_never_judged_before_is_compared_as_requires_improvement(north_west):
    deployment = finished_deployment(north_west, eligible_grade=None, criterion="X")
    inspect(deployment.school, "2024-09-10", 3)

    row = outcomes.outcome_rows(outcomes.outcome_list())[0]

    assert row["eligible_judgement"] is None and row["outcome"] == "same"


def test_only_accepted_and_closed_school_deployments_are_listed(north_west, london):
    accepted = finished_deployment(north_west)
    closed = finished_deployment(london, state=Deployment.State.CLOSED)
    finished_deployment(north_west, state=Deployment.State.DELIVERY)

    assert set(outcomes.outcome_list().values_list("pk", flat=True)) == {accepted.pk, closed.pk}
    assert list(outcomes.outcome_list(region=london).values_list("pk", flat=True)) == [closed.pk]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    eligible=st.sampled_from([3, 4]),
    later=st.lists(st.sampled_from([1, 2, 3, 4]), min_size=0, max_size=3),
)
def test_the_outcome_follows_the_first_later_grade(north_west, eligible, later):
    deployment = finished_deployment(north_west, eligible_grade=eligible)
    for n, grade in enumerate(later):
        inspect(deployment.school, ISSUED + dt.timedelta(days=100 * (n + 1)), grade)

    got = outcome_of(deployment)

    if not later:
        assert got == "not_yet_inspected"
    else:
        first = later[0]
        assert got == (
            "improved" if first < eligible else "same" if first == eligible else "declined"
        )


# ---------------------------------------------------------------- the summary and the API


@pytest.fixture
def four_outcomes(north_west, london):
    improved = finished_deployment(north_west, kind="mat_ceo", focus_areas=["attendance"])
    inspect(improved.school, "2024-06-01", 2)
    same = finished_deployment(north_west, focus_areas=["attendance", "behaviour"])
    inspect(same.school, "2024-06-01", 4)
    declined = finished_deployment(london, eligible_grade=3, state=Deployment.State.CLOSED)
    report_card(declined.school, "2026-01-12", rc_achievement=RC.URGENT)
    waiting = finished_deployment(london)
    return {"improved": improved, "same": same, "declined": declined, "waiting": waiting}


def test_the_summary_counts_each_outcome_by_region_kind_and_focus_area(
    four_outcomes, north_west, london
):
    summary = outcomes.outcome_summary(
        outcomes.outcome_list(), offers=[four_outcomes["same"].offer], regions=[north_west, london]
    )

    assert summary["total"] == {"improved": 1, "same": 1, "declined": 1, "not_yet_inspected": 1}
    assert summary["by_region"]["North West"] == {
        "improved": 1,
        "same": 1,
        "declined": 0,
        "not_yet_inspected": 0,
    }
    assert summary["by_system_leader_kind"]["mat_ceo"]["improved"] == 1
    assert summary["by_system_leader_kind"]["nle"]["not_yet_inspected"] == 1
    assert summary["by_focus_area"]["attendance"] == {
        "improved": 1,
        "same": 1,
        "declined": 0,
        "not_yet_inspected": 0,
    }
    assert summary["by_focus_area"]["pupil_premium"] == dict.fromkeys(outcomes.OUTCOMES, 0)
    assert summary["by_offer"]["2023/24"]["declined"] == 1


def test_the_api_answers_the_contract_fields(four_outcomes, api_client_for, admin_user):
    offer = four_outcomes["same"].offer

    body = api_client_for(admin_user).get(f"/api/outcomes/?offer={offer.pk}").json()

    assert {"offer", "region", "summary", "count", "next", "previous", "results"} <= set(body)
    assert (body["offer"], body["region"], body["count"]) == (offer.pk, None, 4)
    row = next(r for r in body["results"] if r["deployment"] == four_outcomes["declined"].pk)
    assert row["school_urn"] == four_outcomes["declined"].school.urn
    assert row["outcome"] == "declined"
    assert row["eligible_judgement"]["level"] == 3
    assert row["eligible_judgement"]["basis"] == "eligibility"
    assert row["next_inspection"]["kind"] == "report_card"
    assert row["next_inspection"]["level"] == 4
    assert row["next_inspection"]["start_date"] == "2026-01-12"
    assert set(body["summary"]) == {
        "total",
        "by_region",
        "by_offer",
        "by_system_leader_kind",
        "by_focus_area",
    }
    assert sum(body["summary"]["total"].values()) == body["count"]


def test_the_api_filters_by_region(four_outcomes, api_client_for, admin_user):
    body = api_client_for(admin_user).get("/api/outcomes/?region=London").json()

    assert body["region"] == "London" and body["count"] == 2
    assert list(body["summary"]["by_region"]) == ["London"]


@pytest.mark.parametrize(
    ("query", "field"), [("offer=999999", "offer"), ("region=Atlantis", "region")]
)
def test_a_query_naming_nothing_is_refused_with_400(api_client_for, admin_user, query, field):
    response = api_client_for(admin_user).get(f"/api/outcomes/?{query}")

    assert response.status_code == 400 and field in response.json()


def test_the_page_shows_each_outcome_and_the_rule(four_outcomes, client_for, admin_user):
    response = client_for(admin_user).get("/outcomes/")

    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Improved", "Same", "Declined", "Not yet inspected"):
        assert label in html
    assert "Urgent improvement" in html  # the comparison rule, from its docstring
    assert four_outcomes["same"].school.name in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_has_every_row(four_outcomes, client_for, admin_user, fmt):
    response = client_for(admin_user).get(f"/outcomes/export.{fmt}?region=North+West")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="outcomes.{fmt}"'
    if fmt == "csv":
        lines = response.content.decode().strip().splitlines()
        assert lines[0].startswith("Deployment,URN,School") and len(lines) == 3


def test_an_export_cell_cannot_run_as_a_formula(north_west, client_for, admin_user):
    deployment = finished_deployment(north_west)
    deployment.school.name = "=HYPERLINK(1)"
    deployment.school.save()

    body = client_for(admin_user).get("/outcomes/export.csv").content.decode()

    assert "'=HYPERLINK(1)" in body


@pytest.mark.parametrize("count", [2, 12])
def test_the_page_and_the_api_run_a_bounded_number_of_queries(
    north_west, client_for, api_client_for, admin_user, count, django_assert_max_num_queries
):
    for n in range(count):
        deployment = finished_deployment(north_west, kind="mat_ceo" if n % 2 else "nle")
        inspect(deployment.school, "2024-06-01", 2 + n % 3)
        report_card(deployment.school, "2026-01-12", rc_achievement=RC.EXPECTED)
    page, api = client_for(admin_user), api_client_for(admin_user)

    with django_assert_max_num_queries(11):
        assert page.get("/outcomes/").status_code == 200
    with django_assert_max_num_queries(7):
        assert api.get("/api/outcomes/").status_code == 200
    with django_assert_max_num_queries(6):
        assert page.get("/outcomes/export.xlsx").status_code == 200
