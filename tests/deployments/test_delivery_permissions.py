"""Who may do what, in HTML and the API: a matrix of role x (own / other) x action.

The school's contacts are its own contact and its trust's contact (a Trust
CEO's office acts for every school in the trust); a contact of another school
or another trust is a stranger."""

import pytest

from deployments.delivery.models import Deployment
from portal.models import Role
from tests.built_once import built_once, each_test_copy
from tests.deployments.delivery_fixtures import SECTION_VALUES, make_cast
from tests.deployments.factories import SystemLeaderFactory
from tests.portal.factories import TrustContactFactory, UserFactory
from tests.schools.factories import RegionFactory, SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "leader",
    "other_leader",
    "contact",
    "other_contact",
    "trust_contact",
    "other_trust_contact",
    "rdp",
    "other_rdp",
    "staff",
    "other_staff",
    "admin",
]


def _build_cast():
    cast = make_cast()
    london = RegionFactory(name="London")
    school = cast.deployment.school
    school.trust = TrustFactory(name="Harbour Learning Trust")
    school.save(update_fields=["trust"])
    cast.people = {
        "leader": cast.leader,
        "other_leader": SystemLeaderFactory().user,
        "contact": cast.contact,
        "other_contact": UserFactory(role=Role.SCHOOL_CONTACT, school=SchoolFactory()),
        "trust_contact": TrustContactFactory(trust=school.trust),
        "other_trust_contact": TrustContactFactory(),
        "rdp": cast.rdp,
        "other_rdp": UserFactory(role=Role.RDP, regions=[london]),
        "staff": cast.staff,
        "other_staff": UserFactory(role=Role.REGIONS_STAFF, regions=[london]),
        "admin": UserFactory(role=Role.ADMIN, is_staff=True),
    }
    return cast


# Built once for the module (300-odd tests); each test runs in a savepoint rolled
# back after it, on its own copy (tests/built_once.py).
cast_once = built_once(_build_cast)


@pytest.fixture
def cast(cast_once, db, request):
    return each_test_copy(cast_once, request)


CONTACTS = {"contact", "trust_contact"}
CAN_SEE = {"leader", *CONTACTS, "rdp", "staff", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_deployment_in_html_and_api(cast, role, api_client_for, client_for):
    user = cast.people[role]
    api = api_client_for(user).get(f"/api/deployments/{cast.deployment.pk}/")
    html = client_for(user).get(f"/deployments/{cast.deployment.pk}/")
    expected = 200 if role in CAN_SEE else 404
    assert (api.status_code, html.status_code) == (expected, expected)


# (section key, the state it is written in, who may write it)
WRITERS = [
    ("details", "issued", {"leader"}),
    ("scope", "engaged", {"leader"}),
    ("mid_review", "delivery", {"leader"}),
    ("closure", "delivery", {"leader"}),
    ("bank_details", "delivery", {"leader"}),
    ("claim", "delivery", {"leader"}),
    ("school_confirmation", "school_sign_off", CONTACTS),
]
# The declaration is written in delivery once sections 1-6 are complete (see
# tests/deployments/test_delivery_sections.py); here only who may write it.


@pytest.mark.parametrize("key,state,writers", WRITERS)
@pytest.mark.parametrize("role", ROLES)
def test_who_writes_each_section_through_the_api(cast, key, state, writers, role, api_client_for):
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=state)
    response = api_client_for(cast.people[role]).put(
        f"/api/deployments/{cast.deployment.pk}/sections/{key}/", SECTION_VALUES[key], format="json"
    )
    expected = 200 if role in writers else (403 if role in CAN_SEE else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("key,state,writers", WRITERS)
@pytest.mark.parametrize("role", ROLES)
def test_who_writes_each_section_through_the_pages(cast, key, state, writers, role, client_for):
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=state)
    client = client_for(cast.people[role])
    url = f"/deployments/{cast.deployment.pk}/sections/{key}/"
    page = client.get(url)
    if role not in CAN_SEE:
        assert page.status_code == 404
        return
    has_form = b"Save and continue" in page.content or b"Confirm and sign" in page.content
    assert has_form == (role in writers)
    post = client.post(url, {"contact_name": "X"} if key == "details" else {})
    assert (post.status_code == 403) == (role not in writers)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_schools_contacts_confirm_and_sign_through_the_page(cast, role, client_for):
    """The section 8 page's "Confirm and sign" (section saved and
    `school_signs_off` in one POST): the school's or its trust's contact only."""
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="school_sign_off")
    response = client_for(cast.people[role]).post(
        f"/deployments/{cast.deployment.pk}/sections/school_confirmation/",
        {"work_as_described": "true", "name": "Ada Head", "role": "Headteacher"},
    )
    cast.deployment.refresh_from_db()
    if role in CONTACTS:
        assert response.status_code == 302 and cast.deployment.state == "signed"
    else:
        assert response.status_code == (403 if role in CAN_SEE else 404)
        assert cast.deployment.state == "school_sign_off"
        assert not cast.deployment.sections.filter(key="school_confirmation").exists()


