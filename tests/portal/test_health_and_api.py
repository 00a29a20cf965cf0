"""/health/ and the API skeleton."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def test_health_reports_each_dependency_as_json(client, db, settings):
    response = client.get("/health/")
    body = response.json()
    assert set(body["checks"]) == {"database", "redis", "worker"}
    assert body["checks"]["database"]["ok"] is True
    assert response.status_code == (200 if body["ok"] else 503)


def test_health_is_503_when_the_broker_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


def test_api_refuses_anonymous_requests(db):
    response = APIClient().get("/api/jobs/")
    assert response.status_code in (401, 403)


def test_api_accepts_token_authentication(regions_staff):
    token = Token.objects.create(user=regions_staff)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get("/api/jobs/")
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_openapi_schema_and_docs_are_served(client_for, regions_staff, path):
    response = client_for(regions_staff).get(path)
    assert response.status_code == 200


def test_schema_documents_the_jobs_endpoint(client_for, regions_staff):
    schema = client_for(regions_staff).get("/api/schema/?format=json").json()
    assert "/api/jobs/{id}/" in schema["paths"]


def test_api_docs_load_swagger_ui_from_our_own_static_files(client_for, regions_staff):
    html = client_for(regions_staff).get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn.jsdelivr.net" not in html


def test_api_docs_sit_inside_the_portal_layout_with_a_way_back(client_for, regions_staff):
    html = client_for(regions_staff).get("/api/docs/").content.decode()
    assert '<header class="govuk-template__header">' in html
    assert '<footer class="govuk-template__footer">' in html
    assert 'class="govuk-back-link" href="/"' in html
    assert '<h1 class="govuk-heading-l">API documentation</h1>' in html
    assert '<div id="swagger-ui"></div>' in html
