"""Manage users: invitations (API and HTML), the set-password link (works once,
expires after 7 days), the role rules, deactivation and who may do any of it."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from portal import services
from portal.models import Role, User
from portal.tokens import InvitationTokenGenerator
from tests.portal.factories import UserFactory
from tests.schools.factories import SchoolFactory, TrustFactory

API = "/api/users/"
NEW_PASSWORD = "a-long-new-password-42"


def invite_payload(**changes):
    return {
        "email": "New.Person@Example.org",
        "full_name": "Nia Newcomer",
        "role": "rdp",
        "regions": ["North West"],
        **changes,
    }


def link_in(message) -> str:
    return re.search(r"http://\S+/accounts/invitation/\S+/", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def invited(admin_user, north_west, api_client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(admin_user).post(API, invite_payload(), format="json")
    assert response.status_code == 201, response.json()
    return User.objects.get(email="new.person@example.org")


# --- inviting -------------------------------------------------------------------


def test_admin_invites_through_the_api_and_the_invitation_goes_to_the_new_user(
    admin_user, north_west, api_client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(admin_user).post(API, invite_payload(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new.person@example.org"
    assert body["role"] == "rdp"
    assert body["regions"] == ["North West"]
    assert body["school_urn"] is None and body["trust_uid"] is None
    assert body["is_active"] is True and body["invitation_pending"] is True
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert message.subject == "You are invited to the Trust and school improvement portal"
    assert "Dear Nia Newcomer" in message.body
    assert "Regional Delivery Partner (North West)" in message.body
    assert admin_user.full_name in message.body
    expires = (dt.date.today() + dt.timedelta(days=7)).strftime("%-d %B %Y")
    assert f"expires on {expires}" in message.body
    assert link_in(message)


def test_the_new_account_cannot_sign_in_before_setting_a_password(invited):
    assert not invited.has_usable_password()


def test_admin_invites_from_the_manage_users_page(
    admin_user, north_west, client_for, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("users:user-invite"),
            {
                "full_name": "Cara Contact",
                "email": "cara@example.org",
                "role": "school_contact",
                "school_urn": school.urn,
            },
        )
    user = User.objects.get(email="cara@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("users:user-detail", args=[user.pk])
    assert user.school == school and user.role == Role.SCHOOL_CONTACT
    [message] = mail.outbox
    assert message.to == ["cara@example.org"]
    assert school.name in message.body


def test_the_invite_page_shows_role_rule_errors_in_a_govuk_error_summary(
    admin_user, north_west, london, client_for
):
    response = client_for(admin_user).post(
        reverse("users:user-invite"),
        {
            "full_name": "Dee Director",
            "email": "dee@example.org",
            "role": "regional_director",
            "regions": [north_west.pk, london.pk],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert services.REGIONAL_DIRECTOR_ONE_REGION in html
    assert not User.objects.filter(email="dee@example.org").exists()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"role": "regional_director", "regions": ["North West", "London"]},
            "regions",
            services.REGIONAL_DIRECTOR_ONE_REGION,
        ),
        (
            {"role": "regional_director", "regions": []},
            "regions",
            services.REGIONAL_DIRECTOR_ONE_REGION,
        ),
        ({"role": "regions_staff", "regions": []}, "regions", services.REGIONAL_ROLE_NEEDS_REGION),
        ({"role": "rdp", "regions": []}, "regions", services.REGIONAL_ROLE_NEEDS_REGION),
        (
            {"role": "school_contact", "regions": []},
            "school_urn",
            services.CONTACT_NEEDS_SCHOOL_OR_TRUST,
        ),
        (
            {"role": "school_contact", "regions": [], "school_urn": "SCHOOL", "trust_uid": "TRUST"},
            "trust_uid",
            services.CONTACT_NEEDS_SCHOOL_OR_TRUST,
        ),
        ({"role": "system_leader"}, "regions", services.ROLE_HAS_NO_REGIONS),
        ({"role": "finance", "regions": [], "school_urn": "SCHOOL"}, "school_urn", None),
        ({"regions": ["Atlantis"]}, "regions", "No region named Atlantis."),
        ({"role": "emperor"}, "role", None),
    ],
)
def test_the_api_refuses_an_invitation_that_breaks_the_role_rules(
    admin_user, north_west, london, api_client_for, payload, field, message
):
    school, trust = SchoolFactory(), TrustFactory()
    payload = {
        k: {"SCHOOL": school.urn, "TRUST": trust.uid}.get(v, v) if isinstance(v, str) else v
        for k, v in payload.items()
    }
    response = api_client_for(admin_user).post(API, invite_payload(**payload), format="json")
    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert message in response.json()[field][0]
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert mail.outbox == []


def test_a_system_leader_and_a_trust_contact_are_valid_invitations(
    admin_user, api_client_for, django_capture_on_commit_callbacks
):
    trust = TrustFactory()
    api = api_client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        leader = api.post(API, invite_payload(role="system_leader", regions=[]), format="json")
        contact = api.post(
            API,
            invite_payload(
                email="t@example.org", role="school_contact", regions=[], trust_uid=trust.uid
            ),
            format="json",
        )
    assert leader.status_code == contact.status_code == 201
    assert contact.json()["trust_uid"] == trust.uid
    assert len(mail.outbox) == 2


def test_an_email_address_already_in_use_is_refused(admin_user, north_west, api_client_for):
    UserFactory(email="new.person@example.org")
    response = api_client_for(admin_user).post(API, invite_payload(), format="json")
    assert response.status_code == 400
    assert response.json()["email"] == [services.EMAIL_TAKEN]


# --- the set-password link ----------------------------------------------------------


def test_the_invitation_link_sets_the_password_once(invited, client):
    link = path_of(link_in(mail.outbox[0]))
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert b"Set your password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == reverse("login")
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)
    client.logout()
    again = client.get(link, follow=True)
    assert b"This invitation link has expired or was already used" in again.content


def test_the_invitation_link_is_public(invited, client):
    from portal.access import PUBLIC_URL_NAMES

    assert "invitation-accept" in PUBLIC_URL_NAMES
    response = client.get(path_of(link_in(mail.outbox[0])))
    assert response.status_code == 302
    assert "/set-password/" in response["Location"]


def test_the_invitation_link_expires_after_7_days(invited, client, monkeypatch):
    link = path_of(link_in(mail.outbox[0]))
    real_now = InvitationTokenGenerator._now

    monkeypatch.setattr(
        InvitationTokenGenerator,
        "_now",
        lambda self: real_now(self) + dt.timedelta(days=6, hours=23),
    )
    assert b"Set your password" in client.get(link, follow=True).content
    client.session.flush()
    monkeypatch.setattr(
        InvitationTokenGenerator,
        "_now",
        lambda self: real_now(self) + dt.timedelta(days=7, hours=1),
    )
    page = client.get(link, follow=True)
    assert b"This invitation link has expired or was already used" in page.content


def test_a_password_reset_token_is_not_an_invitation(invited, client):
    from django.contrib.auth.tokens import default_token_generator

    from portal.tokens import invitation_tokens

    assert not invitation_tokens.check_token(invited, default_token_generator.make_token(invited))


def test_a_deactivated_persons_invitation_no_longer_works(invited, admin_user, client):
    services.user_update(invited, by=admin_user, is_active=False)
    page = client.get(path_of(link_in(mail.outbox[0])), follow=True)
    assert b"This invitation link has expired or was already used" in page.content


def test_admin_can_send_a_new_invitation(
    invited, admin_user, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            reverse("users:user-resend-invitation", args=[invited.pk])
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[invited.email], [invited.email]]


# --- deactivating and changing ---------------------------------------------------


def test_admin_deactivates_through_the_api_and_the_person_can_no_longer_use_it(
    admin_user, api_client_for, make_user
):
    rdp = make_user(Role.RDP)
    response = api_client_for(admin_user).patch(
        f"{API}{rdp.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    rdp.refresh_from_db()
    assert not rdp.is_active


def test_admin_deactivates_and_reactivates_from_the_users_page(admin_user, make_user, client_for):
    finance = make_user(Role.FINANCE)
    client = client_for(admin_user)
    url = reverse("users:user-active", args=[finance.pk])
    client.post(url, {"active": "0"})
    finance.refresh_from_db()
    assert not finance.is_active
    page = client.get(reverse("users:user-detail", args=[finance.pk]))
    assert b"Reactivate account" in page.content
    client.post(url, {"active": "1"})
    finance.refresh_from_db()
    assert finance.is_active


def test_admin_cannot_deactivate_themselves(admin_user, api_client_for):
    response = api_client_for(admin_user).patch(
        f"{API}{admin_user.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["is_active"] == [services.CANNOT_DEACTIVATE_YOURSELF]


def test_a_role_change_must_follow_the_role_rules(admin_user, api_client_for, make_user, london):
    finance = make_user(Role.FINANCE)
    api = api_client_for(admin_user)
    refused = api.patch(f"{API}{finance.pk}/", {"role": "regional_director"}, format="json")
    assert refused.status_code == 400 and "regions" in refused.json()
    moved = api.patch(
        f"{API}{finance.pk}/", {"role": "regional_director", "regions": ["London"]}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["regions"] == ["London"]


def test_the_email_address_cannot_be_changed(admin_user, api_client_for, make_user):
    other = make_user(Role.FINANCE)
    response = api_client_for(admin_user).patch(
        f"{API}{other.pk}/", {"email": "x@example.org"}, format="json"
    )
    assert response.status_code == 400 and "email" in response.json()


def test_the_users_list_searches_and_paginates(admin_user, client_for, make_user, api_client_for):
    for n in range(30):
        make_user(Role.FINANCE, full_name=f"Paged Person {n:02d}")
    make_user(Role.RDP, full_name="Zelda Findable")
    client = client_for(admin_user)
    found = client.get(reverse("users:user-list"), {"q": "zelda"})
    assert [u.full_name for u in found.context["users"]] == ["Zelda Findable"]
    first = client.get(reverse("users:user-list"))
    assert len(first.context["users"]) == 25
    assert first.context["paginator"].count == 32
    api = api_client_for(admin_user).get(API, {"q": "zelda"}).json()
    assert [u["full_name"] for u in api["results"]] == ["Zelda Findable"]


# --- who may manage users ----------------------------------------------------------

OTHER_ROLES = [r for r in Role.values if r != Role.ADMIN]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_admin_may_manage_users_in_html(role, make_user, client_for, north_west):
    user = make_user(role, regions=[north_west] if role in services.REGION_ROLES else [])
    target = make_user(Role.FINANCE)
    client = client_for(user)
    assert client.get(reverse("users:user-list")).status_code == 403
    assert client.get(reverse("users:user-invite")).status_code == 403
    assert client.post(reverse("users:user-invite"), {}).status_code == 403
    assert client.get(reverse("users:user-detail", args=[target.pk])).status_code == 403
    assert client.post(reverse("users:user-active", args=[target.pk])).status_code == 403
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_admin_may_manage_users_in_the_api(role, make_user, api_client_for, north_west):
    user = make_user(role, regions=[north_west] if role in services.REGION_ROLES else [])
    target = make_user(Role.FINANCE)
    api = api_client_for(user)
    assert api.get(API).status_code == 403
    assert api.get(f"{API}{target.pk}/").status_code == 403
    assert api.post(API, invite_payload(), format="json").status_code == 403
    assert api.patch(f"{API}{target.pk}/", {"is_active": False}, format="json").status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_admin_may_open_every_manage_users_page(admin_user, client_for, make_user):
    target = make_user(Role.FINANCE)
    client = client_for(admin_user)
    for url in (
        reverse("users:user-list"),
        reverse("users:user-invite"),
        reverse("users:user-detail", args=[target.pk]),
    ):
        assert client.get(url).status_code == 200
