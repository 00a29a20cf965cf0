"""Forecast (deployments/oversight/forecast.py): likely demand per region and
phase from the Ofsted history as imported from the published files (rows built
with tests/fixtures/build_ofsted.py), against the system leaders' days."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deployments.choices import Phase
from deployments.oversight import forecast as forecasting
from schools.importers import formats
from schools.models import School
from tests.deployments.factories import (
    EligibilityAssessmentFactory,
    SupportOfferFactory,
    SystemLeaderFactory,
)
from tests.fixtures import build_ofsted
from tests.schools.factories import LocalAuthorityFactory, RegionFactory, SchoolFactory
from tests.schools.import_helpers import OFSTED_A, OFSTED_B_AUGUST, load_register, run

pytestmark = pytest.mark.django_db

# The 2025/26 offer: inspections published from 1 March 2023 to 29 February 2024
# are next due (30 months on) inside its year.
YEAR = 2025


def row_of(rows, region, phase):
    return next(r for r in rows if r["region"] == region and r["phase"] == phase)


@pytest.fixture
def offer(db):
    return SupportOfferFactory(year=YEAR)


@pytest.fixture
def imported(north_west, tmp_path, monkeypatch):
    """Schools in the North West, their latest graded inspections imported from a
    generation B file (latest and previous graded, as Ofsted publishes them)."""
    la = LocalAuthorityFactory(region=north_west)
    specs = {
        # urn: (phase, latest graded (number, start, end, published, grade), status)
        120001: ("Primary", ("20000001", "10/10/2023", "11/10/2023", "30/10/2023", 3)),
        120002: ("Secondary", ("20000002", "02/05/2023", "03/05/2023", "01/06/2023", 4)),
        120003: ("Primary", ("20000003", "02/03/2022", "03/03/2022", "01/05/2022", 3)),
        120004: ("Primary", ("20000004", "10/10/2023", "11/10/2023", "30/10/2023", 2)),
        120005: ("Primary", ("20000005", "10/10/2023", "11/10/2023", "30/10/2023", 3)),
        120006: ("Primary", ("20000006", "10/10/2023", "11/10/2023", "30/10/2023", 4)),
        120007: ("Secondary", ("20000007", "10/10/2023", "11/10/2023", "30/10/2023", 3)),
    }
    values = {}
    for urn, (phase, (number, start, end, published, grade)) in specs.items():
        SchoolFactory(urn=str(urn), phase=phase, local_authority=la)
        monkeypatch.setitem(
            build_ofsted.SCHOOL_INFO, urn, (f"{la.code}/{urn % 10000:04d}", f"S{urn}", phase, "")
        )
        values[urn] = build_ofsted.graded("", number, start, end, published, grade) | (
            build_ofsted.graded("p", f"1{number}", "01/02/2019", "02/02/2019", "01/03/2019", 3)
        )
    # 120007 was judged Good again in 2025, after the RI: its latest judgement is Good.
    values[120007] = build_ofsted.graded(
        "", "20000077", "10/06/2025", "11/06/2025", "20/07/2025", 2
    ) | build_ofsted.graded("p", "20000007", "10/10/2023", "11/10/2023", "30/10/2023", 3)
    path = tmp_path / "ofsted_b.csv"
    build_ofsted.ofsted_b(path, values)
    result = run(formats.OFSTED, path)
    assert result.generation == "B" and result.rows_rejected == 0
    School.objects.filter(urn="120006").update(status=School.Status.CLOSED)
    return la


def test_likely_demand_follows_the_inspection_cycle(offer, imported, north_west):
    rows = forecasting.forecast(offer=offer, region=north_west)

    # 120001 (RI published Oct 2023: due Apr 2026) and 120005; not 120003 (due 2024),
    # 120004 (Good), 120006 (closed) nor 120007 (Good since).
    assert row_of(rows, "North West", "primary")["likely_demand"] == 2
    # 120002: Inadequate published June 2023, due December 2025.
    assert row_of(rows, "North West", "secondary")["likely_demand"] == 1


def test_a_school_eligible_now_is_not_likely_demand_again(offer, imported, north_west):
    EligibilityAssessmentFactory(offer=offer, school=School.objects.get(urn="120005"))

    row = row_of(forecasting.forecast(offer=offer, region=north_west), "North West", "primary")

    assert (row["likely_demand"], row["eligible_now"]) == (1, 1)


def test_judgements_after_the_year_starts_are_not_known_to_its_forecast(imported, north_west):
    # For 2023/24, the October 2023 judgements came after the year started.
    earlier = SupportOfferFactory(year=2023)

    rows = forecasting.forecast(offer=earlier, region=north_west)

    assert row_of(rows, "North West", "primary")["likely_demand"] == 0


def test_a_report_card_in_its_places_counts_as_below_good(north_west, london):
    """The published generation A file: 140003's report card (February 2026) has an
    area at "Urgent improvement", so its next inspection is due in 2027/28."""
    load_register()
    run(formats.OFSTED, OFSTED_B_AUGUST)
    run(formats.OFSTED, OFSTED_A)
    school = School.objects.get(urn="140003")
    later = SupportOfferFactory(year=2027)

    rows = forecasting.forecast(offer=later, region=school.region)

    assert row_of(rows, school.region.name, "secondary")["likely_demand"] == 1


def test_leader_days_count_available_leaders_in_each_region_and_phase(offer, north_west, london):
    SystemLeaderFactory(
        regions=[north_west, london], phases=["primary", "secondary"], days_available=20
    )
    SystemLeaderFactory(regions=[north_west], phases=["primary"], days_available=15)
    SystemLeaderFactory(
        regions=[north_west], phases=["primary"], days_available=50, available=False
    )

    rows = forecasting.forecast(offer=offer)

    assert row_of(rows, "North West", "primary")["leader_days_available"] == Decimal(35)
    assert row_of(rows, "London", "secondary")["leader_days_available"] == Decimal(20)
    assert row_of(rows, "London", "special")["leader_days_available"] == Decimal(0)


def test_every_region_and_phase_has_a_row_zeros_included(offer):
    names = [f"Region {n}" for n in range(9)]
    for name in names:
        RegionFactory(name=name)

    rows = forecasting.forecast(offer=offer)

    assert [(r["region"], r["phase"]) for r in rows] == [
        (name, phase) for name in sorted(names) for phase in Phase.values
    ]
    assert all(r["likely_demand"] == 0 and r["gap"] == 0 for r in rows)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(demand=st.integers(0, 4), leader_days=st.lists(st.integers(0, 40), max_size=3))
def test_the_gap_is_days_needed_less_days_available(offer, north_west, demand, leader_days):
    from deployments.leaders.models import SystemLeader
    from schools.models import OfstedInspection

    region = RegionFactory(name=f"Gap {demand}-{len(leader_days)}-{sum(leader_days)}")
    la = LocalAuthorityFactory(region=region)
    for _ in range(demand):
        school = SchoolFactory(local_authority=la, phase="Primary")
        OfstedInspection.objects.create(
            school=school,
            inspection_number=f"G{school.urn}",
            kind=OfstedInspection.Kind.GRADED,
            start_date=dt.date(2023, 10, 1),
            publication_date=dt.date(2023, 11, 1),
            overall_effectiveness=3,
        )
    for days in leader_days:
        SystemLeaderFactory(regions=[region], phases=["primary"], days_available=days)

    row = row_of(forecasting.forecast(offer=offer, region=region), region.name, "primary")

    assert row["likely_demand"] == demand
    assert row["days_needed"] == demand * offer.core_days
    assert row["leader_days_available"] == sum(leader_days)
    assert row["gap"] == row["days_needed"] - row["leader_days_available"]
    SystemLeader.objects.filter(regions=region).update(available=False)


def test_regions_with_a_gap_come_first():
    rows = [
        {"region": "A", "phase": "primary", "gap": Decimal(-5)},
        {"region": "B", "phase": "secondary", "gap": Decimal(10)},
        {"region": "B", "phase": "primary", "gap": Decimal(-20)},
        {"region": "C", "phase": "primary", "gap": Decimal(30)},
    ]

    ordered = forecasting.with_gaps_first(rows)

    assert [(r["region"], r["phase"]) for r in ordered] == [
        ("C", "primary"),
        ("B", "primary"),
        ("B", "secondary"),
        ("A", "primary"),
    ]


def test_the_cycle_adds_thirty_months_to_the_publication():
    assert forecasting.next_inspection_due(dt.date(2023, 8, 31)) == dt.date(2026, 2, 28)
    assert forecasting.next_inspection_due(dt.date(2023, 10, 30)) == dt.date(2026, 4, 30)


# ---------------------------------------------------------------- API and page


def test_the_api_answers_one_row_per_phase_of_the_region(
    offer, imported, api_client_for, admin_user
):
    body = api_client_for(admin_user).get(f"/api/forecast/?offer={offer.pk}&region=North%20West")

    assert body.status_code == 200
    data = body.json()
    assert (data["offer"], data["region"]) == (offer.pk, "North West")
    assert [r["phase"] for r in data["results"]] == Phase.values
    primary = data["results"][1]
    assert set(primary) == {
        "region",
        "phase",
        "likely_demand",
        "eligible_now",
        "leader_days_available",
        "days_needed",
        "gap",
    }
    assert (primary["likely_demand"], primary["days_needed"], primary["gap"]) == (2, "20.0", "20.0")


def test_the_api_without_an_offer_uses_the_current_one(offer, api_client_for, admin_user):
    body = api_client_for(admin_user).get("/api/forecast/").json()

    assert body["offer"] is not None and body["region"] is None


def test_the_page_lists_regions_with_a_gap_first(offer, imported, london, client_for, admin_user):
    html = client_for(admin_user).get(f"/forecast/?offer={offer.pk}").content.decode()

    assert "1 region with a gap, listed first: North West." in html
    assert html.index("North West") < html.index("<strong>London</strong>")
    assert "within 30 months" in html


@pytest.mark.parametrize("schools", [2, 12])
def test_the_page_and_the_api_run_a_bounded_number_of_queries(
    offer,
    north_west,
    client_for,
    api_client_for,
    admin_user,
    schools,
    django_assert_max_num_queries,
):
    la = LocalAuthorityFactory(region=north_west)
    for n in range(schools):
        school = SchoolFactory(local_authority=la, phase="Primary" if n % 2 else "Secondary")
        EligibilityAssessmentFactory(offer=offer, school=school) if n % 3 == 0 else None
        SystemLeaderFactory(regions=[north_west], phases=["primary"])

    page, api = client_for(admin_user), api_client_for(admin_user)

    with django_assert_max_num_queries(10):
        assert page.get("/forecast/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/forecast/").status_code == 200
