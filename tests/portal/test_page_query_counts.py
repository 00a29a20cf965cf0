"""Main pages run a bounded number of queries, whatever the row count (bench/pages.py
measures their speed; these keep N+1 queries out). The register's detail pages, the
searched schools list, the eligibility list and the API schools and eligibility lists
have theirs beside their other tests."""

import pytest
from django.urls import reverse

from deployments.services import eligibility_recompute
from portal.models import Role
from schools import views as school_views
from tests.deployments.factories import ExceptionRequestFactory, SupportOfferFactory
from tests.deployments.helpers import IN_YEAR, INADEQUATE, add_inspections
from tests.schools.factories import (
    LocalAuthorityFactory,
    OfstedInspectionFactory,
    SchoolFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional_rows(north_west):
    """`regional_rows(n)`: n eligible North West schools, each in a trust, and n pending
    exception requests: every home queue row the regions staff see."""

    def make(count):
        offer = SupportOfferFactory()
        la = LocalAuthorityFactory(region=north_west)
        for _ in range(count):
            school = SchoolFactory(local_authority=la, trust=TrustFactory())
            add_inspections(school, [("2021-05-01", 3), ("2023-10-12", 3)])
            ExceptionRequestFactory(offer=offer, school=SchoolFactory(local_authority=la))
        eligibility_recompute(offer=offer)

    return make


@pytest.mark.parametrize("count", [2, 15])
def test_the_home_queue_runs_a_bounded_number_of_queries(
    make_user, north_west, client_for, regional_rows, count, django_assert_max_num_queries
):
    regional_rows(count)
    client = client_for(make_user(Role.REGIONS_STAFF, regions=[north_west]))

    with django_assert_max_num_queries(9):
        response = client.get("/")

    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 60])
def test_the_unfiltered_schools_list_runs_a_bounded_number_of_queries(
    client_for, system_leader, count, django_assert_max_num_queries
):
    for school in SchoolFactory.create_batch(count, trust=TrustFactory()):
        OfstedInspectionFactory(school=school)
    client = client_for(system_leader)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("schools:school-list"))

    assert response.context["paginator"].count == count


@pytest.mark.parametrize("count", [5, 60])
def test_the_api_trust_list_runs_a_bounded_number_of_queries(
    api_client_for, system_leader, count, django_assert_max_num_queries
):
    for _ in range(count):
        SchoolFactory(trust=TrustFactory())
    api = api_client_for(system_leader)

    with django_assert_max_num_queries(4):
        response = api.get("/api/trusts/")

    assert response.json()["count"] == count
    assert {row["open_school_count"] for row in response.json()["results"]} == {1}


def test_a_trust_suggestion_is_one_query_after_sign_in(
    client_for, system_leader, django_assert_max_num_queries
):
    TrustFactory.create_batch(20, name="Harbour Trust")
    client = client_for(system_leader)

    with django_assert_max_num_queries(3):
        response = client.get(reverse("schools:trust-suggestions"), {"q": "harb"})

    assert len(response.json()["results"]) == 10


def test_the_trust_list_counts_only_open_schools(client_for, system_leader):
    from schools.models import School

    trust = TrustFactory(name="Counted Trust")
    SchoolFactory.create_batch(2, trust=trust)
    SchoolFactory(trust=trust, status=School.Status.CLOSED)
    TrustFactory(name="Empty Trust")

    rows = client_for(system_leader).get(reverse("schools:trust-list")).context["trusts"]

    assert {t.name: t.school_count for t in rows} == {"Counted Trust": 2, "Empty Trust": 0}


def test_the_whole_register_shows_an_estimated_count(client_for, system_leader, monkeypatch):
    SchoolFactory.create_batch(3)
    monkeypatch.setattr(school_views.selectors, "estimated_row_count", lambda model: 34_838)
    client = client_for(system_leader)

    whole = client.get(reverse("schools:school-list"))
    filtered = client.get(reverse("schools:school-list"), {"status": "open"})

    assert "About 34,800 schools" in whole.content.decode()
    assert filtered.context["paginator"].count == 3
    assert "About" not in filtered.content.decode().split('id="result-count"')[1][:80]


def test_near_the_last_page_the_count_is_exact(client_for, system_leader, monkeypatch):
    SchoolFactory.create_batch(3)
    monkeypatch.setattr(school_views.selectors, "estimated_row_count", lambda model: 34_838)

    response = client_for(system_leader).get(reverse("schools:school-list"), {"page": "696"})

    # The estimate would allow page 696; the exact count (3 schools) has one page.
    assert response.status_code == 404


