"""The guidance's eligibility cases, table-driven, through the full recompute."""

import datetime as dt

import pytest

from deployments.models import Criterion, EligibilityAssessment
from deployments.selectors import eligibility_summary
from deployments.services import eligibility_recompute, rd_assessment_record
from portal.models import Role
from schools.models import School, SchoolLink, Trust
from tests.deployments.factories import SupportOfferFactory
from tests.deployments.helpers import (
    GOOD,
    INADEQUATE,
    OUTSTANDING,
    REPORT_CARD,
    RI,
    UNGRADED,
    add_inspections,
)
from tests.schools.factories import SchoolFactory, SchoolLinkFactory, TrustFactory

IN_YEAR = "2023-10-12"

# (case, own history, predecessor history (via link), expected {criterion: run label})
CASES = [
    ("RI,RI latest in year: 2RI", [("2021-03-10", RI), (IN_YEAR, RI)], [], {"A": "2RI"}),
    (
        "RI x4: 4RI",
        [("2015-01-10", RI), ("2017-05-10", RI), ("2020-02-03", RI), (IN_YEAR, RI)],
        [],
        {"A": "4RI"},
    ),
    ("RI alone: not eligible", [(IN_YEAR, RI)], [], {}),
    ("RI,Good,RI: not eligible", [("2019-01-10", RI), ("2021-06-01", GOOD), (IN_YEAR, RI)], [], {}),
    (
        "RI,Outstanding,RI: not eligible",
        [("2019-01-10", RI), ("2021-06-01", OUTSTANDING), (IN_YEAR, RI)],
        [],
        {},
    ),
    (
        "RI,RI latest in the previous year: not eligible",
        [("2020-03-10", RI), ("2023-05-10", RI)],
        [],
        {},
    ),
    ("Inadequate in year: B", [("2019-01-10", GOOD), (IN_YEAR, INADEQUATE)], [], {"B": ""}),
    ("Inadequate in the previous year only", [("2023-08-31", INADEQUATE)], [], {}),
    (
        "RI,ungraded,RI: 2RI",
        [("2019-01-10", RI), ("2021-01-10", UNGRADED), (IN_YEAR, RI)],
        [],
        {"A": "2RI"},
    ),
    (
        "RI,Inadequate,RI: not A (the run is broken), B not in year",
        [("2019-01-10", RI), ("2021-01-10", INADEQUATE), (IN_YEAR, RI)],
        [],
        {},
    ),
    (
        "report card in year cannot satisfy A or B",
        [("2021-01-10", RI), ("2023-11-20", REPORT_CARD)],
        [],
        {},
    ),
    (
        "RI,RI on the first day of the year",
        [("2021-01-10", RI), ("2023-09-01", RI)],
        [],
        {"A": "2RI"},
    ),
    (
        "RI,RI on the last day of the year",
        [("2021-01-10", RI), ("2024-08-31", RI)],
        [],
        {"A": "2RI"},
    ),
    ("RI,RI the day after the year ends", [("2021-01-10", RI), ("2024-09-01", RI)], [], {}),
    (
        "Good after the in-year RI,RI: still received them in the year",
        [("2021-01-10", RI), (IN_YEAR, RI), ("2024-06-01", GOOD)],
        [],
        {"A": "2RI"},
    ),
    (
        "predecessor RI then converter academy RI in year",
        [(IN_YEAR, RI)],
        [("2021-02-02", RI)],
        {"A": "2RI"},
    ),
    (
        "predecessor RI, Good then converter RI: not eligible",
        [(IN_YEAR, RI)],
        [("2019-02-02", RI), ("2021-02-02", GOOD)],
        {},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "history,predecessor_history,expected",
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_guidance_case(history, predecessor_history, expected):
    offer = SupportOfferFactory()
    school = SchoolFactory(type_name="Academy converter")
    add_inspections(school, history)
    if predecessor_history:
        predecessor = SchoolFactory(status=School.Status.CLOSED, closed_on=dt.date(2022, 8, 31))
        add_inspections(predecessor, predecessor_history)
        SchoolLinkFactory(urn=school.urn, linked_urn=predecessor.urn)

    eligibility_recompute(offer=offer)

    rows = EligibilityAssessment.objects.current().eligible().filter(school=school)
    assert {r.criterion: r.run_label for r in rows} == expected
    for row in rows:
        assert row.predecessor_used == bool(predecessor_history)


@pytest.mark.django_db
def test_predecessor_run_is_flagged_and_explained():
    offer = SupportOfferFactory()
    predecessor = SchoolFactory(status=School.Status.CLOSED, closed_on=dt.date(2022, 8, 31))
    academy = SchoolFactory()
    add_inspections(predecessor, [("2021-02-02", RI)])
    add_inspections(academy, [(IN_YEAR, RI)])
    SchoolLinkFactory(urn=academy.urn, linked_urn=predecessor.urn)

    eligibility_recompute(offer=offer)

    row = EligibilityAssessment.objects.get(school=academy)
    assert row.predecessor_used is True
    assert row.evidence["predecessor_urns"] == [predecessor.urn]
    assert row.evidence["predecessor_via"] == ["link"]
    assert [i["urn"] for i in row.evidence["inspections"]] == [predecessor.urn, academy.urn]
    assert f"predecessor URN {predecessor.urn}" in eligibility_summary(school=academy).headline
    # The closed predecessor is not listed itself.
    assert not EligibilityAssessment.objects.filter(school=predecessor).exists()


@pytest.mark.django_db
def test_successor_link_recorded_on_the_predecessor_is_followed_too():
    offer = SupportOfferFactory()
    predecessor = SchoolFactory(status=School.Status.CLOSED, closed_on=dt.date(2022, 8, 31))
    academy = SchoolFactory()
    add_inspections(predecessor, [("2021-02-02", RI)])
    add_inspections(academy, [(IN_YEAR, RI)])
    SchoolLinkFactory(
        urn=predecessor.urn,
        linked_urn=academy.urn,
        kind=SchoolLink.Kind.SUCCESSOR,
        link_type="Successor",
    )

    eligibility_recompute(offer=offer)

    assert EligibilityAssessment.objects.get(school=academy).run_label == "2RI"


@pytest.mark.django_db
def test_inspection_recorded_under_predecessor_urn_counts_and_is_flagged():
    offer = SupportOfferFactory()
    academy = SchoolFactory()
    add_inspections(academy, [("2021-02-02", RI)], urn_at_time="123456")
    add_inspections(academy, [(IN_YEAR, RI)])

    eligibility_recompute(offer=offer)

    row = EligibilityAssessment.objects.get(school=academy)
    assert (row.run_label, row.predecessor_used) == ("2RI", True)
    assert row.evidence["predecessor_via"] == ["urn_at_time"]
    assert row.evidence["predecessor_urns"] == ["123456"]


@pytest.mark.django_db
def test_three_ri_explanation_sentence():
    offer = SupportOfferFactory()
    school = SchoolFactory()
    add_inspections(school, [("2017-01-10", RI), ("2020-01-10", RI), (IN_YEAR, RI)])

    eligibility_recompute(offer=offer)

    assert eligibility_summary(school=school, offer=offer).headline == (
        "Eligible: 3 consecutive Requires improvement judgements, latest inspection 12 October 2023"
    )


@pytest.mark.django_db
def test_rd_assessment_makes_a_good_school_eligible_under_c(make_user):
    offer = SupportOfferFactory()
    school = SchoolFactory()
    add_inspections(school, [(IN_YEAR, GOOD)])
    director = make_user(Role.REGIONAL_DIRECTOR, regions=[school.region])
    eligibility_recompute(offer=offer)
    assert not EligibilityAssessment.objects.filter(school=school).exists()

    rd_assessment_record(
        user=director,
        offer=offer,
        school=school,
        reason="New headteacher, falling roll, safeguarding concerns.",
        assessed_on=dt.date(2023, 11, 1),
    )

    row = EligibilityAssessment.objects.get(school=school)
    assert (row.criterion, row.status) == (Criterion.RD_ASSESSMENT, "eligible")
    assert row.evidence["assessed_by"] == director.full_name
    # A recompute leaves recorded criteria alone.
    eligibility_recompute(offer=offer)
    assert EligibilityAssessment.objects.get(school=school).pk == row.pk


@pytest.mark.django_db
def test_school_closed_before_the_year_starts_is_not_listed():
    offer = SupportOfferFactory()
    closed = SchoolFactory(status=School.Status.CLOSED, closed_on=dt.date(2023, 8, 31))
    add_inspections(closed, [("2021-01-10", RI), ("2023-06-10", INADEQUATE), (IN_YEAR, RI)])
    closing_in_year = SchoolFactory(status=School.Status.CLOSED, closed_on=dt.date(2024, 3, 31))
    add_inspections(closing_in_year, [(IN_YEAR, INADEQUATE)])

    eligibility_recompute(offer=offer)

    assert not EligibilityAssessment.objects.filter(school=closed).exists()
    assert EligibilityAssessment.objects.get(school=closing_in_year).criterion == "B"


@pytest.mark.django_db
def test_school_in_a_multi_academy_trust_is_supported_through_the_trust_ceo():
    offer = SupportOfferFactory()
    mat_school = SchoolFactory(trust=TrustFactory(kind=Trust.Kind.MULTI_ACADEMY))
    sat_school = SchoolFactory(trust=TrustFactory(kind=Trust.Kind.SINGLE_ACADEMY))
    for school in (mat_school, sat_school):
        add_inspections(school, [(IN_YEAR, INADEQUATE)])

    eligibility_recompute(offer=offer)

    assert EligibilityAssessment.objects.get(school=mat_school).through_trust_ceo is True
    assert EligibilityAssessment.objects.get(school=sat_school).through_trust_ceo is False
    assert "Trust CEO" in eligibility_summary(school=mat_school).through_trust_ceo
