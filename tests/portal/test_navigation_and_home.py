"""Each role sees its own navigation and work queue."""

import pytest

from portal.models import Role
from web.selectors import home_queue_for

# Everyone signed in may read the register and eligibility (issue 4, item 9); the API
# documentation is in every page's footer, not the navigation.
ALL = {"Home", "Schools", "Trusts", "Eligibility"}
CASES = {"Support cases", "Deployments"}  # everyone with a part in matching; not finance
# The oversight dashboard (England or a region) or, for a system leader and a school's
# contact, their own; the lists the navigation does not name are linked from it.
OVERSIGHT, OWN = {"Dashboard"}, {"Your dashboard"}
EXPECTED_NAV = {
    Role.ADMIN: ALL
    | CASES
    | OVERSIGHT
    | {"Imports", "Admin", "System leaders", "Users", "Claims", "Spend"},
    Role.REGIONS_STAFF: ALL
    | CASES
    | OVERSIGHT
    | {"Imports", "System leaders", "Claims", "Complaints"},
    Role.REGIONAL_DIRECTOR: ALL | CASES | OVERSIGHT | {"System leaders"},
    Role.RDP: ALL | CASES | OVERSIGHT | {"System leaders"},
    Role.SYSTEM_LEADER: ALL | CASES | OWN | {"My profile", "Claims"},
    Role.SCHOOL_CONTACT: ALL | CASES | OWN | {"Complaints"},
    Role.FINANCE: ALL | OVERSIGHT | {"Claims", "Payment runs", "Spend"},
}
QUEUE_HEADING = {
    Role.ADMIN: "Recent imports and recomputes",
    Role.REGIONS_STAFF: "Support cases waiting for you",
    Role.REGIONAL_DIRECTOR: "Schools to assess for immediate support",
    Role.RDP: "Deployment forms to quality-assure",
    Role.SYSTEM_LEADER: "Requests to answer",
    Role.SCHOOL_CONTACT: "Reports to sign off",
    Role.FINANCE: "Payment claims to review",
}


def _user_for(role, make_user, north_west):
    if role == Role.SCHOOL_CONTACT:
        from tests.schools.factories import SchoolFactory

        return make_user(role, school=SchoolFactory())
    return make_user(role, regions=[north_west] if role != Role.ADMIN else [])


@pytest.mark.parametrize("role", list(EXPECTED_NAV))
def test_each_role_sees_only_its_own_navigation(role, make_user, north_west, client_for):
    user = _user_for(role, make_user, north_west)
    response = client_for(user).get("/")
    texts = {item["text"] for item in response.context["service_navigation"]}
    assert texts == EXPECTED_NAV[role]


@pytest.mark.parametrize("role", list(QUEUE_HEADING))
def test_home_is_the_roles_work_queue_with_empty_states(role, make_user, north_west, client_for):
    user = _user_for(role, make_user, north_west)
    html = client_for(user).get("/").content.decode()
    assert QUEUE_HEADING[role] in html
    assert "portal-queue__empty" in html
    own_headings = {section.title for section in home_queue_for(user)}
    for heading in set(QUEUE_HEADING.values()) - own_headings:
        assert heading not in html


def test_every_page_has_the_govuk_frame(client_for, regions_staff):
    html = client_for(regions_staff).get("/").content.decode()
    assert 'class="govuk-skip-link"' in html
    assert "Trust and school improvement portal" in html
    assert "govuk-service-navigation" in html
    assert "govuk-phase-banner" in html
    assert "govuk-footer" in html
    assert "govuk-frontend.min.css" in html


def test_messages_show_as_notification_banners(client_for, regions_staff):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage

    client = client_for(regions_staff)
    response = client.get("/")
    storage = CookieStorage(response.wsgi_request)
    storage.add(constants.SUCCESS, "Import finished")
    storage.update(response)
    client.cookies.update(response.cookies)
    html = client.get("/").content.decode()
    assert "govuk-notification-banner--success" in html
    assert "Import finished" in html


def test_regional_queues_list_eligible_schools_and_pending_requests_in_their_regions(
    make_user, north_west, london, client_for
):
    from deployments.models import SupportOffer
    from deployments.services import eligibility_recompute
    from tests.deployments.factories import ExceptionRequestFactory, SupportOfferFactory
    from tests.deployments.helpers import add_inspections
    from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

    offer: SupportOffer = SupportOfferFactory()
    nw_school = SchoolFactory(name="Northside Primary", local_authority__region=north_west)
    ldn_school = SchoolFactory(name="Southbank Primary", local_authority__region=london)
    for school in (nw_school, ldn_school):
        add_inspections(school, [("2021-05-01", 3), ("2023-10-12", 3)])
    eligibility_recompute(offer=offer)
    pending = ExceptionRequestFactory(
        offer=offer, school=SchoolFactory(local_authority=LocalAuthorityFactory(region=north_west))
    )

    staff = make_user(Role.REGIONS_STAFF, regions=[north_west])
    html = client_for(staff).get("/").content.decode()
    assert "Northside Primary" in html
    assert "Southbank Primary" not in html
    assert f"/eligibility/exceptions/{pending.pk}/" in html


def test_eligible_rows_leave_out_schools_a_live_case_already_covers(
    make_user, north_west, client_for
):
    from deployments.matching.models import SupportCase
    from deployments.matching.services import support_case_open, support_case_withdraw
    from deployments.models import EligibilityAssessment
    from deployments.services import eligibility_recompute
    from tests.deployments.factories import SupportOfferFactory
    from tests.deployments.helpers import add_inspections
    from tests.schools.factories import SchoolFactory

    offer = SupportOfferFactory()
    covered = SchoolFactory(name="Covered Primary", local_authority__region=north_west)
    waiting = SchoolFactory(name="Waiting Primary", local_authority__region=north_west)
    for school in (covered, waiting):
        add_inspections(school, [("2021-05-01", 3), ("2023-10-12", 3)])
    eligibility_recompute(offer=offer)
    staff = make_user(Role.REGIONS_STAFF, regions=[north_west])
    case = support_case_open(
        user=staff, eligibility=EligibilityAssessment.objects.get(school=covered)
    )

    def eligible_section() -> str:
        html = client_for(staff).get("/").content.decode()
        return html.split("Eligible schools and trusts to review", 1)[1].split("<h2", 1)[0]

    assert "Waiting Primary" in eligible_section()
    assert "Covered Primary" not in eligible_section()
    support_case_withdraw(case, user=staff, reason="Support found elsewhere")
    assert SupportCase.objects.get(pk=case.pk).state == SupportCase.State.WITHDRAWN
    assert "Covered Primary" in eligible_section()
