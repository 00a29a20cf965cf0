"""The OpenAPI schema describes what a REST client must send and may get back."""

import pytest

# The schema fixture below reads the database (pytest-django sets up only the
# databases the collected tests are marked for).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The schema as North West Regions Group staff are served it, fetched once for
    the module (every test here reads the same one; generating it is ~2 s of CPU).
    The user and their session are rolled back."""
    from django.db import transaction
    from django.test import Client

    from portal.models import Role
    from tests.portal.factories import UserFactory
    from tests.schools.factories import RegionFactory

    with django_db_blocker.unblock(), transaction.atomic():
        north_west = RegionFactory(name="North West", code="E12000002")
        client = Client()
        client.force_login(UserFactory(role=Role.REGIONS_STAFF, regions=[north_west]))
        response = client.get("/api/schema/?format=json")
        transaction.set_rollback(True)
    assert response.status_code == 200
    return response.json()


def _request_schema(schema, path):
    ref = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]


@pytest.mark.parametrize(
    "path,fields",
    [
        ("/api/rd-assessments/", {"school_urn", "trust_uid", "reason", "assessed_on"}),
        ("/api/exception-requests/", {"school_urn", "trust_uid", "source", "reason"}),
        ("/api/exception-requests/{id}/approve/", {"note"}),
        ("/api/exception-requests/{id}/decline/", {"note"}),
        ("/api/eligibility/recompute/", {"offer"}),
        ("/api/deployments/{id}/system-leader-withdraws/", {"reason"}),
        ("/api/deployments/{id}/report-delay/", {"reason", "expected_resume_on"}),
    ],
)
def test_each_write_documents_its_input_not_its_output(schema, path, fields):
    assert set(_request_schema(schema, path)["properties"]) == fields


@pytest.mark.parametrize(
    "path,codes",
    [
        ("/api/rd-assessments/", {"201", "400", "403"}),
        ("/api/exception-requests/", {"201", "400", "403"}),
        ("/api/exception-requests/{id}/approve/", {"200", "400", "403", "404", "409"}),
        ("/api/eligibility/recompute/", {"202", "400", "403"}),
        ("/api/deployments/{id}/system-leader-withdraws/", {"200", "400", "403", "404", "409"}),
        ("/api/deployments/{id}/report-delay/", {"200", "400", "403", "404", "409"}),
    ],
)
def test_each_write_documents_its_answers(schema, path, codes):
    assert codes <= set(schema["paths"][path]["post"]["responses"])


def test_recompute_answers_202_not_200(schema):
    assert "200" not in schema["paths"]["/api/eligibility/recompute/"]["post"]["responses"]


@pytest.mark.parametrize(
    "component,field",
    [
        ("EligibilityAssessment", "school_urn"),
        ("EligibilityAssessment", "trust_uid"),
        ("RdAssessment", "school_urn"),
        ("ExceptionRequest", "decided_by"),
    ],
)
def test_fields_that_can_be_empty_are_declared_nullable(schema, component, field):
    assert schema["components"]["schemas"][component]["properties"][field].get("nullable")


def test_every_read_documents_its_error_answers(schema):
    operation = schema["paths"]["/api/rd-assessments/{id}/"]["get"]
    assert {"403", "404"} <= set(operation["responses"])
