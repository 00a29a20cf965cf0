"""The one input guard (portal.middleware.refuse_unsafe_characters) and the
depth-bounded JSON parser: a NUL or an unpaired surrogate anywhere in a request,
or JSON nested 100,000 deep, is a 400 that says where, never a 500 (on
PostgreSQL both reached the database or the parser's recursion). Run on SQLite
and, with DATABASE_URL, on PostgreSQL."""

import pytest

from deployments.models import ExceptionRequest
from portal.models import Role
from tests.deployments.factories import SupportOfferFactory
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

NOT_ALLOWED = "not allowed (a NUL character or an unpaired surrogate)"


@pytest.fixture
def world(db, make_user, north_west):
    SchoolFactory(urn="100001", local_authority=LocalAuthorityFactory(region=north_west))
    TrustFactory(uid="20001")
    SupportOfferFactory()
    return {
        "staff": make_user(Role.REGIONS_STAFF, regions=[north_west]),
        "director": make_user(Role.REGIONAL_DIRECTOR, regions=[north_west]),
    }


@pytest.mark.parametrize(
    "path,where",
    [
        ("/api/trusts/%00/", "web address"),
        ("/api/schools/%00/", "web address"),
        ("/api/schools/?q=%00", "“q”"),
        ("/api/schools/?region=%00", "“region”"),
        ("/api/case-studies/?region=a%00b", "“region”"),
        ("/api/schools/?a%00=1", "“a\ufffd”"),
    ],
)
def test_a_nul_in_an_api_address_or_filter_is_a_400_naming_it(api_client_for, world, path, where):
    response = api_client_for(world["staff"]).get(path)
    assert response.status_code == 400, response.content
    assert NOT_ALLOWED in response.json()["detail"]
    assert where in response.json()["detail"]


@pytest.mark.parametrize(
    "body,where",
    [
        ('{"school_urn": "100001", "source": "regional", "reason": "a\\u0000b"}', "“reason”"),
        ('{"school_urn": "100001", "source": "regional", "reason": "\\ud800"}', "“reason”"),
        ('{"school_urn": "100001", "source": "regional", "reason": "ok", "x\\u0000": 1}', "x"),
        ('{"school_urn": "100001", "source": ["\\udfff"], "reason": "ok"}', "“source[0]”"),
    ],
)
def test_a_nul_or_lone_surrogate_in_a_json_body_is_a_400_naming_the_field(
    api_client_for, world, body, where
):
    response = api_client_for(world["director"]).generic(
        "POST", "/api/exception-requests/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert NOT_ALLOWED in response.json()["detail"]
    assert where in response.json()["detail"]
    assert not ExceptionRequest.objects.exists()


def test_a_paired_surrogate_is_an_ordinary_character(api_client_for, world):
    body = '{"school_urn": "100001", "source": "regional", "reason": "\\ud83d\\ude00 [x] {y}"}'
    response = api_client_for(world["director"]).generic(
        "POST", "/api/exception-requests/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert ExceptionRequest.objects.get().reason == "\U0001f600 [x] {y}"


def test_a_nul_in_an_html_form_field_is_a_govuk_400_page_naming_it(client_for, world):
    response = client_for(world["director"]).post(
        "/eligibility/exceptions/new/",
        {"target_kind": "school", "urn": "100001", "source": "regional", "reason": "a\x00b"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem with your request" in page
    assert "govuk-template" in page
    assert "“reason”" in page and NOT_ALLOWED in page
    assert not ExceptionRequest.objects.exists()


@pytest.mark.parametrize("path", ["/schools/?q=%00", "/case-studies/?region=%00", "/trusts/%00/"])
def test_a_nul_in_an_html_address_or_filter_is_a_govuk_400_page(client_for, world, path):
    response = client_for(world["staff"]).get(path)
    assert response.status_code == 400
    assert NOT_ALLOWED in response.content.decode()


def test_a_nul_in_a_form_encoded_api_put_is_a_400(api_client_for, world):
    response = api_client_for(world["staff"]).put(
        "/api/trusts/20001/", "name=a%00b", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "“name”" in response.json()["detail"]


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_100000_deep_is_a_400_on_every_json_endpoint(api_client_for, world, opening):
    body = opening * 100_000
    for path in ("/api/exception-requests/", "/api/rd-assessments/"):
        response = api_client_for(world["director"]).generic(
            "POST", path, body, content_type="application/json"
        )
        assert response.status_code == 400, path
        assert "nested more than 32 levels" in response.json()["detail"]


def test_json_nested_within_the_bound_still_parses(api_client_for, world):
    """Brackets inside strings do not count towards the depth."""
    reason = "[" * 1000 + '\\"{'
    body = f'{{"school_urn": "100001", "source": "regional", "reason": "{reason}"}}'
    response = api_client_for(world["director"]).generic(
        "POST", "/api/exception-requests/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
