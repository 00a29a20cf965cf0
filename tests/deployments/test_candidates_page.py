"""The candidates as Regions Group staff see them: the API's additive fields
(days, trust profile, school judgement) and the case page's track records,
leaders left out with why, and "How candidates are ranked"."""

from decimal import Decimal

from deployments.matching.weights import WEIGHTS
from tests.deployments.factories import DeploymentFactory, SystemLeaderFactory
from tests.deployments.helpers import GOOD, RI, add_inspections
from tests.schools.factories import SchoolFactory


def _records(world):
    add_inspections(SchoolFactory(trust=world.leader.trust), [("2022-06-01", GOOD)])
    add_inspections(SchoolFactory(trust=world.leader.trust), [("2023-01-11", RI)])
    add_inspections(world.second_leader.school, [("2023-03-14", GOOD)])


def test_the_candidates_api_adds_days_and_track_records(world, api_client_for):
    _records(world)
    DeploymentFactory(system_leader=world.leader, approved_extension_days=Decimal("2.5"))
    case = world.case()
    rows = api_client_for(world.regions_staff_in).get(f"/api/support-cases/{case.pk}/candidates/")
    assert rows.status_code == 200
    by_id = {row["system_leader"]: row for row in rows.json()}
    mat, nle = by_id[world.leader.pk], by_id[world.second_leader.pk]
    assert {"system_leader", "rank", "score", "reasons"} <= set(mat)
    assert mat["days_available"] == 30
    assert (mat["days_committed"], mat["days_remaining"]) == ("12.5", "17.5")
    assert mat["trust_profile"] == {
        "schools": 2, "graded": 2, "good_or_outstanding": 1, "share": 50,
    }  # fmt: skip
    assert mat["school_judgement"] is None
    assert nle["trust_profile"] is None
    assert nle["school_judgement"] == {
        "school_urn": world.second_leader.school.urn,
        "school_name": "Cedar High",
        "grade": 2,
        "grade_label": "Good",
        "inspected_on": "2023-03-14",
    }


def test_the_case_page_shows_track_records_left_out_leaders_and_the_weights(world, client_for):
    _records(world)
    short = SystemLeaderFactory(
        user__full_name="Sam Short", days_available=20, max_concurrent_deployments=3
    )
    DeploymentFactory(system_leader=short, approved_extension_days=Decimal("2"))
    case = world.case()
    html = client_for(world.regions_staff_in).get(f"/cases/{case.pk}/").content.decode()
    assert "data-candidates" in html
    assert "Beacon Academies: 1 of 2 graded schools Good or Outstanding (50%)" in html
    assert "Cedar High: Good (14 March 2023)" in html
    assert "data-left-out" in html and "Sam Short" in html
    assert "12 of 20 days committed; 8 left, 10 needed" in html
    assert "How candidates are ranked" in html
    for weight in WEIGHTS:
        assert f"{weight.label}: {weight.points} points" in html
