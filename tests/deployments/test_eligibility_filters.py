"""The eligibility list's one FilterSet: the page, its CSV export and the API read
the same parameters the same way; a bad value is ignored by the page and refused
by the API (400 naming it); an id that is no row's finds nothing."""

import pytest

from deployments.services import eligibility_recompute
from tests.deployments.helpers import IN_YEAR, INADEQUATE, RI, add_inspections

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(offer, nw_school, london_school):
    add_inspections(nw_school, [("2021-01-01", RI), (IN_YEAR, RI)])
    add_inspections(london_school, [(IN_YEAR, INADEQUATE)])
    eligibility_recompute(offer=offer)
    return {"nw": nw_school, "london": london_school}


def _listed(text: str, schools) -> set[str]:
    return {key for key, school in schools.items() if school.name in text}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"nw", "london"}),
        ({"criterion": "A"}, {"nw"}),
        ({"criterion": "B"}, {"london"}),
        ({"region": "london"}, {"london"}),
        ({"region": "999999"}, set()),
        ({"q": "london"}, {"london"}),
        ({"kind": "school"}, {"nw", "london"}),
        ({"kind": "trust"}, set()),
        ({"school": "nw"}, {"nw"}),
        ({"status": "no_longer"}, set()),
    ],
)
def test_the_page_the_export_and_the_api_filter_alike(
    schools, offer, params, expected, system_leader, client_for, api_client_for
):
    given = {"offer": offer.pk, "status": "all"}
    for name, value in params.items():
        school = schools.get(value)
        given[name] = {"region": school and school.region_id, "q": school and school.name}.get(
            name, school and school.urn
        ) or value
    page = client_for(system_leader)
    assert _listed(page.get("/eligibility/", given).content.decode(), schools) == expected
    csv = page.get("/eligibility/export.csv", given).content.decode()
    assert _listed(csv, schools) == expected
    rows = api_client_for(system_leader).get("/api/eligibility/", given).json()["results"]
    assert {row["school_urn"] for row in rows} == {schools[key].urn for key in expected}


@pytest.mark.parametrize(
    "name, value",
    [("criterion", "Z"), ("offer", "abc"), ("region", "1.5"), ("status", "x"), ("school", "1")],
)
def test_a_bad_value_is_ignored_by_the_page_and_refused_by_the_api(
    schools, offer, name, value, system_leader, client_for, api_client_for
):
    given = {"offer": offer.pk, "status": "all", name: value}
    page = client_for(system_leader).get("/eligibility/", given)
    assert page.status_code == 200
    assert _listed(page.content.decode(), schools) == {"nw", "london"}
    response = api_client_for(system_leader).get("/api/eligibility/", given)
    assert response.status_code == 400 and name in response.json()


def test_the_page_opens_on_the_eligible_rows_and_the_api_on_all(
    schools, offer, system_leader, client_for, api_client_for
):
    from deployments.models import EligibilityAssessment

    EligibilityAssessment.objects.filter(school=schools["nw"]).update(
        status=EligibilityAssessment.Status.NO_LONGER_ELIGIBLE
    )
    page = client_for(system_leader).get("/eligibility/", {"offer": offer.pk})
    assert _listed(page.content.decode(), schools) == {"london"}
    rows = api_client_for(system_leader).get("/api/eligibility/").json()["results"]
    assert {row["school_urn"] for row in rows} == {s.urn for s in schools.values()}
