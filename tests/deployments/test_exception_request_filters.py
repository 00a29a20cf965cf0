"""The exception-request list's one FilterSet: the page opens on the pending requests,
and the page and the API read `status` the same way."""

import pytest
from django.utils import timezone

from deployments.models import ExceptionRequest
from portal.models import Role
from tests.deployments.factories import ExceptionRequestFactory
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db
Status = ExceptionRequest.Status


@pytest.fixture
def requests_in_the_north_west(north_west):
    def school(name):
        return SchoolFactory(name=name, local_authority=LocalAuthorityFactory(region=north_west))

    ExceptionRequestFactory(school=school("Pending Primary"))
    ExceptionRequestFactory(
        school=school("Approved Primary"), status=Status.APPROVED, decided_at=timezone.now()
    )


def _names(html: str) -> set[str]:
    return {name for name in ("Pending Primary", "Approved Primary") if name in html}


def test_the_page_and_the_api_filter_by_status_alike(
    requests_in_the_north_west, make_user, north_west, client_for, api_client_for
):
    staff = make_user(Role.REGIONS_STAFF, regions=[north_west])
    page = client_for(staff)
    assert _names(page.get("/eligibility/exceptions/").content.decode()) == {"Pending Primary"}
    approved = page.get("/eligibility/exceptions/?status=approved").content.decode()
    assert _names(approved) == {"Approved Primary"}
    assert _names(page.get("/eligibility/exceptions/?status=nonsense").content.decode()) == {
        "Pending Primary",
        "Approved Primary",
    }
    api = api_client_for(staff)
    rows = api.get("/api/exception-requests/?status=approved").json()["results"]
    assert [row["status"] for row in rows] == ["approved"]
    assert len(api.get("/api/exception-requests/").json()["results"]) == 2
    assert api.get("/api/exception-requests/?status=nonsense").status_code == 400