# (transition, from state, the only roles that may take it)
TRANSITIONS = [
    ("initial_meeting_arranged", "issued", {"leader"}),
    ("scoping_done", "engaged", {"leader"}),
    ("send_for_sign_off", "delivery", {"leader"}),
    ("school_signs_off", "school_sign_off", CONTACTS),
    ("submit", "signed", {"leader"}),
    ("rdp_returns", "submitted", {"rdp"}),
    ("rdp_accepts", "submitted", {"rdp"}),
    ("end_call_held", "accepted", {"rdp"}),
    ("withdraw", "delivery", {"staff"}),
    ("system_leader_withdraws", "delivery", {"leader"}),
]


@pytest.mark.parametrize("name,state,takers", TRANSITIONS)
@pytest.mark.parametrize("role", ROLES)
def test_who_takes_each_transition_in_the_api(cast, name, state, takers, role, api_client_for):
    """403 for who may never, 404 for who cannot see; the taker gets past both
    (to 200, 400 or 409: conditions are tested elsewhere)."""
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=state)
    url = f"/api/deployments/{cast.deployment.pk}/{name.replace('_', '-')}/"
    response = api_client_for(cast.people[role]).post(url, {}, format="json")
    if role in takers:
        assert response.status_code in (200, 400, 409)
    else:
        assert response.status_code == (403 if role in CAN_SEE else 404)


@pytest.mark.parametrize("name,state,takers", TRANSITIONS)
@pytest.mark.parametrize("role", sorted(CAN_SEE))
def test_who_takes_each_transition_in_html(cast, name, state, takers, role, client_for):
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=state)
    client = client_for(cast.people[role])
    page = client.get(f"/deployments/{cast.deployment.pk}/{name.replace('_', '-')}/")
    if role in takers:
        assert page.status_code in (200, 409)
    else:
        assert page.status_code == 403


@pytest.mark.parametrize("role", sorted(CAN_SEE))
def test_the_deployment_page_shows_only_the_buttons_this_user_may_press(cast, role, client_for):
    page = client_for(cast.people[role]).get(f"/deployments/{cast.deployment.pk}/")
    has_meeting = b"Record the initial meeting" in page.content
    has_withdraw = b"Withdraw the deployment" in page.content
    has_leader_withdraw = b"Withdraw from this deployment" in page.content
    has_delay = b"Report a delay" in page.content
    assert has_meeting == (role == "leader")
    assert has_withdraw == (role == "staff")
    assert has_leader_withdraw == (role == "leader")
    assert has_delay == (role == "leader")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_system_leader_reports_a_delay_in_the_api(cast, role, api_client_for):
    response = api_client_for(cast.people[role]).post(
        f"/api/deployments/{cast.deployment.pk}/report-delay/", {}, format="json"
    )
    # The leader gets past 404 and 403 to the fields (400: no reason given).
    expected = 400 if role == "leader" else (403 if role in CAN_SEE else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_the_system_leader_reports_a_delay_in_html(cast, role, client_for):
    client = client_for(cast.people[role])
    url = f"/deployments/{cast.deployment.pk}/report-delay/"
    expected = 200 if role == "leader" else (403 if role in CAN_SEE else 404)
    assert client.get(url).status_code == expected
    posted = client.post(url, {"reason": "Snow"})
    assert posted.status_code == (302 if role == "leader" else expected)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_system_leader_asks_for_enhanced_support(cast, role, api_client_for):
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    response = api_client_for(cast.people[role]).post(
        "/api/enhanced-requests/",
        {"deployment": cast.deployment.pk, "kind": "extension", "days": "2", "context": "c",
         "school_agrees": True},
        format="json",
    )  # fmt: skip
    expected = 201 if role == "leader" else (403 if role in CAN_SEE else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_regions_staff_or_the_rdp_of_the_region_pause(cast, role, api_client_for):
    response = api_client_for(cast.people[role]).post(
        f"/api/deployments/{cast.deployment.pk}/pause/", {"reason": "r"}, format="json"
    )
    expected = 200 if role in ("rdp", "staff") else (403 if role in CAN_SEE else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_schools_contacts_list_the_deployment_and_see_it_to_sign_off(
    cast, role, api_client_for, client_for
):
    """The list (API and home queue) shows the deployment to whoever may open it,
    and the sign-off step waits for the school's own and its trust's contact."""
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="school_sign_off")
    user = cast.people[role]
    listed = api_client_for(user).get("/api/deployments/")
    assert listed.status_code == 200
    ids = {row["id"] for row in listed.json()["results"]}
    assert (cast.deployment.pk in ids) == (role in CAN_SEE)
    home = client_for(user).get("/").content.decode()
    assert (f'href="/deployments/{cast.deployment.pk}/"' in home) == (role in CONTACTS)


def test_deployment_e_mails_for_the_school_go_to_its_own_and_its_trusts_contacts(cast):
    """The one recipient list of the deployment workflow ("sign-off requested",
    "returned", "accepted", ...): every contact who may sign, nobody else."""
    from deployments.delivery.selectors import contact_emails

    people = cast.people
    assert contact_emails(cast.deployment) == sorted(
        [people["contact"].email, people["trust_contact"].email]
    )