def test_an_unanalysed_or_small_table_is_counted_exactly(client_for, system_leader, monkeypatch):
    SchoolFactory.create_batch(3)
    monkeypatch.setattr(school_views.selectors, "estimated_row_count", lambda model: None)

    response = client_for(system_leader).get(reverse("schools:school-list"))

    assert response.context["paginator"].count == 3
    assert "3 schools" in response.content.decode()


def test_eligibility_rows_for_the_home_queue_come_from_one_query(
    make_user, north_west, client_for, django_assert_max_num_queries
):
    """The regional queue's rows name each school and its link without a query per row."""
    offer = SupportOfferFactory()
    la = LocalAuthorityFactory(region=north_west)
    for _ in range(12):
        add_inspections(SchoolFactory(local_authority=la), [(IN_YEAR, INADEQUATE)])
    eligibility_recompute(offer=offer)
    client = client_for(make_user(Role.REGIONS_STAFF, regions=[north_west]))

    with django_assert_max_num_queries(9):
        html = client.get("/").content.decode()

    assert html.count("/eligibility/schools/") >= 10


def test_the_estimate_is_the_planners_row_count_after_analyze():
    from django.db import connection

    from schools.models import School
    from schools.selectors import estimated_row_count

    if connection.vendor != "postgresql":
        pytest.skip("pg_class.reltuples is a PostgreSQL matter; SQLite always counts exactly")
    SchoolFactory.create_batch(7)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE schools_school")

    assert estimated_row_count(School) == 7


@pytest.mark.parametrize("count", [2, 12])
def test_the_api_deployment_list_runs_a_bounded_number_of_queries(
    api_client_for, count, django_assert_max_num_queries
):
    """Days logged come from the list's own query, not one query per deployment."""
    import datetime as dt
    from decimal import Decimal

    from deployments.delivery.models import Activity
    from tests.deployments.factories import DeploymentFactory
    from tests.portal.factories import UserFactory

    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    for deployment in DeploymentFactory.create_batch(count):
        for days in ("1.5", "2"):
            Activity.objects.create(
                deployment=deployment,
                date=dt.date.today() - dt.timedelta(days=3),
                days=Decimal(days),
                description="Leadership coaching",
                delivered_by="The system leader",
                created_by=admin,
            )
    api = api_client_for(admin)

    with django_assert_max_num_queries(12):
        response = api.get("/api/deployments/")

    rows = response.json()["results"]
    assert len(rows) == count
    assert {row["days_logged"] for row in rows} == {"3.5"}


def _query_count(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_the_workflow_lists_run_no_query_per_row(make_user, north_west, client_for, api_client_for):
    """The support cases, the register and the deployments: no query per row."""
    from deployments.matching.models import SupportCase
    from tests.deployments.factories import (
        DeploymentFactory,
        EligibilityAssessmentFactory,
        SupportCaseFactory,
        SystemLeaderFactory,
    )

    offer = SupportOfferFactory()
    la = LocalAuthorityFactory(region=north_west)

    def add_rows(n):
        for _ in range(n):
            school = SchoolFactory(local_authority=la, trust=TrustFactory())
            assessment = EligibilityAssessmentFactory(offer=offer, school=school)
            SupportCaseFactory(eligibility=assessment, state=SupportCase.State.IDENTIFIED)
            leader = SystemLeaderFactory(regions=[north_west])
            DeploymentFactory(
                system_leader=leader,
                support_case__eligibility=EligibilityAssessmentFactory(
                    offer=offer, school=SchoolFactory(local_authority=la)
                ),
            )

    staff = make_user(Role.REGIONS_STAFF, regions=[north_west])
    client, api = client_for(staff), api_client_for(staff)
    paths = ["/cases/", "/system-leaders/", "/api/support-cases/", "/api/deployments/"]
    add_rows(2)
    few = {path: _query_count(api if path.startswith("/api/") else client, path) for path in paths}
    add_rows(10)
    many = {path: _query_count(api if path.startswith("/api/") else client, path) for path in paths}

    # A query per row would add ten; a prefetch that finds its first related row (a
    # declined leader, a timeline author) adds one.
    for path in paths:
        assert many[path] <= few[path] + 2, (path, few[path], many[path])
