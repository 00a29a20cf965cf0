"""Oversized numbers and wrong types, fed to every endpoint and form: the answer
is a 400 (API) or the form again with a GOV.UK error summary (HTML), never a 500.
schemathesis (test_api_schemathesis.py) adds generated input on top."""

import pytest

from portal.models import Role
from tests.deployments.factories import ExceptionRequestFactory, SupportOfferFactory
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

BIG_INT = 10**20
BIG_TEXT = "9" * 20
JSON_BAD = [BIG_INT, -BIG_INT, BIG_TEXT, "abc", [1], {"a": 1}, 1.5, True, "x" * 6000]
FORM_BAD = [BIG_TEXT, "-" + BIG_TEXT, "abc", "1.5", "x" * 6000]


@pytest.fixture
def world(db, make_user, north_west):
    school = SchoolFactory(urn="100001", local_authority=LocalAuthorityFactory(region=north_west))
    offer = SupportOfferFactory()
    exception_request = ExceptionRequestFactory(offer=offer, school=school)
    return {
        "school": school,
        "exception_request": exception_request,
        "staff": make_user(Role.REGIONS_STAFF, regions=[north_west]),
        "director": make_user(Role.REGIONAL_DIRECTOR, regions=[north_west]),
        "admin": make_user(Role.ADMIN, is_staff=True),
        "finance": make_user(Role.FINANCE),
    }


API_WRITES = [
    # (path, who, a valid body, the fields to spoil)
    (
        "/api/rd-assessments/",
        "director",
        {"school_urn": "100001", "reason": "r", "assessed_on": "2023-11-01"},
        ["school_urn", "trust_uid", "reason", "assessed_on"],
    ),
    (
        "/api/exception-requests/",
        "director",
        {"school_urn": "100001", "source": "regional", "reason": "r"},
        ["school_urn", "trust_uid", "source", "reason"],
    ),
    ("/api/exception-requests/{pk}/decline/", "staff", {"note": "n"}, ["note"]),
    ("/api/exception-requests/{pk}/approve/", "staff", {}, ["note"]),
    ("/api/eligibility/recompute/", "staff", {}, ["offer"]),
]


@pytest.mark.parametrize("path,who,valid,fields", API_WRITES)
def test_api_writes_answer_bad_fields_with_400(api_client_for, world, path, who, valid, fields):
    client = api_client_for(world[who])
    path = path.format(pk=world["exception_request"].pk)
    for field in fields:
        for value in JSON_BAD:
            if field in ("note", "reason") and isinstance(value, str) and len(value) < 5000:
                continue  # any short text is a note or a reason
            response = client.post(path, {**valid, field: value}, format="json")
            assert response.status_code == 400, (field, value, response.content)
            assert field in response.json() or "non_field_errors" in response.json()


def _list_parameters():
    """Every GET list operation of the schema and its query parameters."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [
        (path, [p["name"] for p in ops["get"].get("parameters", []) if p["in"] == "query"])
        for path, ops in paths.items()
        if "get" in ops and "{" not in path and path.startswith("/api/") and "schema" not in path
    ]


@pytest.mark.parametrize("path,params", _list_parameters())
def test_api_lists_answer_bad_parameters_with_400_or_ignore_them(
    api_client_for, world, path, params
):
    # Manage users is Admin's, payment runs DfE finance's; every other list is open
    # to Regions Group staff.
    who = {"/api/users/": "admin", "/api/payment-runs/": "finance"}.get(path, "staff")
    client = api_client_for(world[who])
    for param in params:
        for value in (BIG_TEXT, "abc", "x" * 6000):
            response = client.get(path, {param: value})
            assert response.status_code in (200, 400, 404), (param, value)


@pytest.mark.parametrize(
    "path",
    [
        "/api/jobs/{big}/",
        "/api/offers/{big}/",
        "/api/eligibility/{big}/",
        "/api/rd-assessments/{big}/",
        "/api/exception-requests/{big}/",
        "/api/exception-requests/{big}/approve/",
        "/api/imports/{big}/",
        "/api/schools/{big}/",
        "/api/trusts/{big}/",
        "/api/inspections/{big}/",
        "/jobs/{big}/",
        "/jobs/{big}/progress/",
        "/eligibility/exceptions/{big}/",
        "/schools/imports/{big}/",
    ],
)
def test_an_oversized_id_in_a_path_is_404(client_for, world, path):
    client = client_for(world["staff"])
    method = client.post if path.endswith("approve/") else client.get
    assert method(path.format(big=BIG_TEXT)).status_code == 404


HTML_FORMS = [
    (
        "/eligibility/rd-assessments/new/",
        "director",
        {
            "target_kind": "school",
            "urn": "100001",
            "assessed_on_0": "1",
            "assessed_on_1": "11",
            "assessed_on_2": "2023",
            "reason": "r",
        },
    ),
    (
        "/eligibility/exceptions/new/",
        "director",
        {"target_kind": "school", "urn": "100001", "source": "regional", "reason": "r"},
    ),
    ("/eligibility/exceptions/{pk}/", "staff", {"decision": "decline", "note": "n"}),
    ("/eligibility/recompute/", "staff", {"offer": "1"}),
    ("/schools/imports/new/", "staff", {"kind": "establishments"}),
]


@pytest.mark.parametrize("path,who,valid", HTML_FORMS)
def test_html_forms_answer_bad_fields_with_an_error_summary(client_for, world, path, who, valid):
    client = client_for(world[who])
    path = path.format(pk=world["exception_request"].pk)
    spoilable = [name for name in valid if name not in ("note", "reason")]
    for field in spoilable:
        for value in FORM_BAD:
            response = client.post(path, {**valid, field: value})
            assert response.status_code == 200, (field, value)
            assert "govuk-error-summary" in response.content.decode(), (field, value)


@pytest.mark.parametrize("path", ["/eligibility/", "/eligibility/export.csv", "/schools/"])
def test_html_lists_never_fail_on_bad_filters(client_for, world, path):
    client = client_for(world["staff"])
    for param in ("offer", "region", "criterion", "page", "sort", "la", "status"):
        for value in FORM_BAD:
            response = client.get(path, {param: value})
            assert response.status_code in (200, 404), (param, value)
