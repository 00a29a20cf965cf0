"""Sign-in by e-mail, sign-out, password reset, throttling and role scopes."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.models import Role
from portal.services import (
    CONTACT_NEEDS_SCHOOL_OR_TRUST,
    REGIONAL_DIRECTOR_ONE_REGION,
    user_create,
)
from tests.portal.factories import UserFactory

PASSWORD = "pw-for-tests-1"


@pytest.mark.parametrize("path", ["/", "/jobs/1/", "/schools/"])
def test_anonymous_users_are_redirected_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_with_email_lands_on_the_work_queue(client, db):
    user = UserFactory(email="rdp@example.org", role=Role.RDP)
    response = client.post(
        reverse("login"), {"username": "RDP@example.org", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == user
    assert b"Your work" in response.content


def test_wrong_password_shows_a_govuk_error_summary(client, db):
    UserFactory(email="rdp@example.org")
    response = client.post(reverse("login"), {"username": "rdp@example.org", "password": "no"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a correct email address and password." in html
    title = html[html.index("<title>") : html.index("</title>")]
    assert "Error: Sign in" in title


def test_empty_sign_in_form_names_each_missing_field(client, db):
    html = client.post(reverse("login"), {}).content.decode()
    assert "Enter your email address" in html
    assert "Enter your password" in html


def test_repeated_failures_lock_the_account_out(client, db, settings):
    UserFactory(email="target@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "target@example.org", "password": "bad"})
    response = client.post(
        reverse("login"), {"username": "target@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert b"Too many attempts to sign in" in response.content


def test_sign_out_needs_a_post_and_ends_the_session(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_reset_sends_an_email_with_a_working_link(client, db):
    UserFactory(email="forgetful@example.org")
    response = client.post(reverse("password_reset"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :].strip()
    form_page = client.get(path, follow=True)
    assert b"Set a new password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-password-77", "new_password2": "a-new-long-password-77"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("login"),
        {"username": "forgetful@example.org", "password": "a-new-long-password-77"},
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"


def test_password_reset_for_unknown_email_sends_nothing_and_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_regional_director_covers_exactly_one_region(north_west, london):
    with pytest.raises(ValidationError, match=REGIONAL_DIRECTOR_ONE_REGION):
        user_create(
            email="rd@example.gov.uk",
            full_name="R D",
            role=Role.REGIONAL_DIRECTOR,
            regions=[north_west, london],
        )
    rd = user_create(
        email="rd@example.gov.uk", full_name="R D", role=Role.REGIONAL_DIRECTOR, regions=[london]
    )
    assert rd.region_ids == {london.id}


def test_an_rdp_can_cover_two_regions(north_west, london):
    rdp = user_create(
        email="rdp@example.org", full_name="R P", role=Role.RDP, regions=[north_west, london]
    )
    assert rdp.region_ids == {north_west.id, london.id}


def test_a_school_contact_is_linked_to_one_school_or_trust(db):
    with pytest.raises(ValidationError, match=CONTACT_NEEDS_SCHOOL_OR_TRUST):
        user_create(email="c@example.org", full_name="C", role=Role.SCHOOL_CONTACT)


def test_a_stale_form_gets_a_clear_govuk_message_and_changes_nothing(db):
    from django.test import Client

    UserFactory(email="rdp@example.org")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "rdp@example.org", "password": PASSWORD})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert "govuk-header" in html
    assert "_auth_user_id" not in client.session
