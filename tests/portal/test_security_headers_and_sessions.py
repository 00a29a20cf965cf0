"""What every page sends: no-store when signed in, a CSP without inline scripts,
and a session that lasts a working day from the last activity."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.sessions import REFRESH_SECONDS, REFRESHED_AT
from tests.portal.factories import UserFactory
from web.views import TOO_MANY_RESETS


@pytest.mark.parametrize("path", ["/", "/eligibility/", "/schools/", "/api/jobs/"])
def test_signed_in_pages_are_never_stored(client_for, regions_staff, path):
    response = client_for(regions_staff).get(path)
    assert "no-store" in response["Cache-Control"]


def test_the_sign_in_page_allows_scripts_from_our_own_origin_only(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("path", ["/", "/eligibility/", "/api/docs/"])
def test_pages_carry_no_inline_script(client_for, regions_staff, path):
    html = client_for(regions_staff).get(path).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the page loads its scripts"
    assert [attrs for attrs, body in scripts if "src=" not in attrs or body.strip()] == []


def test_the_swagger_ui_start_up_script_is_served_as_javascript(client_for, regions_staff):
    response = client_for(regions_staff).get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_a_session_lasts_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_activity_renews_the_session_at_most_every_few_minutes(client_for, regions_staff):
    client = client_for(regions_staff)
    session = client.session
    session[REFRESHED_AT] = 0  # renewed long ago
    session.save()
    client.get("/")
    renewed = client.session[REFRESHED_AT]
    assert renewed > REFRESH_SECONDS
    client.get("/")
    assert client.session[REFRESHED_AT] == renewed


def test_password_reset_is_limited_per_address(client, db, settings):
    UserFactory(email="target@example.org")
    url = reverse("password_reset")
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS):
        assert client.post(url, {"email": "target@example.org"}).status_code == 302
    refused = client.post(url, {"email": "Target@example.org"})
    assert refused.status_code == 429
    assert TOO_MANY_RESETS in refused.content.decode()
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_ADDRESS


def test_password_reset_is_limited_per_ip_address(client, db, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 4
    url = reverse("password_reset")
    for n in range(4):
        assert client.post(url, {"email": f"someone{n}@example.org"}).status_code == 302
    assert client.post(url, {"email": "another@example.org"}).status_code == 429
    other_ip = client.post(url, {"email": "another@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302
